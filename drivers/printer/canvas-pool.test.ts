import { describe, expect, it } from 'vitest';
import { keptCanvases, reusableCanvas } from './canvas-pool';

describe('reusableCanvas', () => {
  it('hands out the same canvas for the same size, cleared to white each time', () => {
    const first = reusableCanvas(16, 8);
    const ctx = first.getContext('2d');
    ctx.fillStyle = '#000';
    ctx.translate(3, 3);
    ctx.fillRect(0, 0, 4, 4);
    const again = reusableCanvas(16, 8);
    expect(again).toBe(first);
    const pixels = again.getContext('2d').getImageData(0, 0, 16, 8).data;
    expect(pixels.every((v) => v === 255)).toBe(true);
    // The transform was reset too: a fill at the origin lands at the origin.
    again.getContext('2d').fillStyle = '#000';
    again.getContext('2d').fillRect(0, 0, 1, 1);
    expect(again.getContext('2d').getImageData(0, 0, 1, 1).data[0]).toBe(0);
  });

  it('keeps a bounded number of sizes, dropping the least recently used', () => {
    const kept = reusableCanvas(10, 1);
    for (let height = 2; height < 40; height++) {
      reusableCanvas(10, height);
      reusableCanvas(10, 1); // used again each time: never the least recent
    }
    expect(keptCanvases()).toBeLessThanOrEqual(8);
    expect(reusableCanvas(10, 1)).toBe(kept);
    expect(reusableCanvas(10, 2)).not.toBe(reusableCanvas(10, 3));
  });
});
