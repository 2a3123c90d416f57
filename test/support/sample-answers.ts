import { assertNever } from '../../foundation/result';
import type { Question } from '../../kiosk-config/catalogue-schema';

/**
 * What the sample resident answers to each kind of question: the e2e and soak drivers tap it in
 * (journey-driver.ts), the soak's API residents send it as the renderer would (test/soak/journeys.ts).
 * One table, so both halves of the soak fill in the same application.
 */
export function sampleAnswer(question: Question): string | number | boolean {
  switch (question.type) {
    case 'phone':
      return '13812345678';
    case 'number':
      return question.integer ? Math.max(1, question.min) : 2.5;
    case 'bank-account':
      return '6222021234567894';
    case 'certificate-number': {
      const digits = [...'11010519491231002311'.padEnd(question.length, '1').slice(0, question.length)];
      if (question.xAt !== undefined) digits[question.xAt - 1] = 'X';
      return digits.join('');
    }
    case 'date':
      return '1950-03-08';
    case 'choice':
      return question.options[0]?.value ?? '';
    case 'yes-no':
      return true;
    case 'village-group':
      // The third of the service point's groups (default-config.ts): the driver taps answer-group-2.
      return '三组';
    case 'text':
      // Typed in pinyin by the driver: cun → 村, 3, zu → 组.
      return '村3组';
    case 'address':
      // The driver keeps what the card filled in; through the API the renderer would send it.
      return '青石镇柳溪村三组';
    default:
      return assertNever(question);
  }
}
