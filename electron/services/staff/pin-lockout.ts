/**
 * Lock-out after wrong PINs: the first four wrong tries cost nothing; from the fifth on, each wrong
 * try locks the PIN pad for a delay that doubles (30 s, 60 s, 2 min … capped at 1 h). A right PIN
 * clears it. Kept in the settings table, so switching the kiosk off and on does not reset it.
 * One counter for the terminal, not per role: someone guessing would simply try both.
 */
export interface LockoutState {
  readonly failures: number;
  /** Epoch ms until which every try is refused unchecked; null when not locked. */
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

export function parseLockout(text: string | undefined): LockoutState {
  if (text === undefined) return noLockout;
  try {
    const value = JSON.parse(text) as { failures?: unknown; lockedUntil?: unknown };
    const failures =
      typeof value.failures === 'number' && Number.isInteger(value.failures) && value.failures >= 0
        ? value.failures
        : 0;
    const lockedUntil = typeof value.lockedUntil === 'number' ? value.lockedUntil : null;
    return { failures, lockedUntil };
  } catch {
    // A damaged record must not unlock: treat it as locked for the longest delay from now on read.
    return { failures: freeTries + 20, lockedUntil: null };
  }
}
