import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Starts the real `kiosk start --headless` as a child process, exactly as a technician would,
 * and waits for its ready line.
 */
export const repoRoot = resolve(import.meta.dirname, '../..');

export interface KioskProcess {
  readonly url: string;
  /** A fresh one-time launch URL (the code the kiosk wrote to its data folder), as `kiosk session` opens it. */
  launchUrl(): string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly config?: unknown;
  readonly args?: string[];
  readonly timeoutMs?: number;
  /** Run the bundle `npm start` runs (dist/node/kiosk.mjs, built by `npm run build`) instead of the sources under tsx. */
  readonly bundled?: boolean;
  /** Provision first with `kiosk provision` and the test PINs (default); false leaves a fresh, unprovisioned terminal. */
  readonly provision?: boolean;
  /** A command the kiosk runs under, e.g. `['taskset', '-c', '0']` (the bench's one-core profile); it must exec node. */
  readonly under?: readonly string[];
  /**
   * Enrol at this (remote) platform with `kiosk enrol` after provisioning, as a technician sets up a
   * terminal that does not run its own platform (the configuration's `platform.url` names it).
   */
  readonly enrolAt?: { readonly platformUrl: string; readonly code: string };
  /** Laid over the test's environment (a PATH with test/support/fake-amixer first, its settings). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startKioskProcess(options: StartOptions = {}): Promise<KioskProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  const entry = options.bundled === true ? 'dist/node/kiosk.mjs' : 'electron/cli/kiosk.mjs';
  const args = [entry, 'start', '--headless', '--port', '0', '--data', join(dataDir, 'data'), ...(options.args ?? [])];
  let configPath: string | undefined;
  if (options.config !== undefined) {
    configPath = join(dataDir, 'config.json');
    writeFileSync(configPath, JSON.stringify(options.config));
    args.push('--config', configPath);
  }
  if (options.provision !== false) {
    const { provisionDataDir } = await import('./provisioning');
    // A configuration naming another terminal or service point is provisioned as that one.
    const named = options.config as { terminal?: { id?: string }; servicePoint?: { name?: string } } | undefined;
    const terminalId = named?.terminal?.id;
    const site = named?.servicePoint?.name;
    const provisioned = await provisionDataDir(join(dataDir, 'data'), {
      ...(configPath === undefined ? {} : { configPath }),
      ...(terminalId === undefined ? {} : { terminalId }),
      ...(site === undefined ? {} : { site }),
    });
    if (provisioned.code !== 0) throw new Error(`kiosk provision failed: ${provisioned.stderr}`);
  }
  if (options.enrolAt !== undefined) {
    const { enrolDataDir } = await import('./provisioning');
    const enrolled = await enrolDataDir(join(dataDir, 'data'), {
      ...options.enrolAt,
      ...(configPath === undefined ? {} : { configPath }),
    });
    if (enrolled.code !== 0) throw new Error(`kiosk enrol failed: ${enrolled.stderr}`);
  }
  // The last --data given wins (commander), as a test's own --data overrides ours.
  const kioskData = args[args.lastIndexOf('--data') + 1] ?? join(dataDir, 'data');
  const [command, ...prefix] = [...(options.under ?? []), process.execPath];
  const child = spawn(command ?? process.execPath, [...prefix, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KIOSK_LOG_LEVEL: 'info', ...options.env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`kiosk not ready in time\nstdout: ${out}\nstderr: ${err}`)),
      options.timeoutMs ?? 120_000, // bounds a hang; a start takes seconds, a minute under test/stress.sh
    );
    child.stdout?.on('data', () => {
      const match = /kiosk ready at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`kiosk exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return {
    url,
    launchUrl: () => `${url}launch?code=${readFileSync(join(kioskData, 'launch-code'), 'utf8').trim()}`,
    dataDir,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
