import { describe, expect, it } from 'vitest';
import { code128BModules, code128BValues, code128Pattern } from './code128-pattern';

describe('Code 128 patterns', () => {
  it('every symbol is 11 modules with an even bar sum and all are distinct (catches a mistyped table entry)', () => {
    const seen = new Set<string>();
    for (let v = 0; v <= 105; v++) {
      const p = code128Pattern(v);
      expect(p.reduce((a, b) => a + b, 0)).toBe(11);
      expect(((p[0] ?? 0) + (p[2] ?? 0) + (p[4] ?? 0)) % 2).toBe(0);
      seen.add(p.join(''));
    }
    expect(seen.size).toBe(106);
    expect(code128Pattern(106).reduce((a, b) => a + b, 0)).toBe(13);
  });

  it('computes the checksum of the standard example "PJJ123C"', () => {
    // 104 + P48·1 + J42·2 + J42·3 + '1'17·4 + '2'18·5 + '3'19·6 + C35·7 = 879; 879 mod 103 = 55.
    const values = code128BValues('PJJ123C');
    expect(values[0]).toBe(104);
    expect(values.at(-2)).toBe(55);
    expect(values.at(-1)).toBe(106);
    expect(code128BModules('PJJ123C').reduce((a, b) => a + b, 0)).toBe(11 * 9 + 13);
  });
});
