import { describe, expect, it } from 'vitest';
import { enMessages } from './messages-en';
import { zhMessages } from './messages-zh';
import { translator } from './i18n';

describe('message catalogues', () => {
  it('have the same keys in every language and no empty text', () => {
    expect(Object.keys(enMessages).sort()).toEqual(Object.keys(zhMessages).sort());
    for (const text of [...Object.values(enMessages), ...Object.values(zhMessages)]) expect(text.trim()).not.toBe('');
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhMessages) as Array<keyof typeof zhMessages>) {
      expect(placeholders(enMessages[key]), key).toEqual(placeholders(zhMessages[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translator('zh-CN')('timeout.body', { seconds: 25 })).toContain('25 秒');
    expect(translator('en')('idle.canDoMany', { count: 8 })).toBe('8 services here, most used:');
  });
});
