/**
 * Recognises one handwritten Chinese character among the templates, in two passes
 * (docs/handwriting.md):
 *
 * 1. A cheap pass over every template: a directional-feature map (how much ink runs in each of 8
 *    directions in each cell of a grid over the normalised character). It does not care about
 *    stroke order, stroke count, or strokes joined or broken, so it is a safe filter.
 * 2. A finer pass over the best few: stroke-to-stroke elastic comparison of resampled strokes in
 *    both directions (every written stroke finds its nearest template stroke and every template
 *    stroke its nearest written one), where two consecutive strokes may stand for one (joined
 *    or split strokes) and a stroke written backwards costs a little.
 *
 * Pure TypeScript with no DOM or Node: it runs in the renderer, the bench and the tests alike.
 */
import type { Point } from '../signature-strokes';
import { inkFrame, meanDistance, pathLength, resample, type FlatStroke, type Frame } from './geometry';
import type { CharacterTemplate } from './template-set';

export interface Candidate {
  readonly character: string;
  /** Lower is closer; only the order means anything. */
  readonly distance: number;
}

export interface Recogniser {
  readonly size: number;
  recognise(strokes: ReadonlyArray<ReadonlyArray<Point>>, limit?: number): Candidate[];
}

export interface RecogniserTuning {
  /** Points per resampled stroke in the fine pass. */
  readonly strokePoints: number;
  /** Grid cells per side of the directional-feature map. */
  readonly grid: number;
  /** Templates the fine pass looks at. */
  readonly shortlist: number;
  readonly reversedPenalty: number;
  readonly joinedPenalty: number;
  readonly coarseWeight: number;
  readonly strokeCountWeight: number;
}

export const defaultTuning: RecogniserTuning = {
  strokePoints: 12,
  grid: 6,
  shortlist: 60,
  reversedPenalty: 0.25,
  joinedPenalty: 0.08,
  coarseWeight: 1,
  strokeCountWeight: 0.03,
};

const directions = 8;
/** The normalised character (unit RMS radius around its centre) mostly lies within ±extent. */
const extent = 2;
/** Ink sampling step for the feature map, in normalised units. */
const featureStep = 0.04;

/** A character ready to compare: its feature map at once, its strokes when the fine pass first needs them. */
interface Prepared {
  readonly raw: ReadonlyArray<ReadonlyArray<Point>>;
  readonly frame: Frame;
  readonly features: Float32Array;
  detail: Detail | null;
}

interface Detail {
  /** Each stroke resampled in the normalised frame (centred, unit size). */
  readonly strokes: FlatStroke[];
  /** Share of the character's ink in each stroke. */
  readonly weights: Float32Array;
  /** Consecutive pairs joined, as if written without lifting the finger. */
  readonly joined: FlatStroke[];
}

function featureMap(strokes: ReadonlyArray<ReadonlyArray<Point>>, frame: Frame, grid: number): Float32Array {
  const map = new Float32Array(grid * grid * directions);
  // Cells in the raw coordinates, so nothing is copied: the frame maps them onto ±extent.
  const cell = (2 * extent * frame.scale) / grid;
  const left = frame.cx - extent * frame.scale;
  const top = frame.cy - extent * frame.scale;
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i++) {
      const p = stroke[i - 1] as Point;
      const q = stroke[i] as Point;
      // Long segments are cut into pieces of about featureStep, so ink spreads over the cells it crosses.
      const pieces = Math.max(1, Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) / (featureStep * frame.scale)));
      const dx = (q.x - p.x) / pieces;
      const dy = (q.y - p.y) / pieces;
      const w = Math.sqrt(dx * dx + dy * dy) / frame.scale;
      if (w === 0) continue;
      // Direction: shared between the two nearest of 8 bins.
      const angle = ((Math.atan2(dy, dx) / (2 * Math.PI)) * directions + directions) % directions;
      const d0 = Math.floor(angle) % directions;
      const fd = angle - Math.floor(angle);
      const d1 = (d0 + 1) % directions;
      for (let k = 0; k < pieces; k++) {
        const x0 = p.x + dx * k;
        const y0 = p.y + dy * k;
        // Position: shared between the four nearest cells (bilinear).
        const gx = Math.min(grid - 1.001, Math.max(0, (x0 + dx / 2 - left) / cell - 0.5));
        const gy = Math.min(grid - 1.001, Math.max(0, (y0 + dy / 2 - top) / cell - 0.5));
        const cx = Math.floor(gx);
        const cy = Math.floor(gy);
        const fx = gx - cx;
        const fy = gy - cy;
        const a = d0 * grid * grid + cy * grid + cx;
        const b = d1 * grid * grid + cy * grid + cx;
        const w00 = w * (1 - fx) * (1 - fy);
        const w10 = w * fx * (1 - fy);
        const w01 = w * (1 - fx) * fy;
        const w11 = w * fx * fy;
        map[a] = (map[a] as number) + w00 * (1 - fd);
        map[a + 1] = (map[a + 1] as number) + w10 * (1 - fd);
        map[a + grid] = (map[a + grid] as number) + w01 * (1 - fd);
        map[a + grid + 1] = (map[a + grid + 1] as number) + w11 * (1 - fd);
        map[b] = (map[b] as number) + w00 * fd;
        map[b + 1] = (map[b + 1] as number) + w10 * fd;
        map[b + grid] = (map[b + grid] as number) + w01 * fd;
        map[b + grid + 1] = (map[b + grid + 1] as number) + w11 * fd;
      }
    }
  }
  // Square roots damp the long strokes' dominance; unit length makes maps of any size comparable.
  let norm = 0;
  for (let i = 0; i < map.length; i++) {
    const v = Math.sqrt(map[i] as number);
    map[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < map.length; i++) map[i] = (map[i] as number) / norm;
  return map;
}

function prepare(raw: ReadonlyArray<ReadonlyArray<Point>>, tuning: RecogniserTuning): Prepared {
  const strokes = raw.filter((s) => s.length > 0);
  const frame = inkFrame(strokes);
  return { raw: strokes, frame, features: featureMap(strokes, frame, tuning.grid), detail: null };
}

function detailOf(p: Prepared, points: number): Detail {
  if (p.detail !== null) return p.detail;
  const { cx, cy, scale } = p.frame;
  const normalised = p.raw.map((s) => s.map((q) => ({ x: (q.x - cx) / scale, y: (q.y - cy) / scale })));
  const lengths = normalised.map(pathLength);
  const total = lengths.reduce((a, b) => a + b, 0) || 1;
  p.detail = {
    strokes: normalised.map((s) => resample(s, points)),
    weights: Float32Array.from(lengths, (l) => l / total),
    joined: normalised.slice(1).map((s, i) => resample([...(normalised[i] as Point[]), ...s], points)),
  };
  return p.detail;
}

function coarseDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  return sum;
}

function strokeDistance(a: FlatStroke, b: FlatStroke, reversedPenalty: number): number {
  return Math.min(meanDistance(a, b), meanDistance(a, b, true) + reversedPenalty);
}

/** Every stroke of `from` to its nearest in `to` (or a joined pair there), weighted by its ink. */
function nearestStrokes(from: Detail, to: Detail, tuning: RecogniserTuning): number {
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < from.strokes.length; i++) {
    const stroke = from.strokes[i] as FlatStroke;
    let best = Infinity;
    for (const other of to.strokes) best = Math.min(best, strokeDistance(stroke, other, tuning.reversedPenalty));
    for (const other of to.joined)
      best = Math.min(best, strokeDistance(stroke, other, tuning.reversedPenalty) + tuning.joinedPenalty);
    // Short strokes (dots) still count: their position tells 大 from 太.
    const w = (from.weights[i] as number) + 0.05;
    sum += best * w;
    weight += w;
  }
  return weight === 0 ? 0 : sum / weight;
}

function fineDistance(input: Detail, template: Detail, tuning: RecogniserTuning): number {
  const there = nearestStrokes(input, template, tuning);
  const back = nearestStrokes(template, input, tuning);
  const countGap = Math.abs(input.strokes.length - template.strokes.length);
  return (there + back) / 2 + tuning.strokeCountWeight * countGap;
}

export function createRecogniser(
  templates: ReadonlyArray<CharacterTemplate>,
  tuning: RecogniserTuning = defaultTuning,
): Recogniser {
  const prepared = templates.map((t) => prepare(t.strokes, tuning));
  return {
    size: templates.length,
    recognise(strokes, limit = 10) {
      const input = prepare(strokes, tuning);
      if (input.raw.length === 0) return [];
      const inputDetail = detailOf(input, tuning.strokePoints);
      const coarse = prepared.map((t, index) => ({ index, distance: coarseDistance(input.features, t.features) }));
      coarse.sort((a, b) => a.distance - b.distance);
      const fine = coarse.slice(0, Math.max(limit, tuning.shortlist)).map(({ index, distance }) => ({
        character: (templates[index] as CharacterTemplate).character,
        distance:
          tuning.coarseWeight * distance +
          fineDistance(inputDetail, detailOf(prepared[index] as Prepared, tuning.strokePoints), tuning),
      }));
      fine.sort((a, b) => a.distance - b.distance);
      return fine.slice(0, limit);
    },
  };
}
