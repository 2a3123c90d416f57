import { describe, expect, it } from 'vitest';
import { a4PrinterStateSchema, a4WarningSchema } from '../../electron/api/document-contract';
import { translator } from '../i18n/i18n';
import { a4StateWords, a4StatusLine, a4TodoWords } from './a4-printer-words';

const zh = translator('zh-CN');
const en = translator('en');

describe('A4 printer words', () => {
  it('name each IPP condition in plain Chinese, with what to do', () => {
    expect(a4StatusLine({ state: 'media-empty', warnings: [] }, zh)).toBe('缺纸 · 请放入 A4 纸。');
    expect(a4StatusLine({ state: 'media-jam', warnings: [] }, zh)).toContain('卡纸');
    expect(a4StatusLine({ state: 'door-open', warnings: [] }, zh)).toContain('门开着');
    expect(a4StatusLine({ state: 'offline', warnings: [] }, zh)).toContain('连不上打印机');
    expect(a4StatusLine({ state: 'ready', warnings: ['toner-low'] }, zh)).toBe('正常，可以打印 · 墨粉不多了');
    expect(a4StatusLine({ state: 'ready', warnings: [] }, zh)).toBe('正常，可以打印');
    expect(a4StatusLine({ state: 'not-configured', warnings: [] }, zh)).toBe('没有设置');
  });

  it('have words for every state and warning of the contract, in both languages', () => {
    for (const t of [zh, en]) {
      for (const state of a4PrinterStateSchema.options) {
        expect(a4StateWords(state, t)).not.toContain('staff.');
        expect(a4TodoWords(state, t) ?? '').not.toContain('staff.');
      }
      for (const warning of a4WarningSchema.options) {
        expect(a4StatusLine({ state: 'busy', warnings: [warning] }, t)).not.toContain('staff.');
      }
    }
  });
});
