import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTemplateSet, encodeTemplateSet, fromMedians, type CharacterTemplate } from './template-set';

const inBox = fc.integer({ min: 0, max: 1024 });
const halfStep = 1024 / 255 / 2 + 1e-9;
const template: fc.Arbitrary<CharacterTemplate> = fc.record({
  character: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  strokes: fc.array(fc.array(fc.record({ x: inBox, y: inBox }), { minLength: 1, maxLength: 20 }), {
    minLength: 1,
    maxLength: 12,
  }),
});

describe('template set bytes', () => {
  it('round-trip every character and stroke, each coordinate within half a step of the 256-step grid', () => {
    fc.assert(
      fc.property(fc.array(template, { maxLength: 8 }), (templates) => {
        const decoded = decodeTemplateSet(encodeTemplateSet(templates));
        if (!decoded.ok) throw new Error(decoded.error);
        expect(decoded.value.map((t) => t.character)).toEqual(templates.map((t) => t.character));
        decoded.value.forEach((t, i) => {
          const original = templates[i]?.strokes ?? [];
          expect(t.strokes.map((s) => s.length)).toEqual(original.map((s) => s.length));
          t.strokes.flat().forEach((p, k) => {
            const q = original.flat()[k];
            expect(Math.abs(p.x - (q?.x ?? NaN))).toBeLessThanOrEqual(halfStep);
            expect(Math.abs(p.y - (q?.y ?? NaN))).toBeLessThanOrEqual(halfStep);
          });
        });
      }),
    );
  });

  it('refuse a foreign header, a cut-off set and trailing bytes', () => {
    const bytes = encodeTemplateSet([
      {
        character: '王',
        strokes: [
          [
            { x: 0, y: 0 },
            { x: 512, y: 0 },
          ],
        ],
      },
    ]);
    expect(decodeTemplateSet(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 1]))).toEqual({ ok: false, error: 'bad-header' });
    expect(decodeTemplateSet(bytes.subarray(0, bytes.length - 1))).toEqual({ ok: false, error: 'truncated' });
    expect(decodeTemplateSet(Uint8Array.from([...bytes, 0]))).toEqual({ ok: false, error: 'truncated' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        expect(decodeTemplateSet(bytes.subarray(0, cut)).ok).toBe(false);
      }),
    );
  });

  it("turn Make Me a Hanzi's y-up medians into the y-down box", () => {
    expect(
      fromMedians('一', [
        [
          [100, 900],
          [900, -124],
        ],
      ]).strokes,
    ).toEqual([
      [
        { x: 100, y: 0 },
        { x: 900, y: 1024 },
      ],
    ]);
  });
});
