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

  it('say things to residents in plain words, one term per thing (issue 12)', () => {
    // Office words an elderly farmer does not use, and the plain word the screens use instead.
    const plain: Record<string, string> = {
      配偶: '老伴',
      申请人: '要办事的人',
      代办人: '帮着办的人',
      感应区: '读卡区',
      刷卡区: '读卡区',
    };
    // Staff and technicians' screens may use the office words: it is their trade.
    const residents = Object.entries(zhMessages).filter(([key]) => !/^(staff|tech)\./.test(key));
    for (const [key, text] of residents)
      for (const [word, instead] of Object.entries(plain)) expect(text, `${key}: say ${instead}`).not.toContain(word);
  });

  it('fills placeholders', () => {
    expect(translator('zh-CN')('timeout.body', { seconds: 25 })).toContain('25 秒');
    expect(translator('en')('idle.canDoMany', { count: 8 })).toBe('8 services here, most used:');
  });
});
