import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contrastOf,
  createSteadinessWatch,
  defaultSteadiness,
  lumaOf,
  thumbnailHeight,
  thumbnailWidth,
  worstBlockChange,
} from './camera-steadiness';

const size = thumbnailWidth * thumbnailHeight;
/** A paper: white with dark lines of "text" every few rows. */
const paper = (): Uint8Array =>
  Uint8Array.from({ length: size }, (_, i) => (Math.floor(i / thumbnailWidth) % 4 === 1 && i % 7 < 5 ? 40 : 230));
const jitter = (frame: Uint8Array, amount: number, seed: number): Uint8Array =>
  frame.map((v, i) => Math.max(0, Math.min(255, v + (((i * 31 + seed * 17) % (2 * amount + 1)) - amount))));

describe('camera steadiness', () => {
  it('takes a still paper after the samples needed, saying "settling" until then', () => {
    const watch = createSteadinessWatch();
    const kinds = Array.from({ length: 6 }, (_, n) => watch.push(jitter(paper(), 2, n)).kind);
    expect(kinds).toEqual(['moving', 'settling', 'settling', 'settling', 'steady', 'steady']);
  });

  it('never takes a blank picture (lens covered, lights off)', () => {
    const watch = createSteadinessWatch();
    const blank = new Uint8Array(size).fill(12);
    for (let n = 0; n < 20; n++) expect(watch.push(blank).kind).toBe('moving');
  });

  it('counts a hand moving in one corner as moving, though the rest of the picture is still', () => {
    const watch = createSteadinessWatch();
    for (let n = 0; n < 10; n++) {
      const frame = paper();
      // An 8×8 corner changes by 60 levels every sample: 1/12 of the picture, but a whole block.
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) frame[y * thumbnailWidth + x] = n % 2 === 0 ? 30 : 90;
      expect(watch.push(frame).kind).toBe('moving');
    }
  });

  it('after a retake, waits for the picture to move before taking it again', () => {
    const watch = createSteadinessWatch();
    for (let n = 0; n < 5; n++) watch.push(paper());
    watch.requireMovement();
    for (let n = 0; n < 10; n++) expect(watch.push(paper()).kind).toBe('moving');
    expect(watch.push(jitter(paper(), 60, 1)).kind).toBe('moving');
    const after = Array.from({ length: 5 }, () => watch.push(paper()).kind);
    expect(after).toEqual(['moving', 'settling', 'settling', 'settling', 'steady']);
  });

  it('is steady for any picture with contrast that does not change, and never while it keeps changing (property)', () => {
    const frames = fc.uint8Array({ minLength: size, maxLength: size });
    fc.assert(
      fc.property(frames, (frame) => {
        const watch = createSteadinessWatch();
        const kinds = Array.from({ length: defaultSteadiness.samplesNeeded + 1 }, () => watch.push(frame).kind);
        expect(kinds.at(-1)).toBe(contrastOf(frame) >= defaultSteadiness.minContrast ? 'steady' : 'moving');
      }),
    );
    fc.assert(
      fc.property(frames, fc.integer({ min: 2, max: 12 }), (frame, samples) => {
        const watch = createSteadinessWatch();
        // Every other sample is the negative: each block changes by far more than the threshold, or
        // the block is mid-grey in both (and then the picture has too little contrast to be taken).
        for (let n = 0; n < samples; n++) {
          const shown = n % 2 === 0 ? frame : frame.map((v) => 255 - v);
          const kind = watch.push(shown).kind;
          if (
            worstBlockChange(
              frame,
              frame.map((v) => 255 - v),
            ) > defaultSteadiness.threshold
          )
            expect(kind).toBe('moving');
        }
      }),
    );
  });

  it('reads brightness from RGBA image data', () => {
    expect([...lumaOf([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255])]).toEqual([255, 0, 76]);
  });
});
