/**
 * A real coturn (Debian's `turnserver`) on loopback for the relay test: a generated configuration
 * in a temp folder, the shared-secret scheme the platform issues credentials for
 * (`use-auth-secret`), relaying between loopback addresses only, no CLI, no TLS. Ready when it
 * says its UDP listener is open; stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Coturn {
  readonly port: number;
  readonly secret: string;
  readonly turnUrl: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** A port free for both TCP and UDP on 127.0.0.1 at the moment of asking. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

export async function startCoturn(): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'vk-coturn-'));
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  const config = [
    `listening-ip=127.0.0.1`,
    `relay-ip=127.0.0.1`,
    `listening-port=${port}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=village-kiosk.test',
    'fingerprint',
    // The two browsers of the test are both on loopback: relaying to them must be allowed.
    'allow-loopback-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    'no-tcp-relay',
    'no-multicast-peers',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
    'verbose',
  ].join('\n');
  const configFile = join(dir, 'turnserver.conf');
  writeFileSync(configFile, `${config}\n`, { mode: 0o600 });
  const child: ChildProcess = spawn('turnserver', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The browsers reach it over UDP; the TCP listener opens first.
      if (/UDP listener opened on\s*:\s*127\.0\.0\.1:\d+/i.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`turnserver exited (${code}) before it was ready:\n${output}`)));
    child.once('error', reject);
  });
  await ready;
  return {
    port,
    secret,
    turnUrl: `turn:127.0.0.1:${port}?transport=udp`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
