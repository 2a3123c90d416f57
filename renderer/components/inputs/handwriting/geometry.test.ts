import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inkFrame, meanDistance, normalise, pathLength, resample, simplify } from './geometry';

const coordinate = fc.double({ min: -1000, max: 1000, noNaN: true });
const point = fc.record({ x: coordinate, y: coordinate });
const polyline = fc.array(point, { minLength: 2, maxLength: 12 });
const character = fc.array(polyline, { minLength: 1, maxLength: 6 });

const close = (a: number, b: number, tolerance = 1e-6) =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
const pointsOf = (flat: Float32Array) =>
  Array.from({ length: flat.length / 2 }, (_, k) => ({ x: flat[2 * k] as number, y: flat[2 * k + 1] as number }));

describe('resample', () => {
  it('gives the asked number of points, starting and ending where the stroke does', () => {
    fc.assert(
      fc.property(polyline, fc.integer({ min: 2, max: 40 }), (stroke, count) => {
        const out = pointsOf(resample(stroke, count));
        expect(out).toHaveLength(count);
        const [first, last] = [stroke[0], stroke[stroke.length - 1]];
        expect(close(out[0]?.x ?? NaN, first?.x ?? NaN, 1e-5) && close(out[0]?.y ?? NaN, first?.y ?? NaN, 1e-5)).toBe(
          true,
        );
        expect(close(out[count - 1]?.x ?? NaN, last?.x ?? NaN, 1e-5)).toBe(true);
        expect(close(out[count - 1]?.y ?? NaN, last?.y ?? NaN, 1e-5)).toBe(true);
      }),
    );
  });

  it('spaces points evenly along a straight stroke however it was sampled', () => {
    fc.assert(
      fc.property(
        point,
        point,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        fc.integer({ min: 2, max: 30 }),
        (a, b, cuts, count) => {
          fc.pre(Math.hypot(b.x - a.x, b.y - a.y) > 1);
          const inner = [...cuts]
            .sort((p, q) => p - q)
            .map((f) => ({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f }));
          const out = pointsOf(resample([a, ...inner, b], count));
          const step = Math.hypot(b.x - a.x, b.y - a.y) / (count - 1);
          for (let k = 1; k < count; k++) {
            const gap = Math.hypot((out[k]?.x ?? 0) - (out[k - 1]?.x ?? 0), (out[k]?.y ?? 0) - (out[k - 1]?.y ?? 0));
            expect(Math.abs(gap - step)).toBeLessThan(1e-3 * Math.max(1, step) + 1e-3);
          }
        },
      ),
    );
  });

  it('never walks further than the stroke: no resampled gap exceeds the arc-length step', () => {
    fc.assert(
      fc.property(polyline, fc.integer({ min: 2, max: 30 }), (stroke, count) => {
        const out = pointsOf(resample(stroke, count));
        const step = pathLength(stroke) / (count - 1);
        for (let k = 1; k < count; k++) {
          const gap = Math.hypot((out[k]?.x ?? 0) - (out[k - 1]?.x ?? 0), (out[k]?.y ?? 0) - (out[k - 1]?.y ?? 0));
          expect(gap).toBeLessThanOrEqual(step + 1e-3 * Math.max(1, step));
        }
      }),
    );
  });

  it('turns a tap into copies of its one point', () => {
    expect(Array.from(resample([{ x: 3, y: 4 }], 3))).toEqual([3, 4, 3, 4, 3, 4]);
  });
});

describe('normalise', () => {
  it('centres the ink at 0 with unit root-mean-square size', () => {
    fc.assert(
      fc.property(character, (strokes) => {
        fc.pre(strokes.some((s) => pathLength(s) > 1));
        const frame = inkFrame(normalise(strokes));
        expect(Math.abs(frame.cx)).toBeLessThan(1e-6);
        expect(Math.abs(frame.cy)).toBeLessThan(1e-6);
        expect(frame.scale).toBeCloseTo(1, 6);
      }),
    );
  });

  it('does not care where the character was written or how big', () => {
    fc.assert(
      fc.property(
        character,
        coordinate,
        coordinate,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (strokes, dx, dy, k) => {
          fc.pre(strokes.some((s) => pathLength(s) > 1));
          const moved = strokes.map((s) => s.map((p) => ({ x: p.x * k + dx, y: p.y * k + dy })));
          const [a, b] = [normalise(strokes).flat(), normalise(moved).flat()];
          a.forEach((p, i) => {
            expect(p.x).toBeCloseTo(b[i]?.x ?? NaN, 4);
            expect(p.y).toBeCloseTo(b[i]?.y ?? NaN, 4);
          });
        },
      ),
    );
  });

  it('keeps a character of taps alone where it is', () => {
    expect(inkFrame([[{ x: 2, y: 4 }], [{ x: 4, y: 8 }]])).toEqual({ cx: 3, cy: 6, scale: 1 });
    expect(inkFrame([])).toEqual({ cx: 0, cy: 0, scale: 1 });
  });
});

describe('meanDistance', () => {
  it('is zero to itself, symmetric, and reversing one side equals reversing the other', () => {
    fc.assert(
      fc.property(polyline, polyline, (p, q) => {
        const [a, b] = [resample(p, 10), resample(q, 10)];
        expect(meanDistance(a, a)).toBe(0);
        expect(meanDistance(a, b)).toBeCloseTo(meanDistance(b, a), 6);
        expect(meanDistance(a, b, true)).toBeCloseTo(meanDistance(b, a, true), 6);
        const reversedA = resample([...p].reverse(), 10);
        expect(meanDistance(reversedA, b)).toBeCloseTo(meanDistance(a, b, true), 1);
      }),
    );
  });
});

describe('simplify', () => {
  const distanceToPolyline = (p: { x: number; y: number }, line: ReadonlyArray<{ x: number; y: number }>) => {
    let best = Infinity;
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [line[i - 1], line[i]];
      if (a === undefined || b === undefined) continue;
      const [dx, dy] = [b.x - a.x, b.y - a.y];
      const l2 = dx * dx + dy * dy;
      const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2));
      best = Math.min(best, Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
    }
    return line.length === 1 ? Math.hypot(p.x - (line[0]?.x ?? 0), p.y - (line[0]?.y ?? 0)) : best;
  };

  it('keeps the ends and a subset of the points, every dropped point within the tolerance', () => {
    fc.assert(
      fc.property(polyline, fc.double({ min: 0, max: 50, noNaN: true }), (stroke, tolerance) => {
        const kept = simplify(stroke, tolerance);
        expect(kept[0]).toBe(stroke[0]);
        expect(kept[kept.length - 1]).toBe(stroke[stroke.length - 1]);
        expect(kept.every((p) => stroke.includes(p))).toBe(true);
        for (const p of stroke) expect(distanceToPolyline(p, kept)).toBeLessThanOrEqual(tolerance + 1e-6);
      }),
    );
  });

  it('drops the points of a straight line', () => {
    expect(
      simplify(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ],
        0.01,
      ),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 3, y: 3 },
    ]);
  });
});
