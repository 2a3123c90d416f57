import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../kiosk-config/catalogue-schema';
import { formatDateDigits, isRealDate, luhnValid, validateAnswer } from './validation';

const label = { 'zh-CN': '问', en: 'Q' };
const today = '2026-11-24';

describe('answer validation', () => {
  it('checks bank card numbers by length and Luhn', () => {
    const q: Question = { id: 'b', type: 'bank-account', required: true, label };
    expect(validateAnswer(q, '6222020200112233445', today, [])).toMatchObject({
      ok: false,
      message: 'validation.bankCheck',
    });
    expect(validateAnswer(q, '4111111111111111', today, [])).toEqual({ ok: true, value: '4111111111111111' });
    expect(validateAnswer(q, '1234', today, [])).toMatchObject({ ok: false, message: 'validation.bankLength' });
  });

  it('property: changing one digit of a Luhn-valid number breaks the check', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{15,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const check = [...Array(10).keys()].find((c) => luhnValid(body + c)) ?? 0;
        const valid = body + check;
        const i = pos % valid.length;
        const changed = valid.slice(0, i) + ((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        return luhnValid(valid) && !luhnValid(changed);
      }),
    );
  });

  it('checks mobile numbers, numbers in range and dates', () => {
    expect(validateAnswer({ id: 'p', type: 'phone', required: true, label }, '13812345678', today, [])).toEqual({
      ok: true,
      value: '13812345678',
    });
    expect(validateAnswer({ id: 'p', type: 'phone', required: true, label }, '1381234567', today, [])).toMatchObject({
      ok: false,
      message: 'validation.phone',
    });
    const n: Question = { id: 'n', type: 'number', required: true, label, min: 1, max: 20, integer: true };
    expect(validateAnswer(n, '3', today, [])).toEqual({ ok: true, value: 3 });
    expect(validateAnswer(n, '2.5', today, [])).toMatchObject({ ok: false, message: 'validation.integer' });
    expect(validateAnswer(n, '21', today, [])).toMatchObject({
      ok: false,
      message: 'validation.range',
      vars: { min: 1, max: 20 },
    });
    const d: Question = { id: 'd', type: 'date', required: true, label, notAfterToday: true };
    expect(validateAnswer(d, '2026-02-30', today, [])).toMatchObject({ ok: false, message: 'validation.date' });
    expect(validateAnswer(d, '2026-12-01', today, [])).toMatchObject({ ok: false, message: 'validation.dateFuture' });
    expect(validateAnswer(d, '1944-03-08', today, [])).toEqual({ ok: true, value: '1944-03-08' });
  });

  it('requires required answers and accepts an empty optional one', () => {
    expect(
      validateAnswer({ id: 't', type: 'text', required: true, label, maxLength: 5 }, '  ', today, []),
    ).toMatchObject({
      ok: false,
      message: 'question.required',
    });
    expect(
      validateAnswer({ id: 't', type: 'text', required: false, label, maxLength: 5 }, undefined, today, []),
    ).toEqual({
      ok: true,
      value: '',
    });
    expect(
      validateAnswer({ id: 't', type: 'text', required: true, label, maxLength: 3 }, '柳溪村三组', today, []),
    ).toMatchObject({ ok: false, message: 'validation.tooLong' });
    expect(validateAnswer({ id: 'y', type: 'yes-no', required: true, label }, false, today, [])).toEqual({
      ok: true,
      value: false,
    });
  });

  it('formats keypad digits as a date', () => {
    expect(formatDateDigits('1944')).toBe('1944');
    expect(formatDateDigits('194403')).toBe('1944-03');
    expect(formatDateDigits('19440308')).toBe('1944-03-08');
    expect(isRealDate('2024-02-29')).toBe(true);
  });
});
