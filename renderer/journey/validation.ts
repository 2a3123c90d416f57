import { checkAnswer, type AnswerProblem } from '../../kiosk-config/answer-rules';
import type { Question } from '../../kiosk-config/catalogue-schema';
import type { MessageKey } from '../i18n/messages-zh';

export { isRealDate, luhnValid } from '../../kiosk-config/answer-rules';

/**
 * Checks an answer the way a helpful clerk would: it says in words what to fix. The rules are the
 * catalogue's (kiosk-config/answer-rules.ts), the same ones the service side applies on submission.
 */
export type Validation =
  | { ok: true; value: string | number | boolean }
  | { ok: false; message: MessageKey; vars?: Record<string, string | number> };

const problemMessage: Record<AnswerProblem, MessageKey> = {
  required: 'question.required',
  'not-an-option': 'question.required',
  number: 'validation.number',
  integer: 'validation.integer',
  range: 'validation.range',
  phone: 'validation.phone',
  'phone-way-out-not-allowed': 'validation.phone',
  date: 'validation.date',
  'date-future': 'validation.dateFuture',
  'bank-length': 'validation.bankLength',
  'bank-check': 'validation.bankCheck',
  certificate: 'validation.certificate',
  'too-long': 'validation.tooLong',
};

export function validateAnswer(
  question: Question,
  raw: string | boolean | undefined,
  today: string,
  villageGroups: readonly string[],
): Validation {
  const checked = checkAnswer(question, raw, today, villageGroups);
  if (checked.ok) return checked;
  return {
    ok: false,
    message: problemMessage[checked.problem],
    ...(checked.vars === undefined ? {} : { vars: checked.vars }),
  };
}

/** `2026-11-24` → `2026-11-24`; keypad digits `20261124` → `2026-11-24`. */
export function formatDateDigits(digits: string): string {
  const d = digits.replace(/\D/g, '').slice(0, 8);
  if (d.length <= 4) return d;
  if (d.length <= 6) return `${d.slice(0, 4)}-${d.slice(4)}`;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}
