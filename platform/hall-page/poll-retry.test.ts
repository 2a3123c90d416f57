import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './poll-retry';

const answer = (status: number, retryAfter?: string) => ({
  status,
  headers: new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
});

describe('the hall page’s wait after a "later" answer', () => {
  it('waits as the platform says on 409 (replaced), 429 (too fast) and 503 (busy)', () => {
    expect(retryAfterMs(answer(409, '5'))).toBe(5000);
    expect(retryAfterMs(answer(429, '17'))).toBe(17_000);
    expect(retryAfterMs(answer(503, '2'))).toBe(2000);
  });

  it('never spins nor stops for a missing or absurd header', () => {
    expect(retryAfterMs(answer(503))).toBe(2000);
    expect(retryAfterMs(answer(429, 'soon'))).toBe(2000);
    expect(retryAfterMs(answer(429, '0'))).toBe(2000);
    expect(retryAfterMs(answer(429, '86400'))).toBe(60_000);
  });

  it('does not retry answers that polling again would not change', () => {
    for (const status of [200, 303, 401, 403, 404, 500]) expect(retryAfterMs(answer(status, '2'))).toBeNull();
  });
});
