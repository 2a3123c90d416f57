import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { noDevicesConfig } from '../support/services-fixture';
import { startKioskRuntime, type KioskRuntime } from '../../electron/host/kiosk-runtime';

/**
 * A web page on the same machine (or one that rebinds its DNS name to 127.0.0.1) attacking the
 * browser host: requests that name another Host are refused whatever the path; the simulator dock
 * cannot be reached by spelling its path in percent-escapes; and on a terminal with real devices
 * the dock is not there at all.
 */
const dirs: string[] = [];
const runtimes: KioskRuntime[] = [];
async function start(config: KioskConfig, devDock = false): Promise<KioskRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-host-attack-'));
  dirs.push(dataDir);
  const started = await startKioskRuntime({ config, dataDir, port: 0, log: silentLog, devDock });
  if (!started.ok) throw new Error(started.error.message);
  runtimes.push(started.value);
  return started.value;
}
let simulated: KioskRuntime;
let real: KioskRuntime;

beforeAll(async () => {
  simulated = await start(defaultConfig);
  real = await start(noDevicesConfig);
});
afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request, so the path and Host header go out exactly as written (fetch would normalise them). */
function raw(
  runtime: KioskRuntime,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(runtime.host.url);
  return new Promise((done, fail) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** GET a path and return the status and the Set-Cookie header it answered with. */
function rawHeaders(runtime: KioskRuntime, path: string): Promise<{ status: number; cookie: string }> {
  const url = new URL(runtime.host.url);
  return new Promise((done, fail) => {
    const req = request({ host: url.hostname, port: url.port, method: 'GET', path }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('browser host under attack', () => {
  it('refuses any Host but the loopback address and port it serves (DNS rebinding)', async () => {
    const own = new URL(simulated.host.url).host;
    expect((await raw(simulated, 'GET', '/healthz')).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${new URL(simulated.host.url).port}`, 'localhost', '127.0.0.1:1'])
      for (const path of ['/', '/healthz', '/rpc', '/dock/printer/receipts', '/index.html'])
        expect((await raw(simulated, 'GET', path, { host })).status, `${host}${path}`).toBe(421);
    expect((await raw(simulated, 'GET', '/', { host: own })).status).toBe(200);
  });

  it('guards the dock on the decoded path: /%64ock/… needs the token like /dock/…', async () => {
    const card = JSON.stringify({ name: 'resident-long-term' });
    const json = { 'content-type': 'application/json' };
    for (const path of [
      '/dock/id-reader/card',
      '/%64ock/id-reader/card',
      '/%64%6fck/id-reader/card',
      '//dock/id-reader/card',
    ])
      expect((await raw(simulated, 'POST', path, json, card)).status, path).not.toBe(200);
    for (const path of ['/dock/printer/receipts', '/%64ock/printer/receipts', '/dock/%70rinter/receipts'])
      expect((await raw(simulated, 'GET', path)).status, path).not.toBe(200);
  });

  it('closes a socket that sends a message larger than the largest call', async () => {
    const { default: WebSocket } = await import('ws');
    const url = simulated.host.url.replace(/^http/, 'ws');
    const ws = new WebSocket(`${url}rpc`, {
      headers: { Origin: simulated.host.url.replace(/\/$/, ''), Cookie: `kiosk-session=${simulated.host.token}` },
    });
    await new Promise((done) => ws.once('open', done));
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.send('x'.repeat(6 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });

  it('never shows the socket token to a client that GETs the page; a launch code works once', async () => {
    const secret = simulated.host.token;
    for (const path of ['/', '/index.html', '/healthz']) {
      const response = await raw(simulated, 'GET', path);
      expect(response.body, path).not.toContain(secret);
    }
    const launch = new URL(simulated.host.launchUrl());
    const code = launch.searchParams.get('code') ?? '';
    // The code waits in an owner-only file for the kiosk's own browser.
    const file = join(runtimes.indexOf(simulated) >= 0 ? dirs[runtimes.indexOf(simulated)]! : '', 'launch-code');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(code);
    for (const guess of ['', 'x'.repeat(code.length), code.slice(1)]) {
      const refused = await raw(simulated, 'GET', `/launch?code=${encodeURIComponent(guess)}`);
      expect(refused.status).toBe(401);
      expect(refused.body).not.toContain(secret);
    }
    const first = await rawHeaders(simulated, `${launch.pathname}${launch.search}`);
    expect(first.status).toBe(303);
    expect(first.cookie).toContain(secret);
    const again = await rawHeaders(simulated, `${launch.pathname}${launch.search}`);
    expect(again.status).toBe(401);
    expect(again.cookie).toBe('');
  });

  it('has no dock at all on a terminal without simulated devices', async () => {
    const token = { 'x-kiosk-token': real.host.token, 'content-type': 'application/json' };
    expect((await raw(real, 'GET', '/dock/printer/receipts', token)).status).toBe(404);
    expect((await raw(real, 'POST', '/dock/platform/stop', token, '{}')).status).toBe(404);
  });

  it('mounts the dock for --dev-dock', async () => {
    const dev = await start(noDevicesConfig, true);
    expect((await raw(dev, 'GET', '/dock/printer/receipts', { 'x-kiosk-token': dev.host.token })).status).toBe(200);
  });
});
