/**
 * When is the picture steady enough to take by itself? An elderly hand finds the shutter button
 * while holding a paper hard; so the camera watches small grey thumbnails of the preview and takes
 * the photo once the paper has lain still for about a second (docs/ux.md, "Camera").
 *
 * Steady means: in every block of the thumbnail the mean brightness change from the last sample is
 * below a threshold. Looking at the worst block, not the whole picture, keeps a hand moving in one
 * corner (or a small moving thing on an otherwise still scene) from counting as still. A blank picture
 * (lens covered, lights off) is never taken. After a photo is thrown away (重拍), the picture must move
 * first, or the same still scene would be taken again at once.
 */

/** Thumbnail size sampled from the preview (4:3; a 16:9 camera is squeezed, which does not matter here). */
export const thumbnailWidth = 32;
export const thumbnailHeight = 24;

export interface SteadinessOptions {
  /** Largest mean brightness change (0–255) per block that still counts as still. */
  readonly threshold: number;
  /** Consecutive still samples before the photo is taken (at ~4 samples a second: about a second). */
  readonly samplesNeeded: number;
  /** Smallest brightness spread (standard deviation) of a picture worth taking. */
  readonly minContrast: number;
}

export const defaultSteadiness: SteadinessOptions = { threshold: 6, samplesNeeded: 4, minContrast: 12 };

/** Brightness (0–255, Rec. 601 weights) of each pixel of RGBA image data. */
export function lumaOf(rgba: ArrayLike<number>): Uint8Array {
  const luma = new Uint8Array(Math.floor(rgba.length / 4));
  for (let i = 0; i < luma.length; i++) {
    const r = rgba[i * 4] ?? 0;
    const g = rgba[i * 4 + 1] ?? 0;
    const b = rgba[i * 4 + 2] ?? 0;
    luma[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return luma;
}

const blockSize = 8;

/** The largest mean absolute change of any 8×8 block between two thumbnails of the same size. */
export function worstBlockChange(a: Uint8Array, b: Uint8Array, width = thumbnailWidth): number {
  const height = Math.floor(a.length / width);
  let worst = 0;
  for (let by = 0; by < height; by += blockSize) {
    for (let bx = 0; bx < width; bx += blockSize) {
      let sum = 0;
      let count = 0;
      for (let y = by; y < Math.min(by + blockSize, height); y++) {
        for (let x = bx; x < Math.min(bx + blockSize, width); x++) {
          const i = y * width + x;
          sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
          count++;
        }
      }
      if (count > 0) worst = Math.max(worst, sum / count);
    }
  }
  return worst;
}

/** Standard deviation of the brightness: near 0 for a blank picture. */
export function contrastOf(luma: Uint8Array): number {
  if (luma.length === 0) return 0;
  let sum = 0;
  for (const v of luma) sum += v;
  const mean = sum / luma.length;
  let squares = 0;
  for (const v of luma) squares += (v - mean) ** 2;
  return Math.sqrt(squares / luma.length);
}

/** What the watch says about the latest sample. */
export type Steadiness =
  /** The picture moves (or is blank, or must move first after a retake). */
  | { readonly kind: 'moving' }
  /** Still for `samples` of the samples needed: "拿稳别动". */
  | { readonly kind: 'settling'; readonly samples: number }
  /** Still long enough: take the photo now. */
  | { readonly kind: 'steady' };

export interface SteadinessWatch {
  push(luma: Uint8Array): Steadiness;
  /** After a retake: the picture has to move before it may be taken again. */
  requireMovement(): void;
}

export function createSteadinessWatch(options: SteadinessOptions = defaultSteadiness): SteadinessWatch {
  let previous: Uint8Array | null = null;
  let still = 0;
  let mustMove = false;
  return {
    push(luma) {
      const last = previous;
      previous = luma;
      if (last === null || last.length !== luma.length) {
        still = 0;
        return { kind: 'moving' };
      }
      if (worstBlockChange(last, luma) > options.threshold) {
        mustMove = false;
        still = 0;
        return { kind: 'moving' };
      }
      if (mustMove || contrastOf(luma) < options.minContrast) {
        still = 0;
        return { kind: 'moving' };
      }
      still++;
      return still >= options.samplesNeeded ? { kind: 'steady' } : { kind: 'settling', samples: still };
    },
    requireMovement() {
      mustMove = true;
      still = 0;
    },
  };
}
