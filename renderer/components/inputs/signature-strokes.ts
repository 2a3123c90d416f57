/**
 * Ink for the signature pad: strokes are lists of points in CSS pixels, drawn as quadratic curves
 * through the midpoints between samples, which turns jittery finger samples into smooth lines.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}
export type Stroke = ReadonlyArray<Point>;

/** The drawing calls we use; CanvasRenderingContext2D has them, tests record them. */
export interface InkContext {
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  stroke(): void;
  fill(): void;
}

export const inkWidth = 5;

export function drawStroke(ctx: InkContext, stroke: Stroke): void {
  const first = stroke[0];
  if (first === undefined) return;
  ctx.beginPath();
  if (stroke.length === 1) {
    // A tap leaves a dot, like a pen would.
    ctx.arc(first.x, first.y, inkWidth / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.moveTo(first.x, first.y);
  for (let i = 1; i < stroke.length - 1; i++) {
    const p = stroke[i] as Point;
    const next = stroke[i + 1] as Point;
    ctx.quadraticCurveTo(p.x, p.y, (p.x + next.x) / 2, (p.y + next.y) / 2);
  }
  const last = stroke[stroke.length - 1] as Point;
  ctx.lineTo(last.x, last.y);
  ctx.stroke();
}

/** Whether a new sample is far enough from the last one to be worth keeping (fewer, cleaner points). */
export function worthAdding(stroke: Stroke, p: Point, minDistance = 1.5): boolean {
  const last = stroke[stroke.length - 1];
  return last === undefined || Math.hypot(p.x - last.x, p.y - last.y) >= minDistance;
}
