/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the delay is uniform in [0, min(cap, base·2^attempt)], which spreads a fleet of terminals that
 * lost the network together instead of having them retry in lockstep.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  /** A platform's Retry-After is honoured up to this bound (a broken header must not park us for days). */
  readonly maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 10 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/** The upper bound of the delay before retry number `attempt` (0 = after the first failure). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  // 2^attempt overflows to Infinity long after it passed the cap; min() keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
}

/** `random` returns [0, 1) like Math.random. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const jittered = Math.floor(random() * backoffCeiling(attempt, policy));
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs));
}
