import iconv from 'iconv-lite';

/**
 * How text reaches the paper. Printers in Chinese mode print ASCII (one column) and GB 2-byte
 * codes (two columns); anything else (4-byte GB18030 characters such as 𠮷, emoji) must be drawn
 * as a picture or replaced, because sending its bytes prints garbage.
 */
export type PrinterCharKind = 'ascii' | 'gbk' | 'raster';

export interface PrinterChar {
  readonly char: string;
  readonly kind: PrinterCharKind;
  /** Printer columns at normal size. */
  readonly columns: 1 | 2;
  /** The bytes to send for 'ascii'/'gbk'; empty for 'raster'. */
  readonly bytes: Uint8Array;
}

/** Printed in place of a character the printer cannot print and cannot draw (in GBK: A1 F5). */
export const SUBSTITUTE_CHAR = '□';

const cache = new Map<string, PrinterChar>();
const none = new Uint8Array(0);

function isPrivateUse(code: number): boolean {
  return (code >= 0xe000 && code <= 0xf8ff) || code >= 0xf0000;
}

export function classifyChar(char: string): PrinterChar {
  const cached = cache.get(char);
  if (cached !== undefined) return cached;
  const code = char.codePointAt(0) ?? 0;
  let result: PrinterChar;
  if (code >= 0x20 && code < 0x7f) {
    result = { char, kind: 'ascii', columns: 1, bytes: Uint8Array.of(code) };
  } else {
    const bytes = isPrivateUse(code) ? none : iconv.encode(char, 'gbk');
    // A real GB 2-byte code round-trips; iconv-lite writes '?' for what GBK lacks, and a single
    // byte >= 0x80 (0x80 = €) is a code page quirk most printers do not have.
    const b0 = bytes[0] ?? 0;
    const isGbk = bytes.length === 2 && b0 >= 0x81 && b0 <= 0xfe && iconv.decode(bytes, 'gbk') === char;
    result = isGbk
      ? { char, kind: 'gbk', columns: 2, bytes: Uint8Array.from(bytes) }
      : { char, kind: 'raster', columns: 2, bytes: none };
  }
  if (cache.size < 20_000) cache.set(char, result);
  return result;
}

/** Invisible format characters (zero-width spaces/joiners, BOM, variation selectors): no ink. */
function isInvisible(code: number): boolean {
  return (code >= 0x200b && code <= 0x200f) || code === 0x2060 || code === 0xfeff || (code >= 0xfe00 && code <= 0xfe0f);
}

/** Space characters GBK lacks, printed as an ASCII space rather than as a picture. */
function isOddSpace(code: number): boolean {
  return code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f;
}

/**
 * Makes any string printable text: `¥` becomes the full-width `￥` that GBK has, tabs and odd
 * spaces become a space, and control characters (which the printer would execute as commands),
 * invisible format characters and lone surrogates are dropped. Newlines are kept as line breaks.
 */
export function normaliseText(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n' || code === 0x2028 || code === 0x2029) out += '\n';
    else if (char === '\t' || isOddSpace(code)) out += ' ';
    else if (isInvisible(code)) continue;
    else if (char === '¥') out += '￥';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    else if (code >= 0xd800 && code <= 0xdfff)
      continue; // lone surrogate: no character at all
    else out += char;
  }
  return out;
}

export function textColumns(text: string): number {
  let n = 0;
  for (const char of text) n += classifyChar(char).columns;
  return n;
}

function isWordChar(char: string): boolean {
  return /^[A-Za-z0-9.,:;!?'"()\-_/@#%&*+=]$/.test(char);
}

/**
 * Breaks one line (no '\n') into printer lines of at most `columns` columns. CJK text breaks
 * anywhere; a run of ASCII word characters is moved to the next line whole when it fits there.
 */
function wrapOne(line: string, columns: number): string[] {
  const max = Math.max(2, columns); // a 2-column character must always fit somewhere
  const lines: string[] = [];
  let current: string[] = [];
  let used = 0;
  for (const char of line) {
    const width = classifyChar(char).columns;
    if (used + width > max) {
      let carry: string[] = [];
      if (isWordChar(char)) {
        // Move the partial word to the next line if the line has a space to break at.
        let i = current.length;
        while (i > 0 && isWordChar(current[i - 1] ?? '')) i--;
        if (i > 0 && current[i - 1] === ' ') {
          carry = current.slice(i);
          current = current.slice(0, i);
        }
      }
      lines.push(current.join('').trimEnd());
      current = carry;
      used = textColumns(carry.join(''));
      if (char === ' ' && current.length === 0) continue; // no leading space on a wrapped line
    }
    current.push(char);
    used += width;
  }
  lines.push(current.join('').trimEnd());
  return lines;
}

/** Wraps normalised text to `columns`; every returned line fits. */
export function wrapText(text: string, columns: number): string[] {
  return normaliseText(text)
    .split('\n')
    .flatMap((line) => wrapOne(line, columns));
}
