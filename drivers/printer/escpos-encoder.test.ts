import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { EscPos, EscPosEncoder, RASTER_BAND_ROWS } from './escpos-encoder';
import { emptyMono, monoSet } from './mono-bitmap';
import { CELL_HEIGHT } from './printer-font';
import { PROFILE_58MM, PROFILE_80MM, withCapabilities } from './printer-profiles';
import { classifyChar } from './printer-text';

// GS v 0, 48 bytes (384 dots) per row, 24 rows: one text line drawn as raster on 58 mm paper.
const BAND_HEADER_58MM = Buffer.from('1D76300030001800', 'hex');
const countOf = (haystack: Buffer, needle: Buffer): number => {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
};
// Any code point, lone surrogates included. Not fast-check's unit 'binary': its first use builds a
// reverse map of all 1.1 million code points (5 s on a loaded machine) so it can shrink by value.
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((codePoint) => String.fromCodePoint(codePoint));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim().toUpperCase();

describe('ESC/POS commands, byte for byte (docs/devices/receipt-printer.md)', () => {
  it.each([
    ['initialise', EscPos.initialise(), '1B 40'],
    ['Chinese mode on', EscPos.chineseModeOn(), '1C 26'],
    ['Chinese mode off', EscPos.chineseModeOff(), '1C 2E'],
    ['align left', EscPos.align('left'), '1B 61 00'],
    ['align centre', EscPos.align('center'), '1B 61 01'],
    ['align right', EscPos.align('right'), '1B 61 02'],
    ['bold on', EscPos.bold(true), '1B 45 01'],
    ['bold off', EscPos.bold(false), '1B 45 00'],
    ['size 1×1', EscPos.characterSize(1, 1), '1D 21 00'],
    ['size double width', EscPos.characterSize(2, 1), '1D 21 10'],
    ['size double height', EscPos.characterSize(1, 2), '1D 21 01'],
    ['size double', EscPos.characterSize(2, 2), '1D 21 11'],
    ['size 8×8', EscPos.characterSize(8, 8), '1D 21 77'],
    ['Chinese style plain', EscPos.chineseStyle({}), '1C 21 00'],
    ['Chinese style double width', EscPos.chineseStyle({ doubleWidth: true }), '1C 21 04'],
    ['Chinese style double height', EscPos.chineseStyle({ doubleHeight: true }), '1C 21 08'],
    ['Chinese style all', EscPos.chineseStyle({ doubleWidth: true, doubleHeight: true, underline: true }), '1C 21 8C'],
    ['QR model 2', EscPos.qrModel2(), '1D 28 6B 04 00 31 41 32 00'],
    ['QR module size 6', EscPos.qrModuleSize(6), '1D 28 6B 03 00 31 43 06'],
    ['QR error L', EscPos.qrErrorLevel('L'), '1D 28 6B 03 00 31 45 30'],
    ['QR error H', EscPos.qrErrorLevel('H'), '1D 28 6B 03 00 31 45 33'],
    ['QR store "AB"', EscPos.qrStore('AB'), '1D 28 6B 05 00 31 50 30 41 42'],
    ['QR store "回执" (6 UTF-8 bytes)', EscPos.qrStore('回执'), '1D 28 6B 09 00 31 50 30 E5 9B 9E E6 89 A7'],
    ['QR print', EscPos.qrPrint(), '1D 28 6B 03 00 31 51 30'],
    ['barcode height 80', EscPos.barcodeHeight(80), '1D 68 50'],
    ['barcode module width 2', EscPos.barcodeModuleWidth(2), '1D 77 02'],
    ['Code 128 "A1"', EscPos.code128('A1'), '1D 6B 49 04 7B 42 41 31'],
    ['Code 128 "a{b" escapes the brace', EscPos.code128('a{b'), '1D 6B 49 06 7B 42 61 7B 7B 62'],
    ['feed 3 lines', EscPos.feedLines(3), '1B 64 03'],
    ['partial cut after 90 dots', EscPos.partialCut(90), '1D 56 42 5A'],
    ['status request n=4', EscPos.statusRequest(4), '10 04 04'],
    ['automatic status back all', EscPos.automaticStatusBack(0x0f), '1D 61 0F'],
  ])('%s', (_name, bytes, expected) => {
    expect(hex(bytes)).toBe(expected);
  });

  it('QR store of a payload over 255 bytes splits the length into pL/pH', () => {
    const bytes = EscPos.qrStore('x'.repeat(300));
    expect(hex(bytes.subarray(0, 8))).toBe('1D 28 6B 2F 01 31 50 30'); // 303 = 0x012F
    expect(bytes.length).toBe(8 + 300);
  });

  it('raster: GS v 0 with bytes-per-row and rows, then the dots (MSB = leftmost)', () => {
    const image = emptyMono(10, 2); // 2 bytes per row
    monoSet(image, 0, 0);
    monoSet(image, 9, 1);
    expect(hex(EscPos.raster(image))).toBe('1D 76 30 00 02 00 02 00 80 00 00 40');
  });

  it('rejects out-of-range arguments instead of sending wrong bytes', () => {
    expect(() => EscPos.qrModuleSize(17)).toThrow(RangeError);
    expect(() => EscPos.code128('数据')).toThrow(RangeError);
    expect(() => EscPos.qrStore('x'.repeat(3000))).toThrow(RangeError);
  });
});

describe('EscPosEncoder', () => {
  it('initialises in Chinese mode and sends Chinese text as GBK with LF', () => {
    const bytes = new EscPosEncoder(PROFILE_58MM).initialise().text('打印测试 OK').encode();
    expect(hex(bytes)).toBe('1B 40 1C 26 B4 F2 D3 A1 B2 E2 CA D4 20 4F 4B 0A');
  });

  it('maps ¥ to the GBK full-width ￥ (A3 A4) and drops control characters', () => {
    const bytes = new EscPosEncoder(PROFILE_58MM).text('¥5\u0007\u001b@').encode();
    expect(hex(bytes)).toBe('A3 A4 35 40 0A');
  });

  it('wraps CJK at two columns each: 17 characters on 32 columns make 16 + 1', () => {
    const bytes = new EscPosEncoder(PROFILE_58MM).text('一'.repeat(17)).encode();
    const lines = Buffer.from(bytes).toString('latin1').split('\n');
    expect(lines.map((l) => l.length)).toEqual([32, 2, 0]);
  });

  it('halves the columns at double width and sends both GS ! and FS !', () => {
    const enc = new EscPosEncoder(PROFILE_80MM).size('double');
    expect(enc.columns).toBe(24);
    expect(hex(enc.encode())).toBe('1D 21 11 1C 21 0C');
  });

  it('sends a line with a character outside GBK (𠮷) as a full-width raster picture of the line', () => {
    const enc = new EscPosEncoder(PROFILE_58MM).text('吉田𠮷');
    const bytes = enc.encode();
    // 384 dots = 48 bytes per row, 24 rows, no text bytes for that line.
    expect(hex(bytes.subarray(0, 8))).toBe('1D 76 30 00 30 00 18 00');
    expect(bytes.length).toBe(8 + 48 * 24);
    expect(bytes.subarray(8).some((b) => b !== 0)).toBe(true);
    expect(enc.fallbacks.rasterLines).toBe(1);
  });

  it('on a printer without raster prints □ (A1 F5) for the character and warns without the text', () => {
    const log = recordingLog();
    const enc = new EscPosEncoder(withCapabilities(PROFILE_58MM, { raster: false }), { log }).text('王😀');
    expect(hex(enc.encode())).toBe('CD F5 A1 F5 0A');
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.level).toBe('warn');
    expect(JSON.stringify(log.lines)).not.toContain('王');
  });

  it('sends tall images in bands of at most 256 rows', () => {
    const image = emptyMono(8, RASTER_BAND_ROWS + 10);
    const bytes = new EscPosEncoder(PROFILE_58MM).raster(image).encode();
    expect(hex(bytes.subarray(0, 8))).toBe('1D 76 30 00 01 00 00 01');
    expect(hex(bytes.subarray(8 + 256, 8 + 256 + 8))).toBe('1D 76 30 00 01 00 0A 00');
  });

  it('crops an image wider than the paper to the paper width', () => {
    const image = emptyMono(400, 1);
    monoSet(image, 399, 0);
    const bytes = new EscPosEncoder(PROFILE_58MM).raster(image).encode();
    expect(hex(bytes.subarray(0, 8))).toBe('1D 76 30 00 30 00 01 00');
    expect(bytes.length).toBe(8 + 48);
  });

  it('thresholds a greyscale bitmap: dark pixels print', () => {
    const grey = { width: 8, height: 1, channels: 1 as const, data: Uint8Array.of(0, 255, 100, 200, 0, 0, 255, 127) };
    expect(hex(new EscPosEncoder(PROFILE_58MM).image(grey).encode().subarray(8))).toBe('AD');
  });

  it('thresholds RGBA with transparency as white paper', () => {
    const rgba = { width: 2, height: 1, channels: 4 as const, data: Uint8Array.of(0, 0, 0, 255, 0, 0, 0, 0) };
    expect(hex(new EscPosEncoder(PROFILE_58MM).image(rgba).encode().subarray(8))).toBe('80');
  });

  it('QR: model, size, level, store, print in that order', () => {
    const bytes = new EscPosEncoder(PROFILE_58MM).qr('X', { moduleSize: 4, errorLevel: 'Q' }).encode();
    expect(hex(bytes)).toBe(
      '1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 04 1D 28 6B 03 00 31 45 32 1D 28 6B 04 00 31 50 30 58 1D 28 6B 03 00 31 51 30',
    );
  });

  it('cut feeds three lines of dots then cuts; without a cutter it only feeds', () => {
    expect(hex(new EscPosEncoder(PROFILE_58MM).cut().encode())).toBe('1D 56 42 5A');
    expect(hex(new EscPosEncoder(withCapabilities(PROFILE_58MM, { cutter: false })).cut().encode())).toBe('1B 64 04');
  });
});

describe('encoder properties', () => {
  const rasterless = withCapabilities(PROFILE_58MM, { raster: false });

  it('any text never throws and never emits a control byte except LF', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 60 }), (text) => {
        const bytes = new EscPosEncoder(rasterless).text(text).encode();
        for (const b of bytes) expect(b === 0x0a || b >= 0x20).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  // The real font engine takes ~300 ms per rare character (skia's system-font fallback), so the
  // property runs on a stand-in; the real rasteriser is exercised by the examples below.
  it('any full-Unicode text encodes, each line with a character outside GBK sent as one raster band', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCodePoint, maxLength: 80 }), (text) => {
        const drawn: string[] = [];
        const enc = new EscPosEncoder(PROFILE_58MM, {
          rasterizeLine: (line, dots, _columnDots, style) => {
            drawn.push(line);
            return emptyMono(dots, CELL_HEIGHT * style.heightScale);
          },
        }).text(text);
        const bytes = enc.encode();
        for (const line of drawn) expect([...line].some((c) => classifyChar(c).kind === 'raster')).toBe(true);
        expect(enc.fallbacks.rasterLines).toBe(drawn.length);
        expect(countOf(Buffer.from(bytes), BAND_HEADER_58MM)).toBe(drawn.length);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an emoji', '😀'],
    ['Latin beside a rare character', 'Wang 𪚥'],
    ['a combining mark on a rare character', '𠮷\u0301'],
    ['a control character beside a rare one', '\u0007𠮷'],
  ])('the real rasteriser draws a line with %s as one band', (_name, text) => {
    const enc = new EscPosEncoder(PROFILE_58MM).text(text);
    const bytes = enc.encode();
    expect(hex(bytes.subarray(0, 8))).toBe('1D 76 30 00 30 00 18 00');
    expect(bytes.length).toBe(8 + 48 * 24);
    expect(enc.fallbacks.rasterLines).toBe(1);
  });

  it('QR store length fields always equal the UTF-8 payload length + 3', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCodePoint, minLength: 1, maxLength: 700 }), (payload) => {
        const bytes = EscPos.qrStore(payload);
        const dataLength = Buffer.byteLength(payload, 'utf8');
        expect((bytes[3] ?? 0) + (bytes[4] ?? 0) * 256).toBe(dataLength + 3);
        expect(bytes.length).toBe(8 + dataLength);
      }),
    );
  });
});
