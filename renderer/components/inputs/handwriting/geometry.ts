/**
 * Plane geometry for handwriting: arc-length resampling and size/position normalisation. Pure,
 * allocation-light (flat Float32Array x,y pairs) because the recogniser runs these on every stroke
 * of every candidate. Screen orientation throughout: x right, y down.
 */
import type { Point } from '../signature-strokes';

/** A resampled stroke: x0, y0, x1, y1, … */
export type FlatStroke = Float32Array;

export function pathLength(points: ReadonlyArray<Point>): number {
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return length;
}

/**
 * `count` points (≥ 2) evenly spaced along the polyline by arc length, first and last at its ends.
 * A polyline of one point, or of zero length, gives `count` copies of its first point.
 */
export function resample(points: ReadonlyArray<Point>, count: number): FlatStroke {
  const out = new Float32Array(count * 2);
  const first = points[0];
  if (first === undefined) return out;
  const total = pathLength(points);
  if (total === 0 || points.length === 1) {
    for (let k = 0; k < count; k++) {
      out[2 * k] = first.x;
      out[2 * k + 1] = first.y;
    }
    return out;
  }
  const step = total / (count - 1);
  let segment = 1;
  let walked = 0; // arc length at the start of `segment`
  for (let k = 0; k < count; k++) {
    const target = k === count - 1 ? total : k * step;
    let a = points[segment - 1] as Point;
    let b = points[segment] as Point;
    let length = Math.hypot(b.x - a.x, b.y - a.y);
    while (walked + length < target && segment < points.length - 1) {
      walked += length;
      segment++;
      a = b;
      b = points[segment] as Point;
      length = Math.hypot(b.x - a.x, b.y - a.y);
    }
    const f = length === 0 ? 0 : Math.min(1, Math.max(0, (target - walked) / length));
    out[2 * k] = a.x + (b.x - a.x) * f;
    out[2 * k + 1] = a.y + (b.y - a.y) * f;
  }
  return out;
}

export interface Frame {
  readonly cx: number;
  readonly cy: number;
  /** Divide by this to reach unit size (never 0). */
  readonly scale: number;
}

/**
 * Where a character sits and how big it is, from its ink weighted by length: the centroid and the
 * root-mean-square distance from it. Unlike a bounding box, one overlong tail or stray dot moves
 * this only a little, and it does not change when the character is rotated.
 */
export function inkFrame(strokes: ReadonlyArray<ReadonlyArray<Point>>): Frame {
  const segments = (visit: (mx: number, my: number, length: number) => void) => {
    for (const stroke of strokes) {
      for (let i = 1; i < stroke.length; i++) {
        const a = stroke[i - 1] as Point;
        const b = stroke[i] as Point;
        visit((a.x + b.x) / 2, (a.y + b.y) / 2, Math.hypot(b.x - a.x, b.y - a.y));
      }
    }
  };
  let weight = 0;
  let sx = 0;
  let sy = 0;
  segments((mx, my, w) => {
    weight += w;
    sx += mx * w;
    sy += my * w;
  });
  if (weight === 0) {
    // Only taps: centre on them, keep the size.
    const points = strokes.flat();
    if (points.length === 0) return { cx: 0, cy: 0, scale: 1 };
    const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
    const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
    return { cx, cy, scale: 1 };
  }
  const cx = sx / weight;
  const cy = sy / weight;
  // A segment's second moment about (cx, cy): its midpoint's, plus its own spread (length² / 12).
  let moment = 0;
  segments((mx, my, w) => {
    moment += w * ((mx - cx) ** 2 + (my - cy) ** 2 + (w * w) / 12);
  });
  const scale = Math.sqrt(moment / weight);
  return { cx, cy, scale: scale > 1e-9 ? scale : 1 };
}

/** The strokes moved and scaled so their ink frame is centred at 0 with unit size. */
export function normalise(strokes: ReadonlyArray<ReadonlyArray<Point>>): Point[][] {
  const { cx, cy, scale } = inkFrame(strokes);
  return strokes.map((stroke) => stroke.map((p) => ({ x: (p.x - cx) / scale, y: (p.y - cy) / scale })));
}

/** Mean distance between two resampled strokes of the same length, point for point (optionally one reversed). */
export function meanDistance(a: FlatStroke, b: FlatStroke, reversed = false): number {
  const n = a.length / 2;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const j = reversed ? n - 1 - k : k;
    const dx = (a[2 * k] as number) - (b[2 * j] as number);
    const dy = (a[2 * k + 1] as number) - (b[2 * j + 1] as number);
    sum += Math.sqrt(dx * dx + dy * dy); // not Math.hypot: this is the recogniser's innermost loop
  }
  return sum / n;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

/**
 * Ramer–Douglas–Peucker: the fewest of the polyline's own points, ends kept, such that every point
 * dropped lies within `tolerance` of what is left. Used to ship the templates smaller.
 */
export function simplify(points: ReadonlyArray<Point>, tolerance: number): Point[] {
  if (points.length < 3) return [...points];
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;
  let farthest = 0;
  let at = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = distanceToSegment(points[i] as Point, first, last);
    if (d > farthest) {
      farthest = d;
      at = i;
    }
  }
  if (farthest <= tolerance) return [first, last];
  return [...simplify(points.slice(0, at + 1), tolerance).slice(0, -1), ...simplify(points.slice(at), tolerance)];
}
