import { createCanvas, type Canvas } from '@napi-rs/canvas';

/**
 * Canvases for drawing receipts and raster lines, reused. A Skia canvas's pixels live outside V8's
 * heap and V8 is not told about them, so a canvas that is merely dropped is freed only when a GC
 * happens to run for other reasons: the soak saw the service grow by ~1 MB a receipt (docs/soak.md).
 * Drawing is synchronous, so one canvas serves every caller:
 * - raster lines come in a few fixed heights (one or two character cells): one canvas per exact size;
 * - receipts are as tall as their text, which differs from one resident to the next: one canvas per
 *   width, given the height each time (a new surface; Skia frees the old one at once).
 * A canvas dropped from the pool (least recently used, past `maxKept`) is shrunk to 1×1 first, which
 * frees its pixels then rather than at some later GC.
 */
const maxKept = 8;
/** From this height on a drawing is a receipt (or another tall picture), not a line. */
const tallFrom = 128;
const kept = new Map<string, Canvas>();

/** A canvas of exactly this size, cleared to white. Use it before the next call; do not keep it. */
export function reusableCanvas(width: number, height: number): Canvas {
  const key = height < tallFrom ? `${width}x${height}` : `${width}x(tall)`;
  let canvas = kept.get(key);
  if (canvas === undefined) {
    canvas = createCanvas(width, height);
    if (kept.size >= maxKept) {
      const [oldest] = kept;
      if (oldest !== undefined) {
        kept.delete(oldest[0]);
        release(oldest[1]);
      }
    }
  } else {
    kept.delete(key);
    if (canvas.height !== height) canvas.height = height;
  }
  kept.set(key, canvas);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

function release(canvas: Canvas): void {
  canvas.width = 1;
  canvas.height = 1;
}

/** What the pool holds (for the tests that it stays bounded): canvases and their pixels. */
export function keptCanvases(): { count: number; pixels: number } {
  let pixels = 0;
  for (const canvas of kept.values()) pixels += canvas.width * canvas.height;
  return { count: kept.size, pixels };
}
