/**
 * Bitmaps for the printer: what callers hand in (greyscale/RGB/RGBA pixels) and the 1-bit form
 * that GS v 0 sends (rows of bytes, most significant bit = leftmost dot, 1 = black).
 */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA (transparent counts as white paper). */
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export interface MonoBitmap {
  readonly width: number;
  readonly height: number;
  /** Bytes per row: ceil(width / 8). */
  readonly widthBytes: number;
  readonly bits: Uint8Array;
}

export function emptyMono(width: number, height: number): MonoBitmap {
  const widthBytes = Math.ceil(width / 8);
  return { width, height, widthBytes, bits: new Uint8Array(widthBytes * height) };
}

export function monoGet(bitmap: MonoBitmap, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= bitmap.width || y >= bitmap.height) return false;
  return ((bitmap.bits[y * bitmap.widthBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

export function monoSet(bitmap: MonoBitmap, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= bitmap.width || y >= bitmap.height) return;
  const i = y * bitmap.widthBytes + (x >> 3);
  bitmap.bits[i] = (bitmap.bits[i] ?? 0) | (0x80 >> (x & 7));
}

/** Luminance 0 (black) … 255 (white) of one pixel, alpha composited over white paper. */
function luminance(bitmap: Bitmap, index: number): number {
  const d = bitmap.data;
  switch (bitmap.channels) {
    case 1:
      return d[index] ?? 255;
    case 3: {
      const o = index * 3;
      return 0.299 * (d[o] ?? 255) + 0.587 * (d[o + 1] ?? 255) + 0.114 * (d[o + 2] ?? 255);
    }
    case 4: {
      const o = index * 4;
      const a = (d[o + 3] ?? 255) / 255;
      const l = 0.299 * (d[o] ?? 255) + 0.587 * (d[o + 1] ?? 255) + 0.114 * (d[o + 2] ?? 255);
      return l * a + 255 * (1 - a);
    }
  }
}

/** Thresholds a picture to black/white dots: darker than `threshold` prints. */
export function toMono(bitmap: Bitmap, threshold = 128): MonoBitmap {
  const mono = emptyMono(bitmap.width, bitmap.height);
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      if (luminance(bitmap, y * bitmap.width + x) < threshold) monoSet(mono, x, y);
    }
  }
  return mono;
}

/** A horizontal band of rows [from, from + rows) — tall images are sent in bands. */
export function monoRows(bitmap: MonoBitmap, from: number, rows: number): MonoBitmap {
  const height = Math.max(0, Math.min(rows, bitmap.height - from));
  return {
    width: bitmap.width,
    height,
    widthBytes: bitmap.widthBytes,
    bits: bitmap.bits.slice(from * bitmap.widthBytes, (from + height) * bitmap.widthBytes),
  };
}
