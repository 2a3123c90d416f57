import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyChar, normaliseText, textColumns, wrapText } from './printer-text';

describe('printer text', () => {
  it('classifies ASCII, GBK and characters only GB18030/Unicode have', () => {
    expect(classifyChar('a')).toMatchObject({ kind: 'ascii', columns: 1 });
    expect(classifyChar('打')).toMatchObject({ kind: 'gbk', columns: 2 });
    expect([...classifyChar('打').bytes]).toEqual([0xb4, 0xf2]);
    expect(classifyChar('𠮷').kind).toBe('raster');
    expect(classifyChar('😀').kind).toBe('raster');
    expect(classifyChar('€').kind).toBe('raster'); // cp936's single byte 0x80, not a GB 2-byte code
    expect(classifyChar('\ue000').kind).toBe('raster'); // private use: no printer glyph
  });

  it('normalises ¥, tabs, CRLF and removes control characters', () => {
    expect(normaliseText('¥1\t2\r\n3\u00074\u009b')).toBe('￥1 2\n34');
    expect(normaliseText('a\u00a0b\u200bc\ufeff❤\ufe0f\u2028d')).toBe('a bc❤\nd');
  });

  it('breaks between words when an ASCII word would be split', () => {
    expect(wrapText('hello wonderful world', 12)).toEqual(['hello', 'wonderful', 'world']);
  });

  it('breaks CJK anywhere and keeps a line that is exactly full', () => {
    expect(wrapText('申报回执申报回执', 8)).toEqual(['申报回执', '申报回执']);
    expect(wrapText('a申报', 4)).toEqual(['a申', '报']);
  });

  it('keeps empty lines from newlines', () => {
    expect(wrapText('a\n\nb', 32)).toEqual(['a', '', 'b']);
  });

  it('property: no wrapped line exceeds the columns, and no printable character is lost', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite', maxLength: 120 }),
        fc.integer({ min: 2, max: 48 }),
        (text, columns) => {
          const lines = wrapText(text, columns);
          for (const line of lines) expect(textColumns(line)).toBeLessThanOrEqual(columns);
          const strip = (s: string) => s.replace(/[\s]/g, '');
          expect(strip(lines.join(''))).toBe(strip(normaliseText(text).replace(/\n/g, '')));
        },
      ),
      { numRuns: 500 },
    );
  });
});
