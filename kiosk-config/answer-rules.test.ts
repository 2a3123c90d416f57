import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAnswer, parsePhoneAnswer, phoneAnswerText, type PhoneAnswer } from './answer-rules';
import type { Question } from './catalogue-schema';

const label = { 'zh-CN': '问', en: 'Q' };
const today = '2026-11-24';
const phone = (waysOut: Array<'no-phone' | 'family-phone'>): Question => ({
  id: 'phone',
  type: 'phone',
  required: true,
  label,
  waysOut,
});

describe('phone answers', () => {
  it('accepts the resident’s own mobile, and a way out only where the catalogue allows it', () => {
    expect(checkAnswer(phone([]), '13912345678', today, null)).toEqual({ ok: true, value: '13912345678' });
    expect(checkAnswer(phone(['no-phone']), 'no-phone', today, null)).toEqual({ ok: true, value: 'no-phone' });
    expect(checkAnswer(phone(['family-phone']), 'no-phone', today, null)).toMatchObject({
      ok: false,
      problem: 'phone-way-out-not-allowed',
    });
    expect(checkAnswer(phone(['family-phone']), 'family:13712345678', today, null)).toEqual({
      ok: true,
      value: 'family:13712345678',
    });
    expect(checkAnswer(phone(['no-phone']), 'family:13712345678', today, null)).toMatchObject({
      ok: false,
      problem: 'phone-way-out-not-allowed',
    });
  });

  it('refuses what is not a mobile, whoever it belongs to', () => {
    for (const bad of ['1381234567', '10012345678', 'family:123', 'family:', 'none', ' 13912345678', 'nophone'])
      expect(checkAnswer(phone(['no-phone', 'family-phone']), bad, today, null), bad).toMatchObject({
        ok: false,
        problem: 'phone',
      });
    expect(checkAnswer(phone(['no-phone']), { digits: '13912345678' }, today, null)).toMatchObject({ ok: false });
  });

  it('property: a phone answer reads back as itself', () => {
    const answer: fc.Arbitrary<PhoneAnswer> = fc.oneof(
      fc.constant({ whose: 'none' as const }),
      fc.record({
        whose: fc.constantFrom('own' as const, 'family' as const),
        digits: fc.stringMatching(/^1[3-9]\d{9}$/),
      }),
    );
    fc.assert(
      fc.property(answer, (a) => {
        expect(parsePhoneAnswer(phoneAnswerText(a))).toEqual(a);
      }),
    );
  });

  it('property: parsing never throws and accepts only the three forms', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parsePhoneAnswer(text);
        return parsed === null || phoneAnswerText(parsed) === text;
      }),
    );
  });
});

describe('other answers the service side checks', () => {
  it('refuses a choice the question does not offer and a value of the wrong kind', () => {
    const choice: Question = {
      id: 'c',
      type: 'choice',
      required: true,
      label,
      options: [
        { value: 'aa', label },
        { value: 'bb', label },
      ],
    };
    expect(checkAnswer(choice, 'zz', today, null)).toMatchObject({ ok: false, problem: 'not-an-option' });
    expect(checkAnswer({ id: 'y', type: 'yes-no', required: true, label }, 'yes', today, null)).toMatchObject({
      ok: false,
    });
    expect(checkAnswer({ id: 't', type: 'text', required: true, label, maxLength: 5 }, 12, today, null)).toMatchObject({
      ok: false,
    });
  });
});

describe('village groups (村民小组)', () => {
  const group: Question = { id: 'g', type: 'village-group', required: true, label };
  const groups = ['一组', '二组', '三组'];

  it('takes only a group of the service point’s list on the terminal', () => {
    expect(checkAnswer(group, '三组', today, groups)).toEqual({ ok: true, value: '三组' });
    expect(checkAnswer(group, '柳溪村三组', today, groups)).toMatchObject({ ok: false, problem: 'not-an-option' });
    expect(checkAnswer(group, 3, today, groups)).toMatchObject({ ok: false, problem: 'not-an-option' });
    expect(checkAnswer(group, '', today, groups)).toMatchObject({ ok: false, problem: 'required' });
  });

  it('takes any short name where the list is not known (the platform serves many villages)', () => {
    expect(checkAnswer(group, '柳溪村三组', today, null)).toEqual({ ok: true, value: '柳溪村三组' });
    expect(checkAnswer(group, '组'.repeat(21), today, null)).toMatchObject({ ok: false, problem: 'not-an-option' });
  });
});

describe('certificate numbers', () => {
  const certificate: Question = {
    id: 'c',
    type: 'certificate-number',
    required: true,
    label,
    length: 20,
    xAt: 18,
  };
  it('takes digits of the right length, and an X only where the certificate has one', () => {
    expect(checkAnswer(certificate, '1101051949123100231X', today, null)).toMatchObject({ ok: false });
    expect(checkAnswer(certificate, '11010519491231002X11', today, null)).toEqual({
      ok: true,
      value: '11010519491231002X11',
    });
    expect(checkAnswer(certificate, '11010519491231002311', today, null)).toMatchObject({ ok: true });
    expect(checkAnswer(certificate, '1101051949123100231', today, null)).toMatchObject({
      ok: false,
      problem: 'certificate',
      vars: { length: 20 },
    });
    expect(checkAnswer(certificate, '11010519491231002x11', today, null)).toMatchObject({ ok: false });
  });
});
