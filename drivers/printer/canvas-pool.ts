import { createCanvas, type Canvas } from '@napi-rs/canvas';

/**
 * Canvases for drawing receipts and raster lines, reused by size. A Skia canvas's pixels live outside
 * V8's heap and V8 is not told about them, so a canvas made per receipt is freed only when a GC happens
 * to run for other reasons: the soak saw the service grow by ~1 MB a receipt (docs/soak.md). Drawing is
 * synchronous, so one canvas per size serves every caller; the few sizes in use (receipt heights, the
 * line heights) are kept, the least recently used dropped past `maxKept`.
 */
const maxKept = 8;
const kept = new Map<string, Canvas>();

/** A canvas of exactly this size, cleared to white. Use it before the next call; do not keep it. */
export function reusableCanvas(width: number, height: number): Canvas {
  const key = `${width}x${height}`;
  let canvas = kept.get(key);
  if (canvas === undefined) {
    canvas = createCanvas(width, height);
    if (kept.size >= maxKept) {
      const oldest = kept.keys().next().value;
      if (oldest !== undefined) kept.delete(oldest);
    }
  } else kept.delete(key);
  kept.set(key, canvas);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

/** How many canvases are kept (for the test that the pool stays bounded). */
export function keptCanvases(): number {
  return kept.size;
}
