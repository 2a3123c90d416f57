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

  it('keeps a bounded number of line sizes, dropping the least recently used and freeing its pixels', () => {
    const kept = reusableCanvas(10, 1);
    const dropped = reusableCanvas(10, 2);
    for (let height = 3; height < 40; height++) {
      reusableCanvas(10, height);
      reusableCanvas(10, 1); // used again each time: never the least recent
    }
    expect(keptCanvases().count).toBeLessThanOrEqual(8);
    expect(reusableCanvas(10, 1)).toBe(kept);
    // Shrunk when dropped: its pixels go now, not at whichever GC comes to collect the object.
    expect([dropped.width, dropped.height]).toEqual([1, 1]);
  });

  it('draws receipts of every height on one canvas per width, at the height asked, so they never pile up', () => {
    // Receipt heights differ with each resident's text: a canvas per height would keep or drop one per receipt.
    const heights = Array.from({ length: 40 }, (_, i) => 400 + i * 24);
    const canvases = new Set(heights.map((height) => reusableCanvas(576, height)));
    expect(canvases.size).toBe(1);
    const tall = reusableCanvas(576, 700);
    expect([tall.width, tall.height]).toEqual([576, 700]);
    const ctx = tall.getContext('2d');
    expect(ctx.getImageData(0, 699, 576, 1).data.every((v) => v === 255)).toBe(true);
    // Lines in between keep their own canvases; the pool holds one receipt's pixels, not forty.
    reusableCanvas(576, 24);
    reusableCanvas(576, 48);
    expect(keptCanvases().pixels).toBeLessThanOrEqual(8 * 576 * 127 + 576 * 700);
  });
});
