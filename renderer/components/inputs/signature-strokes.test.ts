import { describe, expect, it } from 'vitest';
import { drawStroke, worthAdding, type InkContext } from './signature-strokes';

function recorder() {
  const calls: string[] = [];
  const ctx: InkContext = {
    beginPath: () => calls.push('begin'),
    moveTo: (x, y) => calls.push(`M ${x} ${y}`),
    lineTo: (x, y) => calls.push(`L ${x} ${y}`),
    quadraticCurveTo: (cx, cy, x, y) => calls.push(`Q ${cx} ${cy} ${x} ${y}`),
    arc: (x, y, r) => calls.push(`dot ${x} ${y} ${r}`),
    stroke: () => calls.push('stroke'),
    fill: () => calls.push('fill'),
  };
  return { ctx, calls };
}

describe('signature strokes', () => {
  it('curves through the midpoints, ending exactly at the last sample', () => {
    const { ctx, calls } = recorder();
    drawStroke(ctx, [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 20, y: 10 },
      { x: 30, y: 10 },
    ]);
    expect(calls).toEqual(['begin', 'M 0 0', 'Q 10 0 15 5', 'Q 20 10 25 10', 'L 30 10', 'stroke']);
  });

  it('draws a tap as a dot and two samples as a line', () => {
    const dot = recorder();
    drawStroke(dot.ctx, [{ x: 5, y: 6 }]);
    expect(dot.calls).toEqual(['begin', 'dot 5 6 2.5', 'fill']);
    const line = recorder();
    drawStroke(line.ctx, [
      { x: 0, y: 0 },
      { x: 3, y: 4 },
    ]);
    expect(line.calls).toEqual(['begin', 'M 0 0', 'L 3 4', 'stroke']);
  });

  it('draws nothing for an empty stroke', () => {
    const { ctx, calls } = recorder();
    drawStroke(ctx, []);
    expect(calls).toEqual([]);
  });

  it('skips samples closer than the minimum distance', () => {
    expect(worthAdding([], { x: 0, y: 0 })).toBe(true);
    expect(worthAdding([{ x: 0, y: 0 }], { x: 1, y: 1 })).toBe(false);
    expect(worthAdding([{ x: 0, y: 0 }], { x: 3, y: 0 })).toBe(true);
  });
});
