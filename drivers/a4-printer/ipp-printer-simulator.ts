import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopChild, trackChild as track, withParentDeath } from '../simulators/child-process';

/**
 * A real IPP printer for tests and `npm start`: CUPS's `ippeveprinter` (cups-ipp-utils) on a free
 * loopback port, accepting PDF. Its print command is a small script that plays the print engine:
 * it keeps each PDF it receives in `received/` (so tests can read what arrived) and reports paper
 * out or a jam the way a real printer does, through `printer-state-reasons`, aborting the job.
 *
 * ippeveprinter insists on a DNS-SD client even with registration off (`-r off`); it is given a
 * private D-Bus of its own so it neither needs nor touches the machine's Avahi.
 */
export type SimulatedPaper = 'in' | 'out' | 'jam';

export interface IppPrinterSimulator {
  /** ipp://127.0.0.1:PORT/ipp/print */
  readonly uri: string;
  readonly dir: string;
  /** Paper out or a jam stops the engine (the job waits, processing); paper back, it goes on. */
  setPaper(paper: SimulatedPaper): Promise<void>;
  /** The PDFs the engine received, oldest first. */
  received(): Promise<Buffer[]>;
  /** Stops the printer (clients see it offline); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops everything and removes the folder. */
  close(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** ipptool's check that a job was cancelled while it waited (ippeveprinter leaves the engine running). */
const CANCELLED_TEST = `{
  NAME "cancelled while waiting"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job
  STATUS successful-ok
  EXPECT job-state-reasons WITH-VALUE processing-to-stop-point
}
`;

function engineScript(dir: string, port: number): string {
  // Runs once per job with the spooled file as $1 (named "<job-id>-<job-name>"); stderr lines
  // "STATE: ±reason" set the printer's printer-state-reasons. Like a real engine it waits, job still
  // processing, while paper is out or jammed; paper back, it prints, unless the job was cancelled
  // meanwhile (ippeveprinter marks it processing-to-stop-point but does not stop the command); a
  // cleared jam loses the job (aborted), as it does on most printers.
  // The printed file goes to received/ (the output tray) and leaves the spool at once, like a printer or
  // CUPS queue that keeps no job files (ippeveprinter itself would delete it a minute after the job).
  return `#!/bin/sh
paper() { cat '${dir}/paper' 2>/dev/null || echo in; }
state=$(paper)
if [ "$state" != in ]; then
  reason=media-empty; [ "$state" = jam ] && reason=media-jam
  echo "STATE: +$reason" >&2
  while [ "$(paper)" != in ]; do sleep 0.05; done
  echo "STATE: -$reason" >&2
  [ "$reason" = media-jam ] && exit 1
  job=$(basename "$1" | cut -d- -f1)
  if ipptool -q -d job="$job" ipp://localhost:${port}/ipp/print '${dir}/cancelled.test'; then
    rm -f "$1"
    exit 0
  fi
fi
n=$(ls '${dir}/received' | wc -l)
cp "$1" "${dir}/received/$(printf '%04d' "$n").pdf"
rm -f "$1"
`;
}

/** Waits until `child` (named `name` in errors) accepts connections on the loopback `port`. */
export async function waitForPort(
  name: string,
  port: number,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${stderr().trim()}`);
    }
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startBus(dir: string): Promise<ChildProcess> {
  const [command, prefix] = withParentDeath('dbus-daemon');
  const child = spawn(
    command,
    [...prefix, '--session', '--nofork', '--nopidfile', '--print-address=1', `--address=unix:path=${dir}/bus`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code ?? '?'})`)));
    child.once('error', reject);
  });
  return child;
}

export async function startIppPrinterSimulator(
  options: { name?: string; startTimeoutMs?: number } = {},
): Promise<IppPrinterSimulator> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kiosk-ipp-'));
  await mkdir(path.join(dir, 'received'));
  await mkdir(path.join(dir, 'spool'));
  await writeFile(path.join(dir, 'paper'), 'in');
  const port = await freeLoopbackPort();
  const script = path.join(dir, 'engine.sh');
  await writeFile(script, engineScript(dir, port));
  await chmod(script, 0o755);
  await writeFile(path.join(dir, 'cancelled.test'), CANCELLED_TEST);
  const bus = await startBus(dir);
  let printer: ChildProcess | undefined;

  const start = async () => {
    const [command, prefix] = withParentDeath(
      existsSync('/usr/sbin/ippeveprinter') ? '/usr/sbin/ippeveprinter' : 'ippeveprinter',
    );
    let stderr = '';
    const child = spawn(
      command,
      [
        ...prefix,
        '-p',
        String(port),
        '-n',
        'localhost',
        '-r',
        'off',
        '-d',
        path.join(dir, 'spool'),
        '-f',
        'application/pdf',
        '-c',
        script,
        '-s',
        '30',
        options.name ?? 'A4 Simulated',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${dir}/bus` } },
    );
    track(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    printer = child;
    await waitForPort('ippeveprinter', port, child, () => stderr, options.startTimeoutMs ?? 10_000);
  };
  await start();

  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    dir,
    setPaper: (paper) => writeFile(path.join(dir, 'paper'), paper),
    received: async () => {
      const names = (await readdir(path.join(dir, 'received'))).sort();
      return Promise.all(names.map((n) => readFile(path.join(dir, 'received', n))));
    },
    stop: () => stopChild(printer),
    start,
    close: async () => {
      await stopChild(printer);
      await stopChild(bus);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
