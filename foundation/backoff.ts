/**
 * Exponential backoff with jitter: the one answer to "how long before trying again" for device
 * links and for the platform outbox. Retry number `attempt` (0 = the first retry) waits at most
 * `ceiling = min(capMs, baseMs · 2^attempt)`; `jitter` says how much of that is random: the delay
 * is uniform in [ceiling · (1 − jitter), ceiling). jitter 1 is "full jitter" (AWS Architecture
 * Blog, "Exponential Backoff and Jitter"), which spreads a fleet that failed together; jitter 0 is
 * plain doubling.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  /** 0 … 1: the share of each ceiling that is random. */
  readonly jitter: number;
}

/** The upper bound of the delay before retry number `attempt`. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  // 2^attempt overflows to Infinity long after it passed the cap; min() keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
}

/** `random` returns [0, 1) like Math.random; injectable for deterministic tests. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.floor(backoffCeiling(attempt, policy) * (1 - jitter + jitter * random()));
}
