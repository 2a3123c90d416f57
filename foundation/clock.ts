/**
 * Time and timers as values, so retention, backoff and polling can be tested without waiting.
 * Production passes `systemClock` and `systemTimers`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * Elapsed time that only moves forward, whatever happens to the wall clock (an NTP step, a technician
 * fixing the date, someone setting it back on purpose): every duration, deadline, lock-out and
 * inactivity timeout is measured on it. Its values mean nothing outside this process, so they are
 * never shown or stored; wall time (`Clock`) is for timestamps people read or the database keeps.
 */
export interface MonotonicClock {
  /** Milliseconds since an arbitrary point in this process; only differences mean anything. */
  elapsedMs(): number;
}

export const monotonicClock: MonotonicClock = { elapsedMs: () => performance.now() };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending retry must not keep a CLI or test process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Like systemTimers, but a pending wait keeps the process alive: a device loop's poll or reconnect wait must. */
export const keepAliveTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function isoAt(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** A clock tests move by hand. */
export function manualClock(
  startMs = Date.parse('2026-11-24T08:00:00.000Z'),
): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** A monotonic clock tests move by hand (only forward, as the real one). */
export function manualMonotonicClock(startMs = 0): MonotonicClock & { advance(ms: number): void } {
  let t = startMs;
  return {
    elapsedMs: () => t,
    advance: (ms) => {
      if (ms < 0) throw new Error('a monotonic clock does not go back');
      t += ms;
    },
  };
}

/**
 * Timers tests run by hand on a manual monotonic clock: `advance` moves the clock on and runs each
 * timer when its due time comes, in due order (one set by a timer that runs is due from then, as in
 * real time); `fire` runs what is due without moving the clock.
 */
export function manualTimers(clock: MonotonicClock & { advance(ms: number): void }): Timers & {
  advance(ms: number): void;
  fire(): void;
  /** Moves the clock to the next timer's due time and runs it (and what else is due then). */
  fireNext(): void;
  /** How many timers wait. */
  pending(): number;
  /** How long until the next one is due (null: none waits). */
  nextDueInMs(): number | null;
} {
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const earliest = () => [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
  const runDue = () => {
    for (let first = earliest(); first !== undefined && first[1].at <= clock.elapsedMs(); first = earliest()) {
      due.delete(first[0]);
      first[1].fn();
    }
  };
  return {
    setTimeout(fn, ms) {
      const id = next++;
      due.set(id, { at: clock.elapsedMs() + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      const until = clock.elapsedMs() + ms;
      for (let first = earliest(); first !== undefined && first[1].at <= until; first = earliest()) {
        clock.advance(Math.max(0, first[1].at - clock.elapsedMs()));
        runDue();
      }
      clock.advance(until - clock.elapsedMs());
    },
    fire: runDue,
    fireNext() {
      const first = earliest();
      if (first === undefined) return;
      clock.advance(Math.max(0, first[1].at - clock.elapsedMs()));
      runDue();
    },
    pending: () => due.size,
    nextDueInMs() {
      const first = earliest();
      return first === undefined ? null : Math.max(0, first[1].at - clock.elapsedMs());
    },
  };
}
