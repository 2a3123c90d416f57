import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../foundation/clock';
import { fleetKeyAt, writeSecretFile } from '../fleet/cli/fleet-files';
import { consoleDatabaseFile, consoleNodeOptions } from '../fleet/cli/console-command';
import { openConsoleDb } from '../fleet/console/console-store';
import { AccountStore, migrateAccountTables } from '../platform/server/accounts/account-db';
import { hashPassword } from '../platform/server/accounts/password-hash';
import { startBroker, type RunningBroker } from '../fleet/broker/mosquitto-process';
import type { AlertCode } from '../fleet/contract/fleet-payloads';
import { createSimulatedFleet, simulatedAccounts, type SimulatedFleet } from '../fleet/simulator/simulated-fleet';
import type { SimulatedTerminal } from '../fleet/simulator/simulated-terminal';
import { figure, section, summarize } from './stats';

/**
 * Issue 14's scale figures: N simulated terminals (one process, plain MQTT on loopback) and the
 * county console (its own process, as `npm run fleet -- console` starts it, over TLS) on a local
 * Mosquitto. Alert latency runs from the terminal writing its event to the console serving the
 * terminal's row in red after its live stream said so (what a technician's open page does).
 */
export interface FleetBenchOptions {
  readonly terminals: number;
  /** Steady window: CPU is measured over it and alerts are spread across it. */
  readonly steadySeconds: number;
  readonly alerts: number;
  readonly burst: number;
  readonly statePublishSeconds: number;
}

const county = 'bench';
const clockTick = 100; // USER_HZ on Linux: /proc/<pid>/stat times are in 1/100 s.

function openFileLimit(): number {
  const line = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return line?.[1] === undefined || line[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line[1]);
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTick;
}

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

interface ConsoleProcess {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

async function startConsoleProcess(args: readonly string[]): Promise<ConsoleProcess> {
  const child = spawn(process.execPath, [...consoleNodeOptions, 'dist/node/fleet.mjs', 'console', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FLEET_LOG_LEVEL: 'warn' },
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /fleet console at (http:\/\/\S+)/.exec(out)?.[1];
      if (found !== undefined) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`console exited with ${code}: ${errors}`)));
  });
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface ApiTerminal {
  readonly terminal: string;
  readonly health: string;
  readonly alerts: readonly string[];
  readonly lastSeen: string;
}

type ApiAnswer = { readonly brokerConnected: boolean; readonly terminals: readonly ApiTerminal[] };

/**
 * A staff member signed in through the console's form, as a browser would. The console's session
 * signing secret is new at every start, so after a console restart the bench signs in again, and
 * that time counts in the restart figure.
 */
class ConsoleSession {
  private cookie = '';
  constructor(
    private readonly name: string,
    private readonly password: string,
  ) {}

  static async create(dataDir: string, name: string, password: string): Promise<ConsoleSession> {
    mkdirSync(dataDir, { recursive: true });
    const db = openConsoleDb(consoleDatabaseFile(dataDir));
    try {
      migrateAccountTables(db);
      const store = new AccountStore(db);
      const account = store.create(name, 'viewer', await hashPassword(password), new Date());
      if (account === 'exists') throw new Error(`account ${name} exists`);
      store.setPassword(account.id, account.password_hash, false, new Date());
    } finally {
      db.close();
    }
    return new ConsoleSession(name, password);
  }

  get headers(): Record<string, string> {
    return { cookie: this.cookie };
  }

  async signIn(url: string): Promise<boolean> {
    const form = await fetch(`${url}/fleet/login`, { redirect: 'manual' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    if (csrf === undefined) return false;
    const posted = await fetch(`${url}/fleet/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: form.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ name: this.name, password: this.password, _csrf: csrf }).toString(),
    });
    await posted.arrayBuffer();
    // The last one: sign-in replaces the session (a new id), and the old cookie may be cleared first.
    const session = posted.headers
      .getSetCookie()
      .filter((c) => /^vk_session=[^;]/.test(c))
      .at(-1);
    if (posted.status !== 303 || session === undefined) return false;
    this.cookie = session.split(';')[0] ?? '';
    return true;
  }
}

/** The whole list, page by page as the console answers it; null when any page failed. */
async function consoleList(url: string, session: ConsoleSession): Promise<ApiAnswer | null> {
  const terminals: ApiTerminal[] = [];
  try {
    for (let after = ''; ;) {
      const response = await fetch(`${url}/fleet/api/terminals?after=${encodeURIComponent(after)}`, {
        headers: session.headers,
        redirect: 'manual',
      });
      if (response.status === 303) {
        await response.arrayBuffer();
        await session.signIn(url);
        return null;
      }
      if (!response.ok) return null;
      const page = (await response.json()) as ApiAnswer & { next: string | null };
      terminals.push(...page.terminals);
      if (page.next === null) return { brokerConnected: page.brokerConnected, terminals };
      after = page.next;
    }
  } catch {
    return null;
  }
}

/** True when the console shows exactly the fleet's truth: every terminal, its colour and open alerts. */
function viewIsCorrect(answer: ApiAnswer, fleet: SimulatedFleet): boolean {
  const shown = new Map(answer.terminals.map((t) => [t.terminal, t]));
  for (const terminal of fleet.terminals) {
    const view = shown.get(terminal.address.terminal);
    if (view === undefined || view.health !== terminal.health) return false;
    if (terminal.online && [...view.alerts].sort().join() !== [...terminal.openAlerts].sort().join()) return false;
  }
  return true;
}

/** Milliseconds from now until the console's list satisfies `done` (polled every 100 ms), or null at the deadline. */
async function timeUntil(
  url: () => string,
  session: ConsoleSession,
  done: (answer: ApiAnswer) => boolean,
  deadlineMs: number,
): Promise<number | null> {
  const start = performance.now();
  while (performance.now() - start < deadlineMs) {
    const answer = await consoleList(url(), session);
    if (answer !== null && done(answer)) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** The console's live stream of the list: resolves waiters when a terminal's row changed. */
interface LiveWatch {
  changed(terminal: string): Promise<void>;
  close(): void;
}

/** Resolves once the stream is open (its first comment arrived), so no change is missed after. */
async function watchLive(url: string, session: ConsoleSession): Promise<LiveWatch> {
  const waiting = new Map<string, () => void>();
  const abort = new AbortController();
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    const response = await fetch(`${url}/fleet/live`, {
      headers: session.headers,
      signal: abort.signal,
    });
    const reader = response.body?.getReader();
    if (reader === undefined) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      opened();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (data === undefined) continue;
        for (const id of (JSON.parse(data) as { terminals: string[] }).terminals) {
          waiting.get(id)?.();
          waiting.delete(id);
        }
      }
    }
  })().catch(() => undefined);
  await open;
  return {
    changed: (terminal) => new Promise<void>((resolve) => waiting.set(terminal, resolve)),
    close: () => abort.abort(),
  };
}

/** Of each alert measured: ms until the live stream named the terminal (the rest is the page fetch). */
const notifiedAfter: number[] = [];

/** Raises paper-out on a terminal; ms until the console serves its row red. */
async function alertLatency(
  terminal: SimulatedTerminal,
  live: LiveWatch,
  url: string,
  session: ConsoleSession,
): Promise<number> {
  const id = terminal.address.terminal;
  const notified = live.changed(id);
  const start = performance.now();
  const code: AlertCode = 'printer-paper-out';
  void terminal.setAlert(code, true);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    notified,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${id}: the console's live stream did not name it in 30 s`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  notifiedAfter.push(performance.now() - start);
  const response = await fetch(`${url}/fleet?q=${encodeURIComponent(id)}&fragment=1`, {
    headers: session.headers,
  });
  const page = await response.text();
  const elapsed = performance.now() - start;
  if (!page.includes(`data-terminal="${id}" data-health="red"`)) throw new Error(`${id}: not red on the console`);
  return elapsed;
}

export async function benchFleet(options: FleetBenchOptions): Promise<void> {
  const n = options.terminals;
  section(
    `fleet: ${n} simulated terminals, state every ${options.statePublishSeconds} s, local Mosquitto (load average ${loadavg()[0]?.toFixed(1) ?? '?'} on ${availableParallelism()} cores)`,
  );
  const limit = openFileLimit();
  if (limit < n + 1000) {
    figure('skipped', `open-file limit ${limit} < ${n + 1000} needed (raise it: ulimit -n ${n + 2000})`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const fleetSecret = randomBytes(32).toString('base64url');
  const consoleSecret = randomBytes(32).toString('base64url');
  const key = fleetKeyAt(join(dir, 'fleet-key.pem'));
  if (!key.ok) throw new Error(key.error);
  writeSecretFile(join(dir, 'console-password'), consoleSecret);
  const session = await ConsoleSession.create(
    join(dir, 'console'),
    'bench.viewer',
    randomBytes(18).toString('base64url'),
  );
  const accounts = simulatedAccounts(fleetSecret, n);
  accounts.set('fleet-console', consoleSecret);

  let broker: RunningBroker | null = null;
  let console_: ConsoleProcess | null = null;
  let fleet: SimulatedFleet | null = null;
  let live: LiveWatch | null = null;
  let peakRss = 0;
  const rssTimer = setInterval(() => {
    if (console_?.child.pid !== undefined && console_.child.exitCode === null)
      peakRss = Math.max(peakRss, rssBytes(console_.child.pid));
  }, 500);
  try {
    broker = await startBroker({
      dir: join(dir, 'broker'),
      county,
      users: accounts,
      consoleUsers: ['fleet-console'],
      plainPort: 0,
      connectionMessages: false,
      maxConnections: n + 100,
    });
    const plain = new URL(broker.plainUrl ?? '');
    const consoleArgs = [
      '--data',
      join(dir, 'console'),
      '--county',
      county,
      '--broker',
      broker.tlsUrl,
      '--ca',
      broker.certificates.caFile,
      '--broker-password-file',
      join(dir, 'console-password'),
      '--key',
      join(dir, 'fleet-key.pem'),
      '--port',
      '0',
      // The bench polls the list every 100 ms besides its alert checks, all from one address.
      '--requests-per-minute',
      '100000',
    ];
    const startConsole = () => startConsoleProcess(consoleArgs);
    console_ = await startConsole();
    if (!(await session.signIn(console_.url))) throw new Error('the bench could not sign in to the console');
    const consoleUrl = () => console_?.url ?? '';

    fleet = createSimulatedFleet({
      county,
      count: n,
      fleetSecret,
      host: plain.hostname,
      port: Number(plain.port),
      statePublishMs: options.statePublishSeconds * 1000,
      commandKeys: [key.value.publicKey],
      clock: systemClock,
    });
    const sims = fleet;
    const connectStart = performance.now();
    const connected = await fleet.connectAll(200);
    figure(
      'terminals connected',
      `${connected.connected} of ${n} in ${((performance.now() - connectStart) / 1000).toFixed(1)} s` +
        (connected.failed > 0 ? ` (${connected.firstError ?? ''})` : ''),
    );
    const firstView = await timeUntil(consoleUrl, session, (a) => viewIsCorrect(a, sims), 120_000);
    figure(
      'console full view after all connected',
      firstView === null ? 'not reached in 120 s' : `${(firstView / 1000).toFixed(2)} s`,
    );

    // ------------------------------------------------ steady window: CPU and alert latency
    const watch = await watchLive(consoleUrl(), session);
    live = watch;
    const consolePid = console_.child.pid ?? 0;
    const cpu0 = { console: cpuSeconds(consolePid), broker: cpuSeconds(broker.pid), wall: performance.now() };
    const latencies: number[] = [];
    const spacing = (options.steadySeconds * 1000) / Math.max(1, options.alerts);
    const pending: Array<Promise<void>> = [];
    const raised: SimulatedTerminal[] = [];
    for (let i = 0; i < options.alerts; i++) {
      const terminal = fleet.terminals[(i * 7919) % n];
      if (terminal !== undefined && terminal.health === 'green') {
        raised.push(terminal);
        pending.push(alertLatency(terminal, watch, consoleUrl(), session).then((ms) => void latencies.push(ms)));
      }
      await new Promise((resolve) => setTimeout(resolve, spacing));
    }
    await Promise.all(pending);
    const cpu1 = { console: cpuSeconds(consolePid), broker: cpuSeconds(broker.pid), wall: performance.now() };
    const wall = (cpu1.wall - cpu0.wall) / 1000;
    const steady = summarize(latencies);
    console.log(
      `fleet alert latency at ${n} terminals: p50 ${Math.round(steady.p50)} ms, p99 ${Math.round(steady.p99)} ms`,
    );
    figure(
      `alert latency p99 (${latencies.length} alerts over ${options.steadySeconds} s)`,
      `${Math.round(steady.p99)} ms`,
      { met: steady.p99 <= 1000, text: '≤ 1 s' },
    );
    figure(
      'of which: live stream names the terminal',
      `p50 ${Math.round(summarize(notifiedAfter).p50)} ms, p99 ${Math.round(summarize(notifiedAfter).p99)} ms (${fleet.onlineCount()} of ${n} online)`,
    );
    figure('console CPU (steady window)', `${((100 * (cpu1.console - cpu0.console)) / wall).toFixed(1)} % of a core`);
    figure('broker CPU (steady window)', `${((100 * (cpu1.broker - cpu0.broker)) / wall).toFixed(1)} % of a core`);
    figure('console RSS now', `${(rssBytes(consolePid) / 1024 / 1024).toFixed(0)} MB`);

    // A burst: many terminals raise at the same moment (a power cut across a township).
    const burstTerminals = fleet.terminals.filter((t) => t.health === 'green').slice(0, options.burst);
    const burst = summarize(
      await Promise.all(burstTerminals.map((t) => alertLatency(t, watch, consoleUrl(), session))),
    );
    figure(
      `alert burst of ${burstTerminals.length} at once`,
      `p50 ${Math.round(burst.p50)} ms, p99 ${Math.round(burst.p99)} ms`,
    );
    watch.close();
    live = null;
    // Clear them all again so the fleet is mostly green.
    await Promise.all([...raised, ...burstTerminals].map((t) => t.setAlert('printer-paper-out', false)));

    // ------------------------------------------------ console restart
    await console_.stop();
    // Changes while the console is away: links lost (the broker publishes their Will) and alerts.
    const changes = Math.max(1, Math.round(n / 200));
    for (let i = 0; i < changes; i++) {
      await fleet.terminals[(i * 31) % n]?.disconnect('lost');
      await fleet.terminals[(i * 31 + 13) % n]?.setAlert('disk-low', true);
    }
    const restartStart = performance.now();
    console_ = await startConsole();
    const listening = performance.now() - restartStart;
    const afterConsole = await timeUntil(consoleUrl, session, (a) => viewIsCorrect(a, sims), 60_000);
    const consoleRestart = afterConsole === null ? null : listening + afterConsole;
    figure(
      'full, correct view after a console restart',
      consoleRestart === null
        ? 'not reached in 60 s'
        : `${(consoleRestart / 1000).toFixed(2)} s (serving after ${(listening / 1000).toFixed(2)} s)`,
      { met: consoleRestart !== null && consoleRestart <= 10_000, text: '≤ 10 s' },
    );

    // ------------------------------------------------ broker restart (retained states)
    await broker.stop();
    for (let i = 0; i < changes; i++) await fleet.terminals[(i * 37 + 5) % n]?.setAlert('printer-paper-near-end', true);
    const brokerStart = performance.now();
    const brokerStartIso = new Date().toISOString();
    await broker.start();
    const brokerUp = performance.now() - brokerStart;
    // The console's persistent session survives the restart (the broker saves it), so the console keeps
    // its view and gets no retained states again; what it waits for is the terminals reconnecting and
    // publishing (2 s doubling backoff, with jitter) — each one's state arriving is the storm it absorbs.
    const linkBack = await timeUntil(consoleUrl, session, (a) => a.brokerConnected && a.terminals.length >= n, 120_000);
    // Each figure counts from the broker's start (a wait starts where the one before it ended).
    const afterLinkBack = performance.now() - brokerStart;
    const retained = await timeUntil(
      consoleUrl,
      session,
      // Every terminal listed, and each one shown online heard from again (an offline one has nothing newer).
      (a) => a.terminals.length >= n && a.terminals.every((t) => t.health === 'grey' || t.lastSeen >= brokerStartIso),
      120_000,
    );
    const seconds = (value: number | null, from: number) =>
      value === null ? 'not reached in 120 s' : `${((from + value) / 1000).toFixed(2)} s`;
    figure(
      'console back on the broker after a broker restart, its view kept',
      linkBack === null ? 'not reached in 120 s' : `${((brokerUp + linkBack) / 1000).toFixed(2)} s (${n} listed)`,
    );
    figure(
      'every online terminal heard from again after a broker restart',
      `${seconds(retained, afterLinkBack)} (broker up after ${(brokerUp / 1000).toFixed(2)} s)`,
      { met: retained !== null && afterLinkBack + retained <= 10_000, text: '≤ 10 s' },
    );
    const sinceStart = performance.now() - brokerStart;
    const reality = await timeUntil(consoleUrl, session, (a) => viewIsCorrect(a, sims), 120_000);
    figure(
      'correct view after a broker restart (all terminals back)',
      `${seconds(reality, sinceStart)} (${fleet.onlineCount()} of ${n} online)`,
    );
    figure('console RSS peak', `${(peakRss / 1024 / 1024).toFixed(0)} MB`, {
      met: peakRss <= 300 * 1024 * 1024,
      text: '≤ 300 MB',
    });
  } finally {
    clearInterval(rssTimer);
    live?.close();
    await fleet?.stop();
    await console_?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
