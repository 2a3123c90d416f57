import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName } from './masking';

describe('masking', () => {
  it('masks ID numbers keeping 6 + 4', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021');
    expect(maskIdNumber('USA110088061501')).toBe('USA110*****1501');
    expect(maskIdNumber('H12345678')).toBe('H******78');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('masks names keeping the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧***');
    expect(maskName('𠮷祥')).toBe('𠮷*');
    expect(maskName('李𠮷')).toBe('李*');
    expect(maskName('SMITH, JOHN')).toBe('S***** ****');
    expect(maskName('张')).toBe('*');
  });

  it('property: a masked ID keeps its length and reveals at most 10 characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 30 }), (s) => {
        const masked = maskIdNumber(s);
        expect([...masked].length).toBe([...s].length);
        expect([...masked].filter((c, i) => c === [...s][i] && c !== '*').length).toBeLessThanOrEqual(10);
      }),
    );
  });
});
