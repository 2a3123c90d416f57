import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, isRealDate, validateForeignPermanentNumber2017, validateIdNumber } from './id-number';

const today = new Date(2026, 10, 24);
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

describe('validateIdNumber (GB 11643-1999)', () => {
  it('accepts the standard example and sample numbers', () => {
    // 11010519491231002X is the example printed in GB 11643-1999 itself.
    expect(validateIdNumber('11010519491231002X', today)).toEqual({ valid: true, reason: 'valid', holder: 'resident' });
    expect(validateIdNumber('110105194403150136', today).valid).toBe(true);
  });

  it('knows HK/Macau, Taiwan and new foreigner numbers', () => {
    expect(validateIdNumber(withCheck('81000019920410001'), today)).toMatchObject({
      valid: true,
      holder: 'hk-mo-permit',
    });
    expect(validateIdNumber(withCheck('82000019800101002'), today)).toMatchObject({
      valid: true,
      holder: 'hk-mo-permit',
    });
    expect(validateIdNumber(withCheck('83000019751231003'), today)).toMatchObject({ valid: true, holder: 'tw-permit' });
    expect(validateIdNumber(withCheck('91115619850712001'), today)).toMatchObject({
      valid: true,
      holder: 'foreign-permanent',
    });
  });

  it.each([
    ['11010519491231002', 'bad-length'],
    ['11010519491231002XX', 'bad-length'],
    ['11010519491231002x', 'bad-characters'],
    ['1101051949123100X2', 'bad-characters'],
    ['A10105194912310021', 'bad-characters'],
    [withCheck('00010519491231002'), 'bad-region'],
    [withCheck('99010519491231002'), 'bad-region'],
    [withCheck('11010519490231002'), 'bad-birth-date'],
    [withCheck('11010519000229002'), 'bad-birth-date'],
    [withCheck('11010520261125002'), 'bad-birth-date'],
    ['110105194912310021', 'bad-check-digit'],
  ] as const)('%s → %s', (id, reason) => {
    expect(validateIdNumber(id, today)).toEqual({ valid: false, reason });
  });

  it('accepts a birth date of today and 29 February in a leap year', () => {
    expect(validateIdNumber(withCheck('11010520261124001'), today).valid).toBe(true);
    expect(validateIdNumber(withCheck('11010520000229001'), today).valid).toBe(true);
  });

  it('property: changing any one character of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = '110105194403150136';
        const c = id[pos] ?? '0';
        const changed = String((Number(c) + delta) % 10);
        const mutated = id.slice(0, pos) + changed + id.slice(pos + 1);
        expect(validateIdNumber(mutated, today).valid).toBe(false);
      }),
    );
  });

  it('checks the shape of 2017 foreigner card numbers', () => {
    expect(validateForeignPermanentNumber2017('USA110088061501').valid).toBe(true);
    expect(validateForeignPermanentNumber2017('US1110088061501')).toEqual({ valid: false, reason: 'bad-characters' });
    expect(validateForeignPermanentNumber2017('USA11008806150')).toEqual({ valid: false, reason: 'bad-length' });
  });

  it('isRealDate', () => {
    expect(isRealDate('20240229')).toBe(true);
    expect(isRealDate('20230229')).toBe(false);
    expect(isRealDate('20231301')).toBe(false);
    expect(isRealDate('2023010')).toBe(false);
  });
});
