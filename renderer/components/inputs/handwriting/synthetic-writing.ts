/**
 * Handwriting made from a template, as a finger on the pad would leave it, for the bench and the
 * accuracy test (docs/handwriting.md, "noise model"). Seeded, so a run is repeatable. Nothing in
 * the widget imports this.
 */
import type { Point } from '../signature-strokes';
import type { InkPoint, InkStroke } from '../use-ink-canvas';
import { templateBox, type CharacterTemplate } from './template-set';

export type Random = () => number;

/** mulberry32: small, fast, and good enough to draw noise from. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniform = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();
function gaussian(random: Random, sigma: number): number {
  const u = Math.max(1e-12, random());
  return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface NoiseModel {
  /** Side of the writing box in CSS pixels. */
  readonly box: number;
  readonly rotationDegrees: number;
  readonly scale: readonly [number, number];
  /** Wobble of the character's proportions, as a share of the box. */
  readonly warp: number;
  /** Per stroke: displacement (share of the box), turn (degrees) and length change (share of the stroke). */
  readonly strokeShift: number;
  readonly strokeTurnDegrees: number;
  readonly strokeLength: number;
  /** Finger jitter in pixels. */
  readonly jitter: number;
  /** Shares of samples with: two strokes written in swapped order, two strokes joined, one stroke split, one stroke written backwards. */
  readonly swapped: number;
  readonly joined: number;
  readonly split: number;
  readonly reversed: number;
}

export const realisticNoise: NoiseModel = {
  box: 480,
  rotationDegrees: 8,
  scale: [0.6, 0.95],
  warp: 0.04,
  strokeShift: 0.025,
  strokeTurnDegrees: 8,
  strokeLength: 0.2,
  jitter: 1.5,
  swapped: 0.35,
  joined: 0.2,
  split: 0.1,
  reversed: 0.05,
};

type Polyline = Point[];

function lengthen(stroke: Polyline, random: Random, share: number): Polyline {
  if (stroke.length < 2) return stroke;
  const grow = (from: Point, to: Point, amount: number): Point => {
    const d = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    return { x: from.x + ((from.x - to.x) / d) * amount, y: from.y + ((from.y - to.y) / d) * amount };
  };
  let total = 0;
  for (let i = 1; i < stroke.length; i++)
    total += Math.hypot(
      (stroke[i] as Point).x - (stroke[i - 1] as Point).x,
      (stroke[i] as Point).y - (stroke[i - 1] as Point).y,
    );
  // Each end moves out (or in, bounded so the stroke survives) by up to `share` of the length.
  const start = total * uniform(random, -share, share) * 0.5;
  const end = total * uniform(random, -share, share) * 0.5;
  const out = stroke.slice();
  out[0] = grow(stroke[0] as Point, stroke[1] as Point, Math.max(start, -0.3 * total));
  const n = stroke.length;
  out[n - 1] = grow(stroke[n - 1] as Point, stroke[n - 2] as Point, Math.max(end, -0.3 * total));
  return out;
}

/** Pointer samples along a polyline: a finger moving at a varying speed, sampled at 60 Hz, with jitter. */
function sample(stroke: Polyline, random: Random, start: number, jitter: number): InkPoint[] {
  const speed = uniform(random, 0.3, 0.9); // px per ms
  const points: InkPoint[] = [];
  const wobble = uniform(random, 0, 1.5);
  const phase = uniform(random, 0, 2 * Math.PI);
  let t = start;
  let carry = 0;
  const add = (p: Point) => {
    points.push({
      x: p.x + gaussian(random, jitter),
      y: p.y + gaussian(random, jitter) + wobble * Math.sin(phase + t / 40),
      t,
    });
  };
  add(stroke[0] as Point);
  for (let i = 1; i < stroke.length; i++) {
    const a = stroke[i - 1] as Point;
    const b = stroke[i] as Point;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const step = speed * (1000 / 60);
    let at = step - carry;
    while (at < length) {
      t += 1000 / 60;
      add({ x: a.x + ((b.x - a.x) * at) / length, y: a.y + ((b.y - a.y) * at) / length });
      at += step;
    }
    carry = length - (at - step);
  }
  t += 1000 / 60;
  add(stroke[stroke.length - 1] as Point);
  return points;
}

/** One written sample of `template`, in a `noise.box`-pixel box. */
export function writeCharacter(
  template: CharacterTemplate,
  random: Random,
  noise: NoiseModel = realisticNoise,
): InkStroke[] {
  const box = noise.box;
  const scale = (uniform(random, noise.scale[0], noise.scale[1]) * box) / templateBox;
  const aspect = uniform(random, 0.9, 1.1);
  const angle = (uniform(random, -noise.rotationDegrees, noise.rotationDegrees) * Math.PI) / 180;
  const shear = uniform(random, -0.05, 0.05);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const offset = { x: box / 2 + uniform(random, -0.05, 0.05) * box, y: box / 2 + uniform(random, -0.05, 0.05) * box };
  // A smooth warp: a few low-frequency waves moving points by up to `warp` of the box.
  const waves = Array.from({ length: 3 }, () => ({
    fx: (uniform(random, 0.5, 2) * Math.PI) / templateBox,
    fy: (uniform(random, 0.5, 2) * Math.PI) / templateBox,
    px: uniform(random, 0, 2 * Math.PI),
    py: uniform(random, 0, 2 * Math.PI),
    ax: gaussian(random, noise.warp * templateBox) / 3,
    ay: gaussian(random, noise.warp * templateBox) / 3,
  }));
  const place = (p: Point): Point => {
    let x = p.x - templateBox / 2;
    let y = p.y - templateBox / 2;
    for (const w of waves) {
      x += w.ax * Math.sin(w.fy * p.y + w.px);
      y += w.ay * Math.sin(w.fx * p.x + w.py);
    }
    x = (x + shear * y) * aspect;
    return { x: offset.x + scale * (cos * x - sin * y), y: offset.y + scale * (sin * x + cos * y) };
  };

  let strokes: Polyline[] = template.strokes.map((median) => {
    const shift = {
      x: gaussian(random, noise.strokeShift * templateBox),
      y: gaussian(random, noise.strokeShift * templateBox),
    };
    const turn = (uniform(random, -noise.strokeTurnDegrees, noise.strokeTurnDegrees) * Math.PI) / 180;
    const centre = median.reduce((c, p) => ({ x: c.x + p.x / median.length, y: c.y + p.y / median.length }), {
      x: 0,
      y: 0,
    });
    const moved = median.map((p) => {
      const [x, y] = [p.x - centre.x, p.y - centre.y];
      return {
        x: centre.x + shift.x + Math.cos(turn) * x - Math.sin(turn) * y,
        y: centre.y + shift.y + Math.sin(turn) * x + Math.cos(turn) * y,
      };
    });
    return lengthen(moved, random, noise.strokeLength).map(place);
  });

  const pick = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  if (strokes.length > 1 && random() < noise.swapped) {
    const i = pick(strokes.length - 1);
    const j = Math.min(strokes.length - 1, i + 1 + pick(2));
    [strokes[i], strokes[j]] = [strokes[j] as Polyline, strokes[i] as Polyline];
  }
  if (strokes.length > 1 && random() < noise.joined) {
    const i = pick(strokes.length - 1);
    strokes = [
      ...strokes.slice(0, i),
      [...(strokes[i] as Polyline), ...(strokes[i + 1] as Polyline)],
      ...strokes.slice(i + 2),
    ];
  }
  if (random() < noise.split) {
    // A stroke with a corner is broken there, as when the finger lifts at a turn.
    const bent = strokes.map((s, i) => ({ s, i })).filter(({ s }) => s.length >= 3);
    const chosen = bent[pick(Math.max(1, bent.length))];
    if (chosen !== undefined) {
      const at = 1 + pick(chosen.s.length - 2);
      strokes = [
        ...strokes.slice(0, chosen.i),
        chosen.s.slice(0, at + 1),
        chosen.s.slice(at),
        ...strokes.slice(chosen.i + 1),
      ];
    }
  }
  if (random() < noise.reversed) {
    const i = pick(strokes.length);
    strokes[i] = (strokes[i] as Polyline).slice().reverse();
  }

  let t = 0;
  return strokes.map((stroke) => {
    const ink = sample(stroke, random, t, noise.jitter);
    t = (ink[ink.length - 1]?.t ?? t) + uniform(random, 150, 450);
    return ink;
  });
}
