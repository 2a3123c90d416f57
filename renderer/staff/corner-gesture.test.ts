import { describe, expect, it } from 'vitest';
import { addTap, inCorner } from './corner-gesture';

const tapAll = (times: number[]) => {
  let taps: number[] = [];
  const completions: number[] = [];
  for (const t of times) {
    const next = addTap(taps, t);
    taps = next.taps;
    if (next.complete) completions.push(t);
  }
  return completions;
};

describe('corner gesture', () => {
  it('opens on the fifth tap within three seconds, and starts counting again after', () => {
    expect(tapAll([0, 500, 1000, 1500, 2000])).toEqual([2000]);
    expect(tapAll([0, 500, 1000, 1500, 2000, 2100, 2200, 2300, 2400, 2500])).toEqual([2000, 2500]);
  });

  it('forgets taps older than three seconds', () => {
    expect(tapAll([0, 1000, 2000, 3000, 3500])).toEqual([]);
    expect(tapAll([0, 1000, 2000, 3000, 3500, 3600])).toEqual([3600]);
  });

  it('counts only the top-left corner', () => {
    expect(inCorner(10, 10)).toBe(true);
    expect(inCorner(119, 0)).toBe(true);
    expect(inCorner(120, 10)).toBe(false);
    expect(inCorner(10, 500)).toBe(false);
  });
});
