/**
 * Runs a Mosquitto broker (Debian's `mosquitto`) with a generated configuration: for the integration
 * tests, the bench and `npm run fleet -- local`. Waits for the broker's own "running" line, never a
 * fixed delay; reload rereads the password file (SIGHUP), as a county's broker does after enrolment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { makeBrokerCertificates, type BrokerCertificates } from './dev-certificates';
import { mosquittoAcl, mosquittoConfig } from './mosquitto-config';
import { upsertPasswords } from './mosquitto-passwords';

export const mosquittoBinary = process.env['MOSQUITTO'] ?? '/usr/sbin/mosquitto';

export interface BrokerOptions {
  /** Working folder (certificates, configuration, password file, persistence). */
  readonly dir: string;
  readonly county: string;
  /** username → secret, written before the start. */
  readonly users?: ReadonlyMap<string, string>;
  readonly consoleUsers?: readonly string[];
  /** 0 picks a free port. */
  readonly tlsPort?: number;
  /** Also listen without TLS on loopback (the bench's many simulated terminals). */
  readonly plainPort?: number;
  readonly connectionMessages?: boolean;
  readonly maxConnections?: number;
}

export interface RunningBroker {
  readonly tlsUrl: string;
  readonly plainUrl: string | null;
  readonly certificates: BrokerCertificates;
  readonly passwordFile: string;
  readonly pid: number;
  readonly log: () => string;
  addUsers(users: ReadonlyMap<string, string>): void;
  /** Rereads the password file and ACL. */
  reload(): Promise<void>;
  /** A clean stop (the broker saves retained messages). */
  stop(): Promise<void>;
  /** Starts the same broker again on the same ports and folder. */
  start(): Promise<void>;
  /** SIGKILL, nothing saved. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { dir } = options;
  mkdirSync(join(dir, 'persistence'), { recursive: true });
  const certificates = makeBrokerCertificates(dir);
  const passwordFile = join(dir, 'passwords');
  const aclFile = join(dir, 'acl');
  const configFile = join(dir, 'mosquitto.conf');
  upsertPasswords(passwordFile, options.users ?? new Map());
  writeFileSync(aclFile, mosquittoAcl(options.county, options.consoleUsers ?? ['fleet-console']));
  const tlsPort = options.tlsPort || (await freePort());
  const plainPort = options.plainPort === undefined ? null : options.plainPort || (await freePort());
  writeFileSync(
    configFile,
    mosquittoConfig({
      listeners: [
        { port: tlsPort, host: '127.0.0.1', tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } },
        ...(plainPort === null ? [] : [{ port: plainPort, host: '127.0.0.1' }]),
      ],
      passwordFile,
      aclFile,
      persistenceDir: join(dir, 'persistence'),
      user: userInfo().username,
      ...(options.connectionMessages === undefined ? {} : { connectionMessages: options.connectionMessages }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    }),
  );

  let child: ChildProcess | null = null;
  let output = '';
  const launch = async () => {
    const started = spawn(mosquittoBinary, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    // Where a platform issuing broker accounts finds whom to tell (SIGHUP) to reread the password file.
    writeFileSync(join(dir, 'mosquitto.pid'), `${started.pid ?? ''}\n`);
    const seen = output.length;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        // Keep only the tail: a long bench logs a lot.
        if (output.length > 200_000) output = output.slice(-100_000);
        if (/mosquitto version [\d.]+ running/.test(output.slice(Math.min(seen, output.length)))) {
          started.stderr?.off('data', onData);
          started.stderr?.on('data', (more: Buffer) => {
            output = (output + more.toString()).slice(-100_000);
          });
          resolve();
        }
      };
      started.stderr?.on('data', onData);
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${output.slice(-2000)}`)));
    });
  };
  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.once('exit', () => resolve()));
  await launch();

  return {
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    plainUrl: plainPort === null ? null : `mqtt://127.0.0.1:${plainPort}`,
    certificates,
    passwordFile,
    get pid() {
      return child?.pid ?? 0;
    },
    log: () => output,
    addUsers(users) {
      upsertPasswords(passwordFile, users);
    },
    async reload() {
      const current = child;
      if (current === null) return;
      const before = output.length;
      current.kill('SIGHUP');
      // Mosquitto says so once it has reread its files.
      const deadline = Date.now() + 10_000;
      while (!/Reloading config|reload/i.test(output.slice(before)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async stop() {
      const current = child;
      if (current === null) return;
      child = null;
      current.kill('SIGTERM');
      await exited(current);
    },
    async start() {
      if (child === null) await launch();
    },
    async kill() {
      const current = child;
      if (current === null) return;
      child = null;
      current.kill('SIGKILL');
      await exited(current);
    },
  };
}
