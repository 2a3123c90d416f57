import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import {
  appContentSecurityPolicy,
  appScheme,
  contentTypeFor,
  createAppRequestHandler,
  installAppProtocol,
  registerAppScheme,
  resolveAppPath,
} from './app-protocol';

let base: string;
let root: string;
const SECRET = 'SECRET-OUTSIDE-RENDERER';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kiosk-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function parseCsp(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values]),
  );
}

describe('scheme registration', () => {
  it('registers app:// as standard, secure and fetch-capable, and nothing looser', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(appScheme.privileges).not.toHaveProperty('bypassCSP');
    expect(appScheme.privileges).not.toHaveProperty('corsEnabled');
  });

  it('installs the file handler for the app scheme', async () => {
    const protocol = { handle: vi.fn() };
    installAppProtocol(protocol, root, recordingLog());
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = protocol.handle.mock.calls[0]?.[1] as (r: Request) => Promise<Response>;
    expect((await handler(new Request('app://kiosk/index.html'))).status).toBe(200);
  });
});

describe('content security policy', () => {
  const csp = parseCsp(appContentSecurityPolicy);

  it('defaults everything to the app itself', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
  });

  it('allows what the camera and document photos need', () => {
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
  });

  it('never allows eval or inline code', () => {
    expect(appContentSecurityPolicy).not.toContain('unsafe-eval');
    expect(appContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('is sent with pages, assets and refusals alike', async () => {
    const handle = createAppRequestHandler(root, recordingLog());
    for (const url of [
      'app://kiosk/',
      'app://kiosk/assets/index-abc.js',
      'app://kiosk/missing',
      'app://kiosk/..%2fsecret.txt',
    ]) {
      const response = await handle(new Request(url));
      expect(response.headers.get('content-security-policy'), url).toBe(appContentSecurityPolicy);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
  });
});

describe('serving files', () => {
  const handle = () => createAppRequestHandler(root, recordingLog());

  it('serves index.html for / and files with their types', async () => {
    const page = await handle()(new Request('app://kiosk/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>kiosk</title>');
    const script = await handle()(new Request('app://kiosk/assets/index-abc.js?v=2'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handle()(new Request('app://kiosk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handle()(new Request('app://kiosk/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('gives 404 for missing files, directories and other hosts', async () => {
    for (const url of [
      'app://kiosk/nope.js',
      'app://kiosk/assets',
      'app://other/index.html',
      'app://kiosk:1/index.html',
    ]) {
      expect((await handle()(new Request(url))).status, url).toBe(404);
    }
  });

  it('does not follow a symlink out of the renderer folder', async () => {
    const response = await handle()(new Request('app://kiosk/assets/link.txt'));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
  });
});

describe('path traversal', () => {
  it.each([
    'app://kiosk/../secret.txt',
    'app://kiosk/%2e%2e/secret.txt',
    'app://kiosk/%2E%2E/secret.txt',
    'app://kiosk/assets/..%2f..%2fsecret.txt',
    'app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://kiosk/..%5csecret.txt',
    'app://kiosk/assets\\..\\..\\secret.txt',
    'app://kiosk/%00index.html',
    'app://kiosk/%E0%A4%A',
    // A step up is refused even when it would land inside the root again: no path games at all.
    'app://kiosk/assets/%2e%2e/index.html',
  ])('refuses %s before touching the disk', (url) => {
    expect(resolveAppPath(root, url).ok).toBe(false);
  });

  it.each([
    'app://kiosk/..%2fsecret.txt',
    'app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://kiosk/%2e%2e%5csecret.txt',
  ])('answers %s with 404 and never the file', async (url) => {
    const log = recordingLog();
    const response = await createAppRequestHandler(root, log)(new Request(url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
    expect(log.lines.some((line) => line.message === 'app protocol: request refused')).toBe(true);
  });

  it('maps allowed paths inside the root', () => {
    expect(resolveAppPath(root, 'app://kiosk/assets/index-abc.js')).toEqual({
      ok: true,
      value: join(root, 'assets', 'index-abc.js'),
    });
    expect(resolveAppPath(root, 'app://kiosk')).toEqual({ ok: true, value: join(root, 'index.html') });
  });

  it('never resolves any path to a place outside the root (property)', () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      'assets',
      '%2f',
      '%5c',
      '\\',
      'secret.txt',
      '',
      '%00',
      '..%2f',
      'a%2F..',
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const resolved = resolveAppPath(root, `app://kiosk/${parts.join('/')}`);
        return !resolved.ok || resolved.value === root || resolved.value.startsWith(`${root}/`);
      }),
      { numRuns: 500 },
    );
  });

  it('never serves the secret for any request path (property)', async () => {
    const handle = createAppRequestHandler(root, recordingLog());
    const segment = fc.constantFrom('..', '%2e%2e', 'assets', '%2f', '%5c', 'secret.txt', 'link.txt', 'index.html');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 6 }), async (parts) => {
        const response = await handle(new Request(`app://kiosk/${parts.join('/')}`));
        return !(await response.text()).includes(SECRET);
      }),
      { numRuns: 200 },
    );
  });
});
