import type { Question } from './catalogue-schema';

/**
 * What an answer to a catalogue question may be, checked the same way on the screen (to tell the
 * resident what to fix) and on the service side (which refuses what a page should never send).
 * Pure and browser-safe: the renderer words each problem, the service names it in its refusal.
 */
export type AnswerProblem =
  | 'required'
  | 'number'
  | 'integer'
  | 'range'
  | 'phone'
  | 'phone-way-out-not-allowed'
  | 'date'
  | 'date-future'
  | 'bank-length'
  | 'bank-check'
  | 'certificate'
  | 'too-long'
  | 'not-an-option';

export type AnswerCheck =
  | { ok: true; value: string | number | boolean }
  | { ok: false; problem: AnswerProblem; vars?: Record<string, string | number> };

/**
 * A phone answer: the resident's own mobile, a family member's (they pass the messages on), or none
 * at all. Stored as one string so it crosses the contract like every other answer: `13912345678`,
 * `family:13912345678`, `no-phone`.
 */
export type PhoneAnswer = { whose: 'own' | 'family'; digits: string } | { whose: 'none' };

const mobile = /^1[3-9]\d{9}$/;
const noPhone = 'no-phone';
const familyPrefix = 'family:';

export function phoneAnswerText(answer: PhoneAnswer): string {
  switch (answer.whose) {
    case 'own':
      return answer.digits;
    case 'family':
      return `${familyPrefix}${answer.digits}`;
    case 'none':
      return noPhone;
  }
}

/** Reads a stored phone answer; null when it is none of the three forms (or the digits are not a mobile). */
export function parsePhoneAnswer(text: string): PhoneAnswer | null {
  if (text === noPhone) return { whose: 'none' };
  const family = text.startsWith(familyPrefix);
  const digits = family ? text.slice(familyPrefix.length) : text;
  if (!mobile.test(digits)) return null;
  return { whose: family ? 'family' : 'own', digits };
}

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

/**
 * `today` is the terminal's local day, YYYY-MM-DD. `villageGroups` is the service point's list of
 * village groups (config `servicePoint.villageGroups`): a group answer must be one of them. null
 * where the list is not known (the platform, which serves many villages): any short name.
 */
export function checkAnswer(
  question: Question,
  raw: unknown,
  today: string,
  villageGroups: readonly string[] | null,
): AnswerCheck {
  if (raw === undefined || raw === '') {
    return question.required ? { ok: false, problem: 'required' } : { ok: true, value: '' };
  }
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
    return { ok: false, problem: 'required' };
  switch (question.type) {
    case 'yes-no':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, problem: 'required' };
    case 'choice':
      return question.options.some((o) => o.value === raw)
        ? { ok: true, value: String(raw) }
        : { ok: false, problem: 'not-an-option' };
    case 'number': {
      const text = String(raw);
      if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, problem: 'number' };
      const value = Number(text);
      if (question.integer && !Number.isInteger(value)) return { ok: false, problem: 'integer' };
      if (value < question.min || value > question.max)
        return { ok: false, problem: 'range', vars: { min: question.min, max: question.max } };
      return { ok: true, value };
    }
    case 'phone': {
      const answer = parsePhoneAnswer(String(raw));
      if (answer === null) return { ok: false, problem: 'phone' };
      const wayOut = answer.whose === 'none' ? 'no-phone' : answer.whose === 'family' ? 'family-phone' : null;
      if (wayOut !== null && !(question.waysOut ?? []).includes(wayOut))
        return { ok: false, problem: 'phone-way-out-not-allowed' };
      return { ok: true, value: phoneAnswerText(answer) };
    }
    case 'date': {
      const text = String(raw);
      if (!isRealDate(text)) return { ok: false, problem: 'date' };
      if (question.notAfterToday && text > today) return { ok: false, problem: 'date-future' };
      return { ok: true, value: text };
    }
    case 'bank-account': {
      const text = String(raw);
      if (!/^\d{12,19}$/.test(text)) return { ok: false, problem: 'bank-length' };
      return luhnValid(text) ? { ok: true, value: text } : { ok: false, problem: 'bank-check' };
    }
    case 'certificate-number': {
      const text = String(raw);
      const fits =
        text.length === question.length &&
        [...text].every((c, i) => /\d/.test(c) || (c === 'X' && question.xAt === i + 1));
      return fits
        ? { ok: true, value: text }
        : { ok: false, problem: 'certificate', vars: { length: question.length } };
    }
    case 'village-group': {
      const text = String(raw);
      if (villageGroups !== null)
        return villageGroups.includes(text) ? { ok: true, value: text } : { ok: false, problem: 'not-an-option' };
      return [...text].length <= villageGroupAnswerMaxLength
        ? { ok: true, value: text }
        : { ok: false, problem: 'not-an-option' };
    }
    case 'text':
    case 'address': {
      if (typeof raw !== 'string') return { ok: false, problem: 'required' };
      const text = raw.trim();
      if (text === '') return question.required ? { ok: false, problem: 'required' } : { ok: true, value: '' };
      const max = question.type === 'text' ? question.maxLength : addressMaxLength;
      return [...text].length <= max ? { ok: true, value: text } : { ok: false, problem: 'too-long', vars: { max } };
    }
  }
}

export const addressMaxLength = 120;
/** A group's name as any terminal may send it (config-schema.ts limits a site's names to fewer). */
const villageGroupAnswerMaxLength = 20;
