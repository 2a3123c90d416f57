import type { MonotonicClock, Timers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import type { ServiceNotifier } from './sd-notify';

/**
 * Tells systemd the kiosk is alive only while it really is: `WATCHDOG=1` is sent at half the unit's
 * `WatchdogSec=` and only when the event loop kept time and every probe (database, device manager)
 * answered healthy within the period. Anything else skips the ping and says why in `STATUS=`, so
 * systemd restarts a wedged kiosk instead of leaving a frozen screen.
 */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface HealthProbe {
  readonly name: string;
  check(): ProbeResult | Promise<ProbeResult>;
}

export interface HealthReport {
  readonly healthy: boolean;
  /** Failing checks as `name: reason`; empty when healthy. */
  readonly problems: readonly string[];
}

export interface ServiceWatchdog {
  /** READY=1 (once): the services run and the host serves. */
  ready(status: string): Promise<void>;
  /** Runs every probe now (the same check the ping depends on). */
  check(): Promise<HealthReport>;
  stop(): Promise<void>;
}

export interface WatchdogOptions {
  readonly notifier: ServiceNotifier;
  readonly probes: readonly HealthProbe[];
  readonly log: Log;
  /** The event loop's lateness is measured on it: a wall clock stepped back or forward is not a stall. */
  readonly monotonic: MonotonicClock;
  readonly timers: Timers;
  /** How often to check when systemd asked for no watchdog (health still reaches STATUS=). */
  readonly idleCheckMs?: number;
}

function withTimeout(probe: HealthProbe, ms: number, timers: Timers): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const timer = timers.setTimeout(() => resolve({ ok: false, reason: `no answer within ${ms} ms` }), ms);
    Promise.resolve()
      .then(() => probe.check())
      .then(
        (result) => resolve(result),
        (error: unknown) => resolve({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => timers.clearTimeout(timer));
  });
}

export function startServiceWatchdog(options: WatchdogOptions): ServiceWatchdog {
  const { notifier, log, monotonic, timers } = options;
  const periodMs = notifier.watchdogMs === null ? (options.idleCheckMs ?? 10_000) : notifier.watchdogMs / 2;
  // A loop that ran this late has been blocked for most of the watchdog period.
  const maxLagMs = periodMs / 2;
  let handle: unknown = null;
  let stopped = false;
  let isReady = false;
  let lastStatus = '';
  let expectedAt = monotonic.elapsedMs() + periodMs;

  async function check(lagMs = 0): Promise<HealthReport> {
    const problems: string[] = [];
    if (lagMs > maxLagMs) problems.push(`event loop: ${Math.round(lagMs)} ms late`);
    const results = await Promise.all(options.probes.map((probe) => withTimeout(probe, periodMs / 2, timers)));
    results.forEach((result, index) => {
      if (!result.ok) problems.push(`${options.probes[index]?.name ?? 'probe'}: ${result.reason}`);
    });
    return { healthy: problems.length === 0, problems };
  }

  async function tick(): Promise<void> {
    const lag = monotonic.elapsedMs() - expectedAt;
    const report = await check(lag);
    if (stopped) return;
    const status = report.healthy ? 'serving' : `unhealthy: ${report.problems.join('; ')}`;
    const state: Record<string, string> = {};
    if (report.healthy && isReady && notifier.watchdogMs !== null) state['WATCHDOG'] = '1';
    if (status !== lastStatus) {
      state['STATUS'] = status;
      lastStatus = status;
      if (report.healthy) log.info({}, 'watchdog: healthy');
      else log.error({ problems: report.problems }, 'watchdog: unhealthy, not pinging systemd');
    }
    if (Object.keys(state).length > 0) await notifier.send(state).catch((error: unknown) => sendFailed(error));
    schedule();
  }

  function sendFailed(error: unknown): void {
    log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'sd_notify failed');
  }

  function schedule(): void {
    if (stopped) return;
    expectedAt = monotonic.elapsedMs() + periodMs;
    handle = timers.setTimeout(() => void tick(), periodMs);
  }

  schedule();
  if (notifier.active) log.info({ watchdogMs: notifier.watchdogMs }, 'systemd notification socket found');

  return {
    async ready(status) {
      if (isReady) return;
      isReady = true;
      lastStatus = status;
      await notifier.send({ READY: '1', STATUS: status }).catch((error: unknown) => sendFailed(error));
    },
    check: () => check(),
    async stop() {
      stopped = true;
      timers.clearTimeout(handle);
      await notifier.send({ STOPPING: '1' }).catch((error: unknown) => sendFailed(error));
      notifier.close();
    },
  };
}
