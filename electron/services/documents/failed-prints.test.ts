import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLog, type RecordedLine } from '../../../foundation/log';
import { createFailedPrints, type FailedPrint } from './failed-prints';

const print = (n: number): FailedPrint => ({
  documentNumber: `ZM2026120300000${String(n).padStart(3, '0')}`,
  type: 'social-insurance-contributions',
  pages: 2,
  pdf: Buffer.from(`%PDF- 李𠮷 ${n}`),
  state: 'media-empty',
});

describe('failed prints held for staff', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-03T02:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists what and when, never the PDF; drops it after the hold time even if nobody looks', () => {
    const lines: RecordedLine[] = [];
    const held = createFailedPrints({ log: recordingLog(lines), holdMs: 60_000 });
    held.hold(print(1));
    expect(held.list()).toEqual([
      {
        documentNumber: print(1).documentNumber,
        type: 'social-insurance-contributions',
        pages: 2,
        failedAt: '2026-12-03T02:00:00.000Z',
        expiresAt: '2026-12-03T02:01:00.000Z',
        state: 'media-empty',
      },
    ]);
    expect(JSON.stringify(held.list())).not.toContain('李');
    vi.advanceTimersByTime(59_999);
    expect(held.get(print(1).documentNumber)?.pdf).toEqual(print(1).pdf);
    vi.advanceTimersByTime(1);
    expect(held.get(print(1).documentNumber)).toBeUndefined();
    expect(held.list()).toEqual([]);
    expect(JSON.stringify(lines)).toContain('"why":"expired"');
    expect(JSON.stringify(lines)).not.toContain('李');
  });

  it('a reprint drops it; held again (a failed reprint) it keeps one entry; close drops all', () => {
    const held = createFailedPrints({ log: recordingLog() });
    held.hold(print(1));
    held.hold(print(2));
    vi.advanceTimersByTime(60_000);
    held.hold({ ...print(2), state: 'media-jam' });
    expect(held.list().map((p) => [p.documentNumber, p.state])).toEqual([
      [print(1).documentNumber, 'media-empty'],
      [print(2).documentNumber, 'media-jam'],
    ]);
    expect(held.list()[1]?.failedAt).toBe('2026-12-03T02:00:00.000Z');
    held.drop(print(1).documentNumber, 'reprinted');
    expect(held.list()).toHaveLength(1);
    held.clear();
    expect(held.list()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reprint that fails after the hold ran out does not hold the PDF again', () => {
    const held = createFailedPrints({ log: recordingLog(), holdMs: 60_000 });
    held.hold(print(1));
    vi.advanceTimersByTime(30_000);
    held.restate(print(1).documentNumber, 'media-jam');
    expect(held.list().map((p) => [p.state, p.expiresAt])).toEqual([['media-jam', '2026-12-03T02:01:00.000Z']]);
    vi.advanceTimersByTime(30_000);
    held.restate(print(1).documentNumber, 'media-empty');
    expect(held.get(print(1).documentNumber)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds a bounded number: a printer failing all day cannot fill memory', () => {
    const held = createFailedPrints({ log: recordingLog() });
    for (let n = 1; n <= 25; n++) held.hold(print(n));
    const numbers = held.list().map((p) => p.documentNumber);
    expect(numbers).toHaveLength(20);
    expect(numbers[0]).toBe(print(6).documentNumber);
  });
});
