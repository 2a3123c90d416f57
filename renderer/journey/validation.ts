import type { Question } from '../../kiosk-config/catalogue-schema';
import type { MessageKey } from '../i18n/messages-zh';

/**
 * Checks an answer the way a helpful clerk would: it says in words what to fix. Pure, so the same
 * rules run in tests; the platform checks again on its side.
 */
export type Validation =
  | { ok: true; value: string | number | boolean }
  | { ok: false; message: MessageKey; vars?: Record<string, string | number> };

/** The Luhn check used by UnionPay bank and social security card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function validateAnswer(question: Question, raw: string | boolean | undefined, today: string): Validation {
  if (raw === undefined || raw === '') {
    return question.required ? { ok: false, message: 'question.required' } : { ok: true, value: '' };
  }
  switch (question.type) {
    case 'yes-no':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, message: 'question.required' };
    case 'choice':
      return question.options.some((o) => o.value === raw)
        ? { ok: true, value: String(raw) }
        : { ok: false, message: 'question.required' };
    case 'number': {
      const text = String(raw);
      if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: 'validation.number' };
      const value = Number(text);
      if (question.integer && !Number.isInteger(value)) return { ok: false, message: 'validation.integer' };
      if (value < question.min || value > question.max)
        return { ok: false, message: 'validation.range', vars: { min: question.min, max: question.max } };
      return { ok: true, value };
    }
    case 'phone': {
      const text = String(raw);
      return /^1[3-9]\d{9}$/.test(text) ? { ok: true, value: text } : { ok: false, message: 'validation.phone' };
    }
    case 'date': {
      const text = String(raw);
      if (!isRealDate(text)) return { ok: false, message: 'validation.date' };
      if (question.notAfterToday && text > today) return { ok: false, message: 'validation.dateFuture' };
      return { ok: true, value: text };
    }
    case 'bank-account': {
      const text = String(raw);
      if (!/^\d{12,19}$/.test(text)) return { ok: false, message: 'validation.bankLength' };
      return luhnValid(text) ? { ok: true, value: text } : { ok: false, message: 'validation.bankCheck' };
    }
    case 'text':
    case 'address': {
      const text = String(raw).trim();
      if (text === '') return question.required ? { ok: false, message: 'question.required' } : { ok: true, value: '' };
      const max = question.type === 'text' ? question.maxLength : 120;
      return [...text].length <= max
        ? { ok: true, value: text }
        : { ok: false, message: 'validation.tooLong', vars: { max } };
    }
  }
}

/** `2026-11-24` → `2026-11-24`; keypad digits `20261124` → `2026-11-24`. */
export function formatDateDigits(digits: string): string {
  const d = digits.replace(/\D/g, '').slice(0, 8);
  if (d.length <= 4) return d;
  if (d.length <= 6) return `${d.slice(0, 4)}-${d.slice(4)}`;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}
