/**
 * Lock-out after wrong PINs: the first four wrong tries cost nothing; from the fifth on, each wrong
 * try locks the PIN pad for a delay that doubles (30 s, 60 s, 2 min … capped at 1 h). A right PIN
 * clears it. Kept in the settings table, so switching the kiosk off and on does not reset it.
 * One counter for the terminal, not per role: someone guessing would simply try both.
 *
 * Measured on the monotonic clock (foundation/clock.ts), so setting the wall clock forward does not
 * lift a lock. Monotonic values mean nothing in another process: the table keeps how long the lock
 * still had to run when it was written, and a restart runs that again from the start (never shorter).
 */
export interface LockoutState {
  readonly failures: number;
  /** Monotonic ms (MonotonicClock.elapsedMs) until which every try is refused unchecked; null when not locked. */
  readonly lockedUntil: number | null;
}

export const freeTries = 5;
export const firstDelayMs = 30_000;
export const maxDelayMs = 3_600_000;
export const noLockout: LockoutState = { failures: 0, lockedUntil: null };

export function delayAfter(failures: number): number {
  if (failures < freeTries) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - freeTries, 20));
}

export function remainingLockMs(state: LockoutState, now: number): number {
  return state.lockedUntil === null ? 0 : Math.max(0, state.lockedUntil - now);
}

export function afterFailure(state: LockoutState, now: number): LockoutState {
  const failures = state.failures + 1;
  const delay = delayAfter(failures);
  return { failures, lockedUntil: delay === 0 ? null : now + delay };
}

/** The settings table's record: the count and the lock still to run at `now` (monotonic ms). */
export function storedLockout(state: LockoutState, now: number): string {
  return JSON.stringify({ failures: state.failures, lockedForMs: remainingLockMs(state, now) });
}

/** The stored record read at `now` (monotonic ms): the lock it held runs again from now. */
export function parseLockout(text: string | undefined, now: number): LockoutState {
  if (text === undefined) return noLockout;
  try {
    const value = JSON.parse(text) as { failures?: unknown; lockedForMs?: unknown; lockedUntil?: unknown };
    const failures =
      typeof value.failures === 'number' && Number.isInteger(value.failures) && value.failures >= 0
        ? value.failures
        : 0;
    const lockedForMs =
      typeof value.lockedForMs === 'number' && value.lockedForMs > 0
        ? Math.min(value.lockedForMs, maxDelayMs)
        : // Written by an older version as a wall-clock deadline: the whole delay again, not the wall clock's word.
          typeof value.lockedUntil === 'number'
          ? delayAfter(failures)
          : 0;
    return { failures, lockedUntil: lockedForMs > 0 ? now + lockedForMs : null };
  } catch {
    // A damaged record must not unlock: treat it as locked for the longest delay from now on read.
    return { failures: freeTries + 20, lockedUntil: null };
  }
}
