import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { fastify, type FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import type { Log } from '../../foundation/log';
import type { KioskServices } from '../services/kiosk-services';
import { contentSecurityPolicy, SESSION_COOKIE, tokensMatch } from './host-security';

/**
 * The browser host: the same services as the Electron shell, reached over a WebSocket on
 * 127.0.0.1 by a page it serves itself. The socket is accepted only with a secret token made at
 * each start and from the page's own origin. No page carries the token: the kiosk's own browser
 * opens a one-time launch URL (`/launch?code=…`), which hands the token over as an HttpOnly,
 * SameSite=Strict cookie and is then spent, so another client that GETs `/` learns nothing.
 */
export interface BrowserHostOptions {
  readonly services: KioskServices;
  readonly rendererDir: string;
  readonly port: number;
  readonly log: Log;
  /** Extra routes a caller mounts (the simulator dock); they may check the launch token. */
  readonly extraRoutes?: (app: FastifyInstance, token: () => string) => void;
  /** What GET /healthz answers (default: the services' own health). */
  readonly health?: () => Promise<unknown>;
  /**
   * Where the current launch code is written (owner-only) each time a new one is made, for
   * `kiosk session`, which runs the browser as another service and reads it before each start.
   */
  readonly launchCodeFile?: string;
}

export interface BrowserHost {
  readonly url: string;
  /** The socket's secret, as the launch cookie carries it (for in-process clients and tests). */
  readonly token: string;
  /** The one-time URL the kiosk's own browser opens; spent by its first use. */
  launchUrl(): string;
  close(): Promise<void>;
}

/** A WebSocket message as text, whichever form ws hands it over in. */
export function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { services, log } = options;
  const token = randomBytes(32).toString('base64url');
  let launchCode = '';
  // One code outstanding at a time; a new one replaces it as soon as it is spent.
  async function newLaunchCode(): Promise<void> {
    launchCode = randomBytes(32).toString('base64url');
    if (options.launchCodeFile === undefined) return;
    const partial = `${options.launchCodeFile}.partial`;
    await writeFile(partial, `${launchCode}\n`, { mode: 0o600 });
    await rename(partial, options.launchCodeFile);
  }
  await newLaunchCode();
  let indexPage: string;
  try {
    indexPage = await readFile(join(options.rendererDir, 'index.html'), 'utf8');
  } catch {
    throw new Error(`the renderer is not built (${options.rendererDir}/index.html missing): run \`npm run build\``);
  }

  const app = fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(fastifyCookie);
  // The largest call is a photo (at most 4 MB of base64, api/journey-contract.ts) in its envelope.
  await app.register(fastifyWebsocket, { options: { maxPayload: 5 * 1024 * 1024 } });
  await app.register(fastifyStatic, { root: options.rendererDir, index: false, wildcard: true, prefix: '/' });

  let origin = '';
  let connections = 0;
  // DNS rebinding: a foreign page whose name now resolves to 127.0.0.1 still sends its own name as
  // Host. Only requests that name exactly the address and port served here are answered.
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.host === new URL(origin).host) return;
    log.warn({ host: request.headers.host?.slice(0, 100) ?? null }, 'request refused: foreign Host');
    await reply.code(421).send({ error: 'misdirected request' });
  });
  const sendPage = (reply: {
    header(k: string, v: string): unknown;
    type(t: string): { send(b: string): unknown };
  }) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy(origin));
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    return reply.type('text/html; charset=utf-8').send(indexPage);
  };
  app.get('/launch', async (request, reply) => {
    const { code } = request.query as Record<string, unknown>;
    if (!tokensMatch(code, launchCode)) {
      log.warn({ remote: request.ip }, 'launch refused: wrong or spent code');
      return reply.code(401).type('text/plain; charset=utf-8').send('this launch link is spent or wrong');
    }
    await newLaunchCode();
    log.info({}, 'launch code spent: the page has its socket cookie');
    reply.header('Cache-Control', 'no-store');
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
    return reply.redirect('/', 303);
  });
  app.get('/', (_req, reply) => sendPage(reply));
  app.get('/index.html', (_req, reply) => sendPage(reply));
  app.get('/healthz', () => (options.health === undefined ? services.health() : options.health()));

  app.get(
    '/rpc',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (!tokensMatch(request.cookies[SESSION_COOKIE], token)) {
          log.warn({ remote: request.ip }, 'websocket refused: bad token');
          return reply.code(401).send({ error: 'bad token' });
        }
        if (request.headers.origin !== origin) {
          log.warn({ origin: request.headers.origin ?? null }, 'websocket refused: foreign origin');
          return reply.code(403).send({ error: 'foreign origin' });
        }
        return undefined;
      },
    },
    (socket) => {
      // Each socket is its own connection: a staff session signed in on one is not another's.
      const ctx = { transport: 'websocket', connection: `ws:${(connections += 1)}` } as const;
      const unsubscribe = services.rpc.onNotification((notification) => socket.send(JSON.stringify(notification)));
      socket.on('message', (data) => {
        void services.rpc.handle(messageText(data), ctx).then((response) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(response));
        });
      });
      socket.on('close', unsubscribe);
    },
  );
  options.extraRoutes?.(app, () => token);

  await app.listen({ host: '127.0.0.1', port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  log.info({ port }, 'browser host listening');
  return {
    url: `${origin}/`,
    token,
    launchUrl: () => `${origin}/launch?code=${launchCode}`,
    async close() {
      await app.close();
    },
  };
}
