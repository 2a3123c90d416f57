import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KioskProcess } from '../support/kiosk-process';
import { repoRoot } from '../support/kiosk-process';
import { provisionDataDir } from '../support/provisioning';
import { unitEnvironment } from '../../packaging/systemd-unit';

/** The environment the installed unit gives the service (its Environment= lines): the soak runs it as installed. */
export function serviceUnitEnvironment(
  unit = join(repoRoot, 'packaging/systemd/village-kiosk.service'),
): Record<string, string> {
  return unitEnvironment(readFileSync(unit, 'utf8'));
}

/**
 * Starts soak-kiosk.ts (the browser-host runtime on the soak's stepped clock) as its own process,
 * provisioned as the e2e kiosks are, with its log (stderr) in a file the harness measures, as the
 * journal would receive it. Commands go in on stdin, one answer line each comes back on stdout.
 */
export interface SoakKiosk extends KioskProcess {
  readonly pid: number;
  /** The service's log as written so far (what the journal would hold). */
  readonly logFile: string;
  /** Skips wall time (the background schedules that came due run). */
  advance(ms: number): Promise<void>;
  /** The service process's memory after a full GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Writes the service's heap snapshot (after a full GC) to `path`. */
  heapSnapshot(path: string): Promise<void>;
}

export async function startSoakKiosk(config: unknown): Promise<SoakKiosk> {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-soak-'));
  const dataDir = join(root, 'data');
  const configPath = join(root, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const provisioned = await provisionDataDir(dataDir, { configPath });
  if (provisioned.code !== 0) throw new Error(`kiosk provision failed: ${provisioned.stderr}`);
  mkdirSync(join(root, 'log'));
  const logFile = join(root, 'log', 'kiosk.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(repoRoot, 'test/soak/soak-kiosk.ts'), dataDir, configPath],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...serviceUnitEnvironment(), KIOSK_LOG_LEVEL: 'info' },
    },
  );
  child.stderr.pipe(log);
  let out = '';
  const answers: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  let ready: ((url: string) => void) | undefined;
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const match = /^kiosk ready at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (match?.[1] !== undefined) ready?.(match[1]);
      const waiting = answers[0];
      if (waiting !== undefined && line.startsWith(waiting.prefix)) {
        answers.shift();
        waiting.resolve(line.slice(waiting.prefix.length));
      }
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    // Bounds a hang; a start takes seconds.
    const timer = setTimeout(() => reject(new Error(`soak kiosk not ready in time: ${out}`)), 120_000);
    ready = (found) => {
      clearTimeout(timer);
      resolve(found);
    };
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`soak kiosk exited with ${code}; log in ${logFile}`));
    });
  });
  const ask = (command: string, prefix: string) =>
    new Promise<string>((resolve) => {
      answers.push({ prefix, resolve });
      child.stdin.write(`${command}\n`);
    });
  return {
    url,
    launchUrl: () => `${url}launch?code=${readFileSync(join(dataDir, 'launch-code'), 'utf8').trim()}`,
    // KioskProcess's dataDir is the folder above `data` (platformApplications reads dataDir/data).
    dataDir: root,
    child,
    pid: child.pid ?? 0,
    logFile,
    stdout: () => out,
    stderr: () => (statSync(logFile, { throwIfNoEntry: false }) === undefined ? '' : readFileSync(logFile, 'utf8')),
    async advance(ms) {
      await ask(`advance ${Math.round(ms)}`, 'advanced ');
    },
    async memory() {
      return JSON.parse(await ask('memory', 'memory ')) as NodeJS.MemoryUsage;
    },
    async heapSnapshot(path) {
      await ask(`heap ${path}`, 'heap ');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      log.end();
      // SOAK_KEEP=1 leaves the data folder and log for a look at what grew (its path is printed).
      if (process.env['SOAK_KEEP'] === '1') process.stderr.write(`soak: kept ${root}\n`);
      else rmSync(root, { recursive: true, force: true });
    },
  };
}
