/**
 * The character templates the recogniser compares against, and their compact byte form. Each
 * template is a character's stroke medians (the centre line of each stroke, in writing order) from
 * Make Me a Hanzi via hanzi-writer-data, in a 1024-unit square, y down. The build turns the 3,500
 * characters of the common-character list into these bytes (docs/handwriting.md); the widget loads
 * them lazily. Each coordinate is one byte, a 256-step grid over the box: under half a percent of
 * the box, far below how precisely anyone writes.
 *
 * Layout: "HW" 0x01, u16 count, then per character: code point (3 bytes), stroke count (u8), and
 * per stroke a point count (u8) followed by x, y bytes. Big-endian.
 */
import { err, ok, type Result } from '../../../../foundation/result';
import type { Point } from '../signature-strokes';

export interface CharacterTemplate {
  readonly character: string;
  /** Stroke medians in writing order, each a polyline in the 1024 box, y down. */
  readonly strokes: ReadonlyArray<ReadonlyArray<Point>>;
}

export const templateBox = 1024;
const step = templateBox / 255;
const magic = [0x48, 0x57, 0x01];

export type TemplateSetError = 'bad-header' | 'truncated' | 'bad-character';

const quantise = (v: number) => Math.max(0, Math.min(255, Math.round(v / step)));

export function encodeTemplateSet(templates: ReadonlyArray<CharacterTemplate>): Uint8Array {
  let size = magic.length + 2;
  for (const { strokes } of templates) size += 4 + strokes.reduce((sum, s) => sum + 1 + 2 * s.length, 0);
  const bytes = new Uint8Array(size);
  let at = 0;
  const put = (...values: number[]) => {
    for (const v of values) bytes[at++] = v;
  };
  put(...magic, templates.length >> 8, templates.length & 0xff);
  for (const { character, strokes } of templates) {
    const code = character.codePointAt(0) ?? 0;
    if ([...character].length !== 1 || code > 0xffffff) throw new Error(`not one character: ${character}`);
    if (strokes.length > 255) throw new Error(`too many strokes: ${character}`);
    put(code >> 16, (code >> 8) & 0xff, code & 0xff, strokes.length);
    for (const stroke of strokes) {
      if (stroke.length === 0 || stroke.length > 255) throw new Error(`bad stroke in ${character}`);
      put(stroke.length);
      for (const p of stroke) put(quantise(p.x), quantise(p.y));
    }
  }
  return bytes;
}

export function decodeTemplateSet(bytes: Uint8Array): Result<CharacterTemplate[], TemplateSetError> {
  if (bytes.length < 5 || magic.some((b, i) => bytes[i] !== b)) return err('bad-header');
  const count = ((bytes[3] as number) << 8) | (bytes[4] as number);
  let at = 5;
  const read = (): number => {
    const b = bytes[at++];
    if (b === undefined) throw new RangeError('truncated');
    return b;
  };
  const templates: CharacterTemplate[] = [];
  try {
    for (let c = 0; c < count; c++) {
      const code = (read() << 16) | (read() << 8) | read();
      if (code === 0 || code > 0x10ffff) return err('bad-character');
      const strokes: Point[][] = [];
      for (let s = read(); s > 0; s--) {
        const stroke: Point[] = [];
        for (let n = read(); n > 0; n--) stroke.push({ x: read() * step, y: read() * step });
        if (stroke.length === 0) return err('truncated');
        strokes.push(stroke);
      }
      templates.push({ character: String.fromCodePoint(code), strokes });
    }
  } catch {
    return err('truncated');
  }
  return at === bytes.length ? ok(templates) : err('truncated');
}

/** Make Me a Hanzi's median [x, y] pairs (y up, baseline at 900 − 1024) into the template box, y down. */
export function fromMedians(character: string, medians: ReadonlyArray<ReadonlyArray<readonly [number, number]>>) {
  return { character, strokes: medians.map((m) => m.map(([x, y]) => ({ x, y: 900 - y }))) };
}
