import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { manualClock, type Timers } from '../../../foundation/clock';
import type { ServiceNotifier } from './sd-notify';
import { startServiceWatchdog, type HealthProbe, type ProbeResult } from './service-watchdog';

function manualTimers(clock: ReturnType<typeof manualClock>) {
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { at: clock.now() + ms, fn });
      return id;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  return {
    timers,
    /** Moves the clock and runs what fell due, letting each tick's promises settle. */
    async advance(ms: number) {
      const until = clock.now() + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        clock.set(Math.max(clock.now(), due[1].at));
        due[1].fn();
        for (let i = 0; i < 10; i += 1) await Promise.resolve();
      }
      clock.set(Math.max(clock.now(), until));
    },
  };
}

function recordingNotifier(watchdogMs: number | null) {
  const sent: Array<Record<string, string>> = [];
  const notifier: ServiceNotifier = {
    active: true,
    watchdogMs,
    send: async (state) => {
      sent.push({ ...state });
    },
    close: () => {},
  };
  return { notifier, sent };
}

function setup(probes: HealthProbe[], watchdogMs: number | null = 2000) {
  const clock = manualClock();
  const timers = manualTimers(clock);
  const { notifier, sent } = recordingNotifier(watchdogMs);
  const watchdog = startServiceWatchdog({
    notifier,
    probes,
    log: recordingLog(),
    monotonic: { elapsedMs: () => clock.now() },
    timers: timers.timers,
  });
  return { clock, timers, sent, watchdog };
}

const pings = (sent: Array<Record<string, string>>) => sent.filter((s) => s['WATCHDOG'] === '1').length;

describe('the service watchdog', () => {
  it('says READY=1 once and then pings at half the watchdog period while healthy', async () => {
    const { timers, sent, watchdog } = setup([{ name: 'database', check: () => ({ ok: true }) }]);
    await watchdog.ready('serving');
    await watchdog.ready('serving');
    expect(sent.filter((s) => s['READY'] === '1')).toHaveLength(1);
    await timers.advance(5000);
    expect(pings(sent)).toBe(5);
  });

  it('sends no ping before READY=1', async () => {
    const { timers, sent } = setup([]);
    await timers.advance(3000);
    expect(pings(sent)).toBe(0);
  });

  it('stops pinging while a probe fails, says why in STATUS, and resumes when it recovers', async () => {
    let db: ProbeResult = { ok: true };
    const { timers, sent, watchdog } = setup([{ name: 'database', check: () => db }]);
    await watchdog.ready('serving');
    await timers.advance(2000);
    const before = pings(sent);
    db = { ok: false, reason: 'SQLITE_IOERR' };
    await timers.advance(3000);
    expect(pings(sent)).toBe(before);
    expect(sent).toContainEqual({ STATUS: 'unhealthy: database: SQLITE_IOERR' });
    db = { ok: true };
    await timers.advance(1000);
    expect(pings(sent)).toBe(before + 1);
    expect(sent.at(-1)).toEqual({ WATCHDOG: '1', STATUS: 'serving' });
  });

  it('treats a probe that never answers as unhealthy', async () => {
    const { timers, sent, watchdog } = setup([{ name: 'devices', check: () => new Promise<ProbeResult>(() => {}) }]);
    await watchdog.ready('serving');
    await timers.advance(4000);
    expect(pings(sent)).toBe(0);
    expect(sent.some((s) => s['STATUS']?.startsWith('unhealthy: devices: no answer') === true)).toBe(true);
  });

  it('treats a late event loop as unhealthy', async () => {
    const { clock, timers, sent, watchdog } = setup([]);
    await watchdog.ready('serving');
    clock.advance(1900); // the loop was blocked: the tick due at 1000 ms runs at 1900 ms
    await timers.advance(0);
    expect(pings(sent)).toBe(0);
    expect(sent.some((s) => s['STATUS']?.startsWith('unhealthy: event loop') === true)).toBe(true);
  });

  it('without WatchdogSec still reports health in STATUS but never pings', async () => {
    let ok = true;
    const { timers, sent, watchdog } = setup(
      [{ name: 'database', check: () => (ok ? { ok } : { ok, reason: 'x' }) }],
      null,
    );
    await watchdog.ready('serving');
    ok = false;
    await timers.advance(10_000);
    expect(pings(sent)).toBe(0);
    expect(sent).toContainEqual({ STATUS: 'unhealthy: database: x' });
  });

  it('says STOPPING=1 when stopped', async () => {
    const { sent, watchdog } = setup([]);
    await watchdog.stop();
    expect(sent.at(-1)).toEqual({ STOPPING: '1' });
  });
});
