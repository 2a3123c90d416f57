import { describe, expect, it } from 'vitest';
import { steppedTime } from './virtual-time';

describe('steppedTime', () => {
  it('fires a long timer when a skip passes its due time, in due order, once', () => {
    const time = steppedTime();
    const fired: string[] = [];
    time.timers.setTimeout(() => fired.push('day'), 86_400_000);
    time.timers.setTimeout(() => fired.push('hour'), 3_600_000);
    const cancelled = time.timers.setTimeout(() => fired.push('cancelled'), 60_000);
    time.timers.clearTimeout(cancelled);
    time.advance(2 * 3_600_000);
    expect(fired).toEqual(['hour']);
    time.advance(86_400_000);
    expect(fired).toEqual(['hour', 'day']);
    time.advance(86_400_000);
    expect(fired).toEqual(['hour', 'day']);
  });

  it('moves wall time by what was skipped', () => {
    const time = steppedTime();
    const before = time.clock.now();
    time.advance(30 * 86_400_000);
    expect(time.clock.now() - before).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(time.skippedMs()).toBe(30 * 86_400_000);
    expect(() => time.advance(-1)).toThrow();
  });

  it('a loop that re-arms itself runs once per skip, as a late setTimeout loop would', () => {
    const time = steppedTime();
    let runs = 0;
    const loop = () => {
      runs += 1;
      time.timers.setTimeout(loop, 60_000);
    };
    time.timers.setTimeout(loop, 60_000);
    time.advance(10 * 60_000);
    expect(runs).toBe(1);
    time.advance(60_000);
    expect(runs).toBe(2);
  });

  it('a short timer still fires in real time', async () => {
    const time = steppedTime();
    await new Promise<void>((resolve) => time.timers.setTimeout(resolve, 5));
  });
});
