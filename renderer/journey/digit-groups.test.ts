import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupedBy, groupedPhone, spokenDigits } from './digit-groups';

describe('digit groups', () => {
  it('groups a mobile number 3-4-4, also while typed, and leaves anything else alone', () => {
    expect(groupedPhone('13812345678')).toBe('138 1234 5678');
    expect(groupedPhone('0571-8888888')).toBe('0571-8888888');
    expect(groupedPhone('1381234567')).toBe('138 1234 567');
    expect(groupedPhone('1381')).toBe('138 1');
    expect(groupedPhone('138123456789')).toBe('138123456789');
  });

  it('groups a bank card 4-4-4-4 as it is typed, and the number to keep 5-5', () => {
    expect(groupedBy('6222021234567894', 4)).toBe('6222 0212 3456 7894');
    expect(groupedBy('62220', 4)).toBe('6222 0');
    expect(groupedBy('1234567890', 5)).toBe('12345 67890');
  });

  it('reads each digit on its own, a pause between groups', () => {
    expect(spokenDigits('138 1234 5678')).toBe('1 3 8，1 2 3 4，5 6 7 8');
  });

  it('property: grouping only adds spaces', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{0,20}$/), fc.integer({ min: 1, max: 6 }), (digits, size) => {
        const grouped = groupedBy(digits, size);
        return grouped.replace(/ /g, '') === digits && grouped.split(' ').every((g) => g.length <= size);
      }),
    );
  });
});
