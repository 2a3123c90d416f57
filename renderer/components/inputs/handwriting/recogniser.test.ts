import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplates, templateSetBytes } from '../../../../vite-plugins/handwriting-templates';
import { createRecogniser, type Recogniser } from './recogniser';
import { seededRandom, writeCharacter } from './synthetic-writing';
import { decodeTemplateSet, type CharacterTemplate } from './template-set';

/**
 * Recognition against the whole shipped template set (the same bytes the build writes), of writing
 * made from the original medians. Accuracy here is a floor well below the bench's figure
 * (docs/handwriting.md): it catches a broken recogniser, not a slow one; speed is the bench's
 * business.
 */
let templates: CharacterTemplate[];
let recogniser: Recogniser;
/** Reading 3,500 files and recognising 100 samples takes seconds on a loaded machine: not a timing test. */
const patient = 120_000;

beforeAll(() => {
  const decoded = decodeTemplateSet(templateSetBytes());
  if (!decoded.ok) throw new Error(decoded.error);
  templates = decoded.value;
  recogniser = createRecogniser(templates);
}, patient);

const template = (character: string) => {
  const found = templates.find((t) => t.character === character);
  if (found === undefined) throw new Error(`no template for ${character}`);
  return found;
};

describe('handwriting recogniser', { timeout: patient }, () => {
  it('knows the 3,500 characters of the common list, 一 to 矗', () => {
    expect(templates).toHaveLength(3500);
    expect(templates[0]?.character).toBe('一');
    expect(templates[3499]?.character).toBe('矗');
    expect(new Set(templates.map((t) => t.character)).size).toBe(3500);
  });

  it('puts a character written exactly like its template first, wherever and however big', () => {
    for (const character of ['王', '村', '民', '组', '张', '李', '乡', '镇']) {
      const strokes = template(character).strokes.map((s) => s.map((p) => ({ x: 40 + p.x * 0.3, y: 90 + p.y * 0.3 })));
      expect(recogniser.recognise(strokes, 1)[0]?.character).toBe(character);
    }
  });

  it('does not mind strokes in another order or joined', () => {
    const [a, b, c, d] = template('王').strokes;
    if (a === undefined || b === undefined || c === undefined || d === undefined) throw new Error('王 has 4 strokes');
    const reordered = [c, a, d, b];
    const joined = [a, [...b, ...c], d];
    expect(recogniser.recognise(reordered, 3).map((x) => x.character)).toContain('王');
    expect(recogniser.recognise(joined, 3).map((x) => x.character)).toContain('王');
  });

  it('offers nothing for nothing written', () => {
    expect(recogniser.recognise([])).toEqual([]);
    expect(recogniser.recognise([[]])).toEqual([]);
  });

  it('recognises a fixed seeded sample of 100 noisy characters: top-5 ≥ 85 %, top-1 ≥ 70 %', () => {
    const random = seededRandom(12);
    const sample = readTemplates(Array.from({ length: 100 }, (_, i) => templates[i * 35 + 7]?.character ?? ''));
    let top1 = 0;
    let top5 = 0;
    for (const t of sample) {
      const found = recogniser.recognise(writeCharacter(t, random), 5).map((c) => c.character);
      if (found[0] === t.character) top1++;
      if (found.includes(t.character)) top5++;
    }
    expect(top5).toBeGreaterThanOrEqual(85);
    expect(top1).toBeGreaterThanOrEqual(70);
  });

  it('writes the same noisy sample for the same seed', () => {
    const t = template('镇');
    expect(writeCharacter(t, seededRandom(3))).toEqual(writeCharacter(t, seededRandom(3)));
    expect(writeCharacter(t, seededRandom(3))).not.toEqual(writeCharacter(t, seededRandom(4)));
  });
});
