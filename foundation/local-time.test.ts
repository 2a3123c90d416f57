import { describe, expect, it } from 'vitest';
import { localDateTime, localDay, localDayBounds, terminalTimeZone } from './local-time';

describe('local time', () => {
  it('turns the day at 16:00 UTC', () => {
    expect(localDay(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(localDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(localDateTime(new Date('2026-11-24T08:05:30Z'))).toBe('2026-11-24 16:05');
    expect(localDayBounds('2026-11-24')).toEqual(['2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z']);
  });

  it('agrees with the platform time zone database at every hour of a year', () => {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: terminalTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 3_600_000)
      expect(localDay(new Date(ms))).toBe(format.format(new Date(ms)));
  });
});
