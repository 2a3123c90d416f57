import { describe, expect, it } from 'vitest';
import type { Question } from '../../kiosk-config/catalogue-schema';
import { validateAnswer } from '../journey/validation';
import { createProposalTargets, proposedInput } from './proposals';

const label = { 'zh-CN': '问题', en: 'Question' };
const choice: Question = {
  id: 'insured-group',
  type: 'choice',
  required: true,
  label,
  options: [
    { value: 'ordinary', label: { 'zh-CN': '普通居民', en: 'Ordinary resident' } },
    { value: 'subsistence', label: { 'zh-CN': '低保对象', en: 'Minimum living allowance' } },
  ],
};
const groups = ['一组', '二组'];

describe('an officer’s proposed answer', () => {
  it('becomes the input the screen takes from its own keys', () => {
    expect(proposedInput(choice, '低保对象', groups)).toBe('subsistence');
    expect(proposedInput(choice, 'ordinary resident', groups)).toBe('ordinary');
    expect(proposedInput(choice, 'subsistence', groups)).toBe('subsistence');
    expect(proposedInput(choice, '别的', groups)).toBeNull();
    const yesNo: Question = { id: 'q', type: 'yes-no', required: true, label };
    expect(proposedInput(yesNo, '是', groups)).toBe(true);
    expect(proposedInput(yesNo, 'No', groups)).toBe(false);
    expect(proposedInput(yesNo, '也许', groups)).toBeNull();
    expect(proposedInput({ id: 'g', type: 'village-group', required: true, label }, '二组', groups)).toBe('二组');
    expect(proposedInput({ id: 'g', type: 'village-group', required: true, label }, '九组', groups)).toBeNull();
    const phone: Question = { id: 'p', type: 'phone', required: true, label };
    expect(proposedInput(phone, '138 0013-8000', groups)).toBe('13800138000');
    expect(proposedInput(phone, '一三八', groups)).toBeNull();
    const text: Question = { id: 't', type: 'text', required: true, label, maxLength: 20 };
    expect(proposedInput(text, '  王家湾  ', groups)).toBe('王家湾');
    expect(proposedInput(text, '   ', groups)).toBeNull();
  });

  it('is then checked exactly like typing: a wrong phone number is not taken', () => {
    const phone: Question = { id: 'p', type: 'phone', required: true, label };
    const input = proposedInput(phone, '1380013', groups);
    expect(input).toBe('1380013');
    expect(validateAnswer(phone, input as string, '2026-12-03', groups).ok).toBe(false);
  });

  it('reaches only a screen that shows that question, and only while it does', () => {
    const targets = createProposalTargets();
    const taken: string[] = [];
    const off = targets.register('answer:p', (value) => {
      taken.push(value);
      return true;
    });
    expect(targets.has('answer:p')).toBe(true);
    expect(targets.apply('answer:other', '1')).toBe(false);
    expect(targets.apply('answer:p', '13800138000')).toBe(true);
    off();
    expect(targets.apply('answer:p', '13900139000')).toBe(false);
    expect(taken).toEqual(['13800138000']);
  });
});
