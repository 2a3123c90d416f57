import { describe, expect, it } from 'vitest';
import { groupedPhone } from './check-screen';

describe('groupedPhone', () => {
  it('reads a mobile number back in the groups people say it in', () => {
    expect(groupedPhone('13812345678')).toBe('138 1234 5678');
  });
  it('leaves anything else as it was typed', () => {
    expect(groupedPhone('0571-8888888')).toBe('0571-8888888');
    expect(groupedPhone('1381234567')).toBe('1381234567');
  });
});
