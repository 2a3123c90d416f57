import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../foundation/clock';
import { createPlatformClock } from './platform-clock';

describe('platform clock', () => {
  it('signs with the terminal clock until an answer says otherwise', () => {
    const local = manualClock(Date.parse('2026-12-03T08:00:00.000Z'));
    const clock = createPlatformClock({ localNow: () => local.now() });
    expect(clock.offsetMs()).toBeNull();
    expect(clock.now().toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(clock.observe(null, local.now(), local.now())).toBeNull();
    expect(clock.observe('not a date', local.now(), local.now())).toBeNull();
    expect(clock.offsetMs()).toBeNull();
  });

  it('takes the offset from the Date header and corrects the signing time by it', () => {
    // The terminal runs 10 minutes fast.
    const local = manualClock(Date.parse('2026-12-03T08:10:00.000Z'));
    const clock = createPlatformClock({ localNow: () => local.now() });
    const sent = local.now();
    local.advance(200);
    expect(clock.observe('Thu, 03 Dec 2026 08:00:00 GMT', sent, local.now())).toBe(600_000 - 400);
    expect(clock.offsetMs()).toBe(599_600);
    expect(Math.abs(clock.now().getTime() - Date.parse('2026-12-03T08:00:00.700Z'))).toBeLessThanOrEqual(500);
    // Slow as well as fast.
    expect(clock.observe('Thu, 03 Dec 2026 08:20:00 GMT', local.now(), local.now())).toBe(-600_300);
  });

  it('keeps but does not apply an offset beyond its bound', () => {
    const local = manualClock(Date.parse('2026-12-03T08:00:00.000Z'));
    const clock = createPlatformClock({ localNow: () => local.now(), maxCorrectionMs: 3_600_000 });
    clock.observe('Thu, 03 Dec 2026 10:00:00 GMT', local.now(), local.now());
    expect(clock.offsetMs()).toBe(-7_200_500);
    expect(clock.now().toISOString()).toBe('2026-12-03T08:00:00.000Z');
  });
});
