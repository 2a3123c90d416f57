import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, type BackoffPolicy } from './backoff';

const policyArb = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    capMs: fc.integer({ min: 1, max: 24 * 3_600_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .filter((p) => p.capMs >= p.baseMs);
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoff', () => {
  it('every delay lies within [ceiling · (1 − jitter), ceiling] and never above the cap (property)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 10_000 }), randomArb, (policy, attempt, r) => {
        const delay = backoffDelay(attempt, policy, () => r);
        const ceiling = backoffCeiling(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - policy.jitter)));
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(policy.capMs);
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

  it('doubles from the base until the cap; full jitter spreads over the whole ceiling, none waits the ceiling', () => {
    const full: BackoffPolicy = { baseMs: 1000, capMs: 10_000, jitter: 1 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffCeiling(a, full))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(3, full, () => 0.5)).toBe(4000);
    expect(backoffDelay(3, full, () => 0)).toBe(0);
    const none: BackoffPolicy = { ...full, jitter: 0 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, none, () => 0.3))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});
