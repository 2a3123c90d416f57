/**
 * Turning a video frame into a document photo small enough to store and send: longest side at
 * most 1600 px, JPEG around quality 0.8, and lower quality (then size) until under the target.
 */
export interface JpegPhoto {
  readonly dataUrl: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export const maxSide = 1600;
export const targetBytes = 400_000;

export function fitWithin(width: number, height: number, longest: number): { width: number; height: number } {
  const scale = Math.min(1, longest / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Tried in order until one fits the byte target; the last is kept whatever its size. */
export const jpegAttempts: ReadonlyArray<{ readonly scale: number; readonly quality: number }> = [
  { scale: 1, quality: 0.8 },
  { scale: 1, quality: 0.7 },
  { scale: 1, quality: 0.6 },
  { scale: 0.8, quality: 0.6 },
  { scale: 0.6, quality: 0.55 },
];

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    // readAsDataURL always yields a string.
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('not a data URL'));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** The photo is never mirrored, even where the preview is (face guide). */
export async function encodeFrame(
  source: CanvasImageSource,
  sourceWidth: number,
  sourceHeight: number,
): Promise<JpegPhoto | null> {
  const base = fitWithin(sourceWidth, sourceHeight, maxSide);
  const canvas = document.createElement('canvas');
  let best: { blob: Blob; width: number; height: number } | null = null;
  for (const attempt of jpegAttempts) {
    const width = Math.round(base.width * attempt.scale);
    const height = Math.round(base.height * attempt.scale);
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return null;
    ctx.drawImage(source, 0, 0, width, height);
    const blob = await toBlob(canvas, attempt.quality);
    if (blob === null) continue;
    best = { blob, width, height };
    if (blob.size <= targetBytes) break;
  }
  canvas.width = 0; // release the pixels now, not at the next GC
  if (best === null) return null;
  return { dataUrl: await toDataUrl(best.blob), width: best.width, height: best.height, bytes: best.blob.size };
}
