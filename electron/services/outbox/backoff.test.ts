import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffCeiling, backoffDelay, type BackoffPolicy } from './backoff';

const policyArb = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    capMs: fc.integer({ min: 1, max: 24 * 3_600_000 }),
    maxRetryAfterMs: fc.integer({ min: 0, max: 7_200_000 }),
  })
  .filter((p) => p.capMs >= p.baseMs);
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoff with full jitter', () => {
  it('every delay lies within [0, cap] (property)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 10_000 }), randomArb, (policy, attempt, r) => {
        const delay = backoffDelay(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.capMs);
        expect(delay).toBeLessThanOrEqual(backoffCeiling(attempt, policy));
      }),
    );
  });

  it('the ceiling never decreases from one attempt to the next and reaches the cap (property)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 2_000 }), (policy, attempt) => {
        expect(backoffCeiling(attempt + 1, policy)).toBeGreaterThanOrEqual(backoffCeiling(attempt, policy));
        expect(backoffCeiling(attempt + 60, policy)).toBe(policy.capMs);
      }),
    );
  });

  it('doubles from the base until the cap', () => {
    const policy: BackoffPolicy = { baseMs: 1000, capMs: 10_000, maxRetryAfterMs: 60_000 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffCeiling(a, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(4000);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('honours Retry-After, bounded by maxRetryAfterMs, never shortening the jittered delay (property)', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 0, max: 50 }),
        randomArb,
        fc.integer({ min: -1000, max: 100_000_000 }),
        (policy, attempt, r, retryAfter) => {
          const delay = backoffDelay(attempt, policy, () => r, retryAfter);
          expect(delay).toBeGreaterThanOrEqual(backoffDelay(attempt, policy, () => r));
          expect(delay).toBeGreaterThanOrEqual(Math.min(Math.max(0, retryAfter), policy.maxRetryAfterMs));
          expect(delay).toBeLessThanOrEqual(Math.max(policy.capMs, policy.maxRetryAfterMs));
        },
      ),
    );
  });
});
