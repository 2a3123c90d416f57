import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recordingLog } from '../../foundation/log';
import { defaultConfig } from '../../kiosk-config/default-config';
import { messageText } from '../../electron/host/browser-host';
import { startKioskRuntime, type KioskRuntime } from '../../electron/host/kiosk-runtime';

/** The browser host's own guarantees: token, origin, CSP, health without personal data. */
let runtime: KioskRuntime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-host-'));
  const started = await startKioskRuntime({ config: defaultConfig, dataDir, port: 0, log: recordingLog() });
  if (!started.ok) throw new Error(started.error.message);
  runtime = started.value;
});
afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect(
  token: string | undefined,
  origin: string | undefined,
): Promise<{ ws: WebSocket; status: number | 'open' }> {
  const url = `${runtime.host.url.replace('http', 'ws')}rpc`;
  const headers = {
    ...(origin === undefined ? {} : { Origin: origin }),
    ...(token === undefined ? {} : { Cookie: `kiosk-session=${token}` }),
  };
  const ws = new WebSocket(url, { headers });
  return new Promise((done) => {
    ws.on('open', () => done({ ws, status: 'open' }));
    ws.on('unexpected-response', (_req, res) => done({ ws, status: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

function origin(): string {
  return runtime.host.url.replace(/\/$/, '');
}

describe('browser host', () => {
  it('serves the page with a strict CSP', async () => {
    const response = await fetch(runtime.host.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'/);
  });

  it('hands the token over once, as an HttpOnly SameSite=Strict cookie, for the launch URL', async () => {
    const launch = runtime.host.launchUrl();
    const response = await fetch(launch, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`kiosk-session=${runtime.host.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(runtime.host.launchUrl()).not.toBe(launch);
  });

  it('answers /healthz with JSON and no personal data', async () => {
    const response = await fetch(`${runtime.host.url}healthz`);
    expect(response.status).toBe(200);
    // Device states and the watchdog's problem names: what a technician's curl needs, nothing personal.
    expect(Object.keys((await response.json()) as object).sort()).toEqual([
      'devices',
      'problems',
      'sessionActive',
      'status',
      'uptimeSeconds',
      'version',
    ]);
  });

  it('refuses a socket without the token, with a wrong token, or from a foreign origin', async () => {
    expect((await connect(undefined, origin())).status).toBe(401);
    expect((await connect('guess', origin())).status).toBe(401);
    expect((await connect(runtime.host.token, 'http://evil.example')).status).toBe(403);
    expect((await connect(runtime.host.token, undefined)).status).toBe(403);
  });

  it('accepts the page’s own socket and speaks JSON-RPC over it', async () => {
    const { ws, status } = await connect(runtime.host.token, origin());
    expect(status).toBe('open');
    const reply = new Promise<unknown>((done) => ws.once('message', (data) => done(JSON.parse(messageText(data)))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'health.get', params: {} }));
    expect(await reply).toMatchObject({ jsonrpc: '2.0', id: 1, result: { status: 'ok' } });
    ws.close();
  });
});
