import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, trackChild, withParentDeath } from './child-process';

/**
 * A linked pseudo-terminal pair made by socat: whatever is written on one end is read on the
 * other, and `serialport` opens either end like a real serial adapter. Simulators sit on
 * `simulatorPath`; the driver under test (or the kiosk) opens `devicePath`.
 *
 * `unplug()` ends socat: the PTY masters close, both link paths disappear and an open driver sees
 * a hang-up, as with a USB-serial adapter pulled out. `replug()` starts a fresh pair at the same
 * paths, as when it is plugged back in.
 */
export interface PtyPair {
  readonly devicePath: string;
  readonly simulatorPath: string;
  readonly plugged: boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  /** Ends socat and removes the temporary folder (if this pair made it). Safe to call twice. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Folder for the two links; by default a fresh temp folder that close() removes. */
  readonly dir?: string;
  /** Link names inside `dir`. */
  readonly deviceName?: string;
  readonly simulatorName?: string;
  /** How long socat may take to set up the pair. */
  readonly startTimeoutMs?: number;
}

const socatCommand = withParentDeath('socat');

async function startSocat(devicePath: string, simulatorPath: string, timeoutMs: number): Promise<ChildProcess> {
  const [command, prefix] = socatCommand;
  const child = spawn(
    command,
    [...prefix, '-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${simulatorPath}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  trackChild(child);
  let stderr = '';
  let ready = false;
  return new Promise<ChildProcess>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(message));
    };
    const timer = setTimeout(
      () => fail(`socat did not set up the PTY pair within ${timeoutMs} ms: ${stderr.trim()}`),
      timeoutMs,
    );
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT' ? 'socat is not installed (apt install socat)' : `cannot start socat: ${error.message}`,
      );
    });
    child.once('exit', (code, signal) =>
      fail(`socat exited (${code ?? signal}) before the PTY pair was ready: ${stderr.trim()}`),
    );
    // The links exist once socat has opened both PTYs and says it is transferring data; keep
    // draining stderr afterwards so socat never blocks on a full pipe.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (stderr.length < 4096) stderr += text;
      if (!ready && stderr.includes('starting data transfer loop')) {
        ready = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        child.on('error', () => {}); // a late kill() failure must not crash the process
        resolve(child);
      }
    });
  });
}

export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'kiosk-pty-')));
  const devicePath = join(dir, options.deviceName ?? 'device');
  const simulatorPath = join(dir, options.simulatorName ?? 'simulator');
  const timeoutMs = options.startTimeoutMs ?? 5000;
  const removeLinks = async () => {
    // socat removes its links on a clean exit; make sure after a crash too.
    await rm(devicePath, { force: true });
    await rm(simulatorPath, { force: true });
  };

  let child: ChildProcess | null;
  try {
    child = await startSocat(devicePath, simulatorPath, timeoutMs);
  } catch (error) {
    if (ownsDir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;

  return {
    devicePath,
    simulatorPath,
    get plugged() {
      return child !== null;
    },
    async unplug() {
      if (child === null) return;
      const c = child;
      child = null;
      await stopChild(c);
      await removeLinks();
    },
    async replug() {
      if (closed) throw new Error('PTY pair is closed');
      if (child !== null) return;
      await removeLinks();
      child = await startSocat(devicePath, simulatorPath, timeoutMs);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (child !== null) {
        const c = child;
        child = null;
        await stopChild(c);
      }
      await removeLinks();
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
