/**
 * Time and timers as values, so retention, backoff and polling can be tested without waiting.
 * Production passes `systemClock` and `systemTimers`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

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
