/**
 * Attacker: listens on the hall or village network. The platform will not serve plain HTTP there
 * unless told so explicitly, serves HTTPS when given a certificate, and a terminal will not send
 * applications to an http: address outside its own machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { validateConfig } from '../../electron/services/config/config-loader';
import { silentLog } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { PlatformStartRefused, startPlatform } from '../../platform/server/start-platform';
import { repoRoot } from '../support/kiosk-process';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-tls-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the platform on a network address', () => {
  it('refuses plain HTTP outside loopback and says why', async () => {
    const started = startPlatform({
      port: 0,
      host: '0.0.0.0',
      dataDir: join(dir, 'p1'),
      catalog: embeddedCatalogue,
      log: silentLog,
    });
    await expect(started).rejects.toBeInstanceOf(PlatformStartRefused);
    await expect(started).rejects.toThrow(/plain HTTP on 0\.0\.0\.0.*--tls-cert.*--insecure-http/s);
  });

  it('refuses from the command line with exit code 2 and one line', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'platform/main.ts', '--host', '0.0.0.0', '--port', '0', '--data', join(dir, 'p2')],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Should the refusal be gone, the platform would run: stop it once it says it is ready.
    child.stdout.on('data', (d: Buffer) => {
      if (String(d).includes('platform ready')) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^platform: refusing to serve plain HTTP on 0\.0\.0\.0/);
  });

  it('starts anyway with the explicit flag', async () => {
    const platform = await startPlatform({
      port: 0,
      host: '0.0.0.0',
      allowInsecureHttp: true,
      dataDir: join(dir, 'p3'),
      catalog: embeddedCatalogue,
      log: silentLog,
    });
    expect(platform.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await platform.close();
  });

  it('serves HTTPS with a certificate, and plain HTTP on that port gets nothing', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const platform = await startPlatform({
      port: 0,
      dataDir: join(dir, 'p4'),
      catalog: embeddedCatalogue,
      log: silentLog,
      tls: { cert, key: readFileSync(join(dir, 'key.pem')) },
    });
    try {
      expect(platform.url).toMatch(/^https:\/\//);
      const answer = await new Promise<{ status: number; headers: Record<string, unknown> }>((done, fail) => {
        const req = request(`${platform.url}/hall/login`, { ca: cert }, (res) => {
          res.resume();
          done({ status: res.statusCode ?? 0, headers: res.headers });
        });
        req.on('error', fail);
        req.end();
      });
      expect(answer.status).toBe(200);
      expect(String(answer.headers['strict-transport-security'])).toMatch(/max-age=/);
      expect(String(answer.headers['set-cookie'])).toMatch(/vk_session=.*Secure/);
      const plain = await fetch(platform.url.replace('https:', 'http:') + '/hall/login').catch(() => null);
      expect(plain === null || plain.status === 400).toBe(true);
    } finally {
      await platform.close();
    }
  });
});

describe('a terminal pointed at a plain-http platform', () => {
  it('refuses the configuration in one line naming the field', () => {
    const result = validateConfig({ platform: { mode: 'remote', url: 'http://198.51.100.7:8790' } }, 'site.json');
    expect(!result.ok && result.error.message).toMatch(/^site\.json: platform\.url: http:\/\/ sends .* use https:\/\//);
    expect(validateConfig({ platform: { mode: 'remote', url: 'https://198.51.100.7' } }, 'site.json').ok).toBe(true);
  });

  it('refuses to enrol with it', async () => {
    const err: string[] = [];
    const code = await runCli(
      [
        'node',
        'kiosk',
        'enrol',
        '--platform',
        'http://198.51.100.7:8790',
        '--code',
        'K7QP-M2XD',
        '--data',
        join(dir, 'k'),
        '--terminal-id',
        'QS-LX-0001',
      ],
      { out: () => {}, progress: () => {}, err: (l) => err.push(l) },
    );
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^kiosk: --platform http:\/\/198\.51\.100\.7:8790: http:\/\/ sends/)]);
  });
});
