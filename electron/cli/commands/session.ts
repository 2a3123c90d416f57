import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { launchCodeFileName } from '../../host/host-security';
import { CliExit, type CliIo } from '../cli-io';
import { exitCodes } from '../exit-codes';
import { serviceAllocatorEnvironment, serviceV8Flags } from '../service-memory';

/**
 * `kiosk session --url URL --data DIR`: the screen, run by village-kiosk-session.service inside cage.
 * Waits for the services, then runs Chromium in kiosk mode and asks its page for a heartbeat every
 * few seconds over the DevTools protocol on a private pipe (--remote-debugging-pipe: only this process
 * holds it, unlike a debugging port). A page that does not answer for `--heartbeat-seconds` (a hung
 * renderer) or a browser that exits is restarted; too many restarts end the session with an error so
 * systemd restarts it whole. Where the Electron variant is installed, it runs that instead.
 */
export const electronVariant = '/opt/village-kiosk/village-kiosk';

/** The Electron variant's command line: the services' V8 flags reach its main process only this way. */
export function electronVariantArgs(dataDir: string): string[] {
  return [`--js-flags=${serviceV8Flags.join(' ')}`, '--data', dataDir, '--config', '/etc/village-kiosk/config.json'];
}

interface SessionOptions {
  url: string;
  data: string;
  browser: string;
  heartbeatSeconds: string;
}

function chromiumArgs(url: string, dataDir: string): string[] {
  return [
    '--kiosk',
    `--app=${url}`,
    '--ozone-platform=wayland',
    `--user-data-dir=${join(dataDir, 'chromium-profile')}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--noerrdialogs',
    '--disable-session-crashed-bubble',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--enable-speech-dispatcher',
    '--remote-debugging-pipe',
  ];
}

/** DevTools protocol over the pipe: NUL-terminated JSON messages. */
function devtools(child: ChildProcess) {
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let buffer = '';
  let nextId = 1;
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) !== -1) {
      const message = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
      buffer = buffer.slice(end + 1);
      const id = message['id'];
      if (typeof id === 'number') waiting.get(id)?.(message);
      waiting.delete(id as number);
    }
  });
  return (method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown> | null> =>
    new Promise((done) => {
      const id = nextId++;
      waiting.set(id, done);
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), ms).unref())]);
}

/** Runs one browser until its page stops answering or it exits; resolves with why. */
export async function superviseBrowser(
  browser: string,
  args: string[],
  heartbeatMs: number,
  io: CliIo,
): Promise<string> {
  const child = spawn(browser, args, { stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'] });
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => done(`browser exited (${signal ?? code})`)),
  );
  const send = devtools(child);
  let session: string | undefined;
  // Elapsed time, not the wall clock: a clock set forward must not look like a page that stopped answering.
  let silentSince = performance.now();
  for (;;) {
    const tick = await Promise.race([
      exited,
      new Promise<null>((done) => setTimeout(() => done(null), heartbeatMs / 3)),
    ]);
    if (tick !== null) return tick;
    if (session === undefined) {
      const targets = await withTimeout(send('Target.getTargets'), heartbeatMs / 3);
      const infos =
        targets === 'timeout'
          ? []
          : ((targets?.['result'] as { targetInfos?: Array<{ type: string; targetId: string }> })?.targetInfos ?? []);
      const page = infos.find((t) => t.type === 'page');
      if (page !== undefined) {
        const attached = await withTimeout(
          send('Target.attachToTarget', { targetId: page.targetId, flatten: true }),
          heartbeatMs / 3,
        );
        session =
          attached === 'timeout'
            ? undefined
            : ((attached?.['result'] as { sessionId?: string })?.sessionId ?? undefined);
      }
    } else {
      const answer = await withTimeout(
        send('Runtime.evaluate', { expression: '1', returnByValue: true }, session),
        heartbeatMs / 3,
      );
      if (answer !== 'timeout' && answer?.['error'] === undefined) silentSince = performance.now();
      else if (answer !== 'timeout') session = undefined; // page replaced: attach again
    }
    if (performance.now() - silentSince > heartbeatMs) {
      io.err(`kiosk: session: the page did not answer for ${Math.round(heartbeatMs / 1000)} s; restarting the browser`);
      child.kill('SIGKILL');
      await exited;
      return 'page unresponsive';
    }
  }
}

async function waitForServices(url: string, io: CliIo): Promise<void> {
  const health = new URL('/healthz', url).href;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(health, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not up yet
    }
    if (attempt === 0) io.out(`kiosk: session: waiting for the services at ${health}`);
    await new Promise((done) => setTimeout(done, 1000));
  }
}

/**
 * The services' one-time launch URL: the code the host wrote to the data folder (a new one after
 * each use), which sets the page's socket cookie. Without it the page opens but cannot connect.
 */
export function launchUrl(base: string, dataDir: string, read = readFileSync): string {
  try {
    const code = read(join(dataDir, launchCodeFileName), 'utf8').trim();
    return new URL(`launch?code=${encodeURIComponent(code)}`, base).href;
  } catch {
    return base;
  }
}

export function registerSessionCommand(program: Command, io: CliIo): void {
  program
    .command('session')
    .description('the kiosk screen (inside cage): the browser in kiosk mode, restarted when its page hangs')
    .requiredOption('--url <url>', 'the local host the services serve')
    .requiredOption('--data <dir>', 'data folder (the browser profile lives there)')
    .option('--browser <path>', 'browser binary', '/usr/bin/chromium')
    .option('--heartbeat-seconds <n>', 'restart the browser after this long without an answer', '15')
    .action(async (options: SessionOptions) => {
      const dataDir = resolve(options.data);
      if (existsSync(electronVariant)) {
        io.out('kiosk: session: running the Electron variant');
        const child = spawn(electronVariant, electronVariantArgs(dataDir), {
          stdio: 'inherit',
          // The services run in its main process: the allocator's settings the headless unit gives them.
          env: { ...process.env, ...serviceAllocatorEnvironment },
        });
        const code = await new Promise<number>((done) => child.on('exit', (c) => done(c ?? 1)));
        throw new CliExit(code === 0 ? exitCodes.ok : exitCodes.failed);
      }
      const heartbeatMs = Number(options.heartbeatSeconds) * 1000;
      const restarts: number[] = [];
      for (;;) {
        await waitForServices(options.url, io);
        const why = await superviseBrowser(
          options.browser,
          chromiumArgs(launchUrl(options.url, dataDir), dataDir),
          heartbeatMs,
          io,
        );
        const now = performance.now(); // restarts counted within 5 minutes of elapsed time
        restarts.push(now);
        while ((restarts[0] ?? now) < now - 300_000) restarts.shift();
        io.err(`kiosk: session: ${why}`);
        if (restarts.length > 5) {
          io.err('kiosk: session: more than 5 browser restarts in 5 minutes; ending the session');
          throw new CliExit(1);
        }
      }
    });
}
