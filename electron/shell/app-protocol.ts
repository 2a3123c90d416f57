import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import type { Log } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import { contentSecurityPolicy } from '../host/host-security';
import { APP_ORIGIN, APP_SCHEME, isAppUrl } from './app-origin';

/**
 * The renderer is served from `app://kiosk/`, never `file://`: a standard, secure scheme gives
 * the page a real origin (so CSP 'self', permissions and the IPC sender check mean something)
 * and a secure context (so getUserMedia works), while only files under dist/renderer are reachable.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** Must run before `app` is ready; Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([appScheme]);
}

/** Same policy as the browser host (one definition): own scripts and styles only, camera via blob:/mediastream:. */
export const appContentSecurityPolicy = contentSecurityPolicy(APP_ORIGIN);

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type AppPathRefusal = 'foreign-origin' | 'bad-encoding' | 'outside-root';

/**
 * Maps a request URL to a path under `rootDir` without touching the disk. Chromium already
 * normalises `..` for standard schemes; this does not rely on it: the path is decoded first (so
 * `%2e%2e`, `%2f` and `%5c` cannot smuggle a step up) and the resolved path must stay inside root.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): Result<string, AppPathRefusal> {
  const exactOrigin = requestUrl === APP_ORIGIN || requestUrl.startsWith(`${APP_ORIGIN}/`);
  if (!exactOrigin || !isAppUrl(requestUrl)) return err('foreign-origin');
  // Take the raw path text after the host: URL parsing would normalise away what we want to see.
  const afterHost = requestUrl.slice(APP_ORIGIN.length).split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(afterHost === '' ? '/' : afterHost);
  } catch {
    return err('bad-encoding');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return err('bad-encoding');
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..')) return err('outside-root');
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const root = resolve(rootDir);
  const target = resolve(root, `.${relative.startsWith('/') ? relative : `/${relative}`}`);
  if (target !== root && !target.startsWith(root + sep)) return err('outside-root');
  return ok(target);
}

function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': appContentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

function refusal(status: 404 | 405): Response {
  return new Response(status === 404 ? 'not found' : 'method not allowed', {
    status,
    headers: securityHeaders('text/plain; charset=utf-8'),
  });
}

async function isInside(root: string, target: string): Promise<boolean> {
  // A symlink inside dist/renderer must not lead out of it either.
  const [realRoot, realTarget] = await Promise.all([realpath(root), realpath(target)]);
  return realTarget === realRoot || realTarget.startsWith(realRoot + sep);
}

/** The `protocol.handle` handler: files from `rendererDir`, every refusal a plain 404, every response with the CSP. */
export function createAppRequestHandler(rendererDir: string, log: Log): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
    const path = resolveAppPath(root, request.url);
    if (!path.ok) {
      log.warn(
        { refusal: path.error, origin: isAppUrl(request.url) ? APP_ORIGIN : 'foreign' },
        'app protocol: request refused',
      );
      return refusal(404);
    }
    try {
      const info = await stat(path.value);
      if (!info.isFile() || !(await isInside(root, path.value))) return refusal(404);
      const body = request.method === 'HEAD' ? null : await readFile(path.value);
      return new Response(body, { status: 200, headers: securityHeaders(contentTypeFor(path.value)) });
    } catch {
      return refusal(404);
    }
  };
}

export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string, log: Log): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir, log));
  log.info({ scheme: APP_SCHEME }, 'app protocol: serving the renderer');
}
