import type { Clock, Timers } from '../../foundation/clock';

/**
 * Time for a soak run: wall time runs at the real rate plus whatever the harness has skipped, and
 * timers fire either after their real delay (a retry, a poll) or when a skip carries the clock past
 * their due time (the hourly retention, the daily backup, the minute's heartbeat). So a month of
 * background schedules passes in the run while everything a resident waits on keeps real time.
 */
export interface SteppedTime {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Moves wall time on by `ms` and runs, in due order, every timer that came due. */
  advance(ms: number): void;
  /** How far wall time has been moved on in all. */
  skippedMs(): number;
}

interface Pending {
  readonly due: number;
  readonly fn: () => void;
  handle: NodeJS.Timeout | undefined;
}

export function steppedTime(): SteppedTime {
  let skipped = 0;
  const clock: Clock = { now: () => Date.now() + skipped };
  const pending = new Set<Pending>();
  const fire = (entry: Pending) => {
    if (!pending.delete(entry)) return;
    clearTimeout(entry.handle);
    entry.fn();
  };
  const timers: Timers = {
    setTimeout(fn, ms) {
      const entry: Pending = { due: clock.now() + ms, fn, handle: undefined };
      entry.handle = setTimeout(() => fire(entry), ms);
      // As systemTimers: a pending schedule does not keep the process alive.
      entry.handle.unref();
      pending.add(entry);
      return entry;
    },
    clearTimeout(handle) {
      const entry = handle as Pending | undefined;
      if (entry === undefined || !pending.delete(entry)) return;
      clearTimeout(entry.handle);
    },
  };
  return {
    clock,
    timers,
    advance(ms) {
      if (ms < 0) throw new Error('the soak clock only moves forward');
      skipped += ms;
      const now = clock.now();
      // Timers a callback sets while we run are due after `now` unless their delay is 0; those run on the next advance or in real time.
      const due = [...pending].filter((p) => p.due <= now).sort((a, b) => a.due - b.due);
      for (const entry of due) fire(entry);
    },
    skippedMs: () => skipped,
  };
}
