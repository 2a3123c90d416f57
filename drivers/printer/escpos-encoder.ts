import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { monoRows, toMono, type Bitmap, type MonoBitmap } from './mono-bitmap';
import { rasterizeLine, type LineRasterizer, type LineStyle } from './printer-font';
import type { PrinterProfile } from './printer-profiles';
import { SUBSTITUTE_CHAR, classifyChar, wrapText } from './printer-text';

/**
 * ESC/POS commands as bytes (docs/devices/receipt-printer.md), one function per command so each is tested byte for
 * byte, and an encoder that strings them together with text in GBK. Written here because no npm
 * encoder handles Chinese mode, GBK column width and status together.
 */
export type Align = 'left' | 'center' | 'right';
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

/** The largest QR payload (byte mode, level L, version 40). */
export const QR_MAX_BYTES = 2953;
/** Rows per GS v 0 band: printers have small receive buffers, so tall pictures go in slices. */
export const RASTER_BAND_ROWS = 256;

const utf8 = new TextEncoder();

function byte(n: number, what: string, min = 0, max = 255): number {
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${what} must be an integer ${min}..${max}, got ${n}`);
  return n;
}

export const EscPos = {
  initialise: () => Uint8Array.of(0x1b, 0x40),
  chineseModeOn: () => Uint8Array.of(0x1c, 0x26),
  chineseModeOff: () => Uint8Array.of(0x1c, 0x2e),
  align: (align: Align) => Uint8Array.of(0x1b, 0x61, align === 'left' ? 0 : align === 'center' ? 1 : 2),
  bold: (on: boolean) => Uint8Array.of(0x1b, 0x45, on ? 1 : 0),
  /** GS ! n: bits 0–2 height−1, bits 4–6 width−1 (ASCII and, on most printers, CJK). */
  characterSize: (width: number, height: number) =>
    Uint8Array.of(0x1d, 0x21, ((byte(width, 'width', 1, 8) - 1) << 4) | (byte(height, 'height', 1, 8) - 1)),
  /** FS ! n: the Chinese-mode style (bit 2 double width, bit 3 double height, bit 7 underline). */
  chineseStyle: (style: { doubleWidth?: boolean; doubleHeight?: boolean; underline?: boolean }) =>
    Uint8Array.of(
      0x1c,
      0x21,
      (style.doubleWidth === true ? 0x04 : 0) |
        (style.doubleHeight === true ? 0x08 : 0) |
        (style.underline === true ? 0x80 : 0),
    ),
  lineFeed: () => Uint8Array.of(0x0a),
  /** ESC d n: print and feed n lines. */
  feedLines: (lines: number) => Uint8Array.of(0x1b, 0x64, byte(lines, 'lines')),
  /** GS V 66 n: feed n dots (to the cutter) and cut partially. */
  partialCut: (feed = 0) => Uint8Array.of(0x1d, 0x56, 0x42, byte(feed, 'feed')),
  qrModel2: () => Uint8Array.of(0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00),
  qrModuleSize: (size: number) =>
    Uint8Array.of(0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, byte(size, 'QR module size', 1, 16)),
  qrErrorLevel: (level: QrErrorLevel) =>
    Uint8Array.of(0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x30 + 'LMQH'.indexOf(level)),
  /** GS ( k store: pL + pH·256 = payload bytes (UTF-8) + 3. */
  qrStore: (payload: string) => {
    const data = utf8.encode(payload);
    if (data.length > QR_MAX_BYTES)
      throw new RangeError(`QR payload is ${data.length} bytes, at most ${QR_MAX_BYTES} fit`);
    const n = data.length + 3;
    return concat([Uint8Array.of(0x1d, 0x28, 0x6b, n & 0xff, n >> 8, 0x31, 0x50, 0x30), data]);
  },
  qrPrint: () => Uint8Array.of(0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30),
  barcodeHeight: (dots: number) => Uint8Array.of(0x1d, 0x68, byte(dots, 'barcode height', 1, 255)),
  /** GS w n: module (narrowest bar) width in dots. */
  barcodeModuleWidth: (dots: number) => Uint8Array.of(0x1d, 0x77, byte(dots, 'barcode module width', 1, 6)),
  /** GS k 73 n {B data: Code 128 in code set B; a literal '{' is sent as '{{'. */
  code128: (data: string) => {
    const bytes = code128Data(data);
    return concat([
      Uint8Array.of(0x1d, 0x6b, 0x49, byte(bytes.length + 2, 'Code 128 length', 3, 255), 0x7b, 0x42),
      bytes,
    ]);
  },
  /** GS v 0 m=0: one raster band, x in bytes per row. */
  raster: (image: MonoBitmap) =>
    concat([
      Uint8Array.of(
        0x1d,
        0x76,
        0x30,
        0x00,
        image.widthBytes & 0xff,
        image.widthBytes >> 8,
        image.height & 0xff,
        image.height >> 8,
      ),
      image.bits,
    ]),
  /** DLE EOT n: real-time status request. */
  statusRequest: (n: 1 | 2 | 3 | 4) => Uint8Array.of(0x10, 0x04, n),
  /** GS a n: automatic status back (n = bits for drawer, online, error, paper). */
  automaticStatusBack: (n: number) => Uint8Array.of(0x1d, 0x61, byte(n, 'ASB flags')),
} as const;

/** Code 128 set B accepts printable ASCII; returns the escaped bytes or throws for anything else. */
export function code128Data(data: string): Uint8Array {
  const out: number[] = [];
  for (const char of data) {
    const code = char.charCodeAt(0);
    if (char.length !== 1 || code < 0x20 || code > 0x7e)
      throw new RangeError(`Code 128 (set B) cannot carry ${JSON.stringify(char)}`);
    out.push(code);
    if (code === 0x7b) out.push(0x7b);
  }
  return Uint8Array.from(out);
}

export function isCode128Encodable(data: string): boolean {
  return data.length > 0 && /^[\x20-\x7e]*$/.test(data) && code128Data(data).length + 2 <= 255;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export type TextSize = 'normal' | 'double-width' | 'double-height' | 'double';

export function sizeScale(size: TextSize): { widthScale: 1 | 2; heightScale: 1 | 2 } {
  switch (size) {
    case 'normal':
      return { widthScale: 1, heightScale: 1 };
    case 'double-width':
      return { widthScale: 2, heightScale: 1 };
    case 'double-height':
      return { widthScale: 1, heightScale: 2 };
    case 'double':
      return { widthScale: 2, heightScale: 2 };
  }
}

export interface EncoderOptions {
  readonly log?: Log;
  /** Draws a line sent as raster; by default the real font (skia), which is slow for rare characters. */
  readonly rasterizeLine?: LineRasterizer;
}

/**
 * Builds one print job. Text is wrapped to the profile's columns (divided by the width scale);
 * a line with a character outside GBK is sent as a raster picture of the whole line, or, on a
 * printer without raster, with □ in its place and a warning (never as garbage bytes).
 */
export class EscPosEncoder {
  private readonly parts: Uint8Array[] = [];
  private readonly log: Log;
  private readonly rasterizeLine: LineRasterizer;
  private style: LineStyle = { widthScale: 1, heightScale: 1, bold: false, align: 'left' };
  private rasterLines = 0;
  private substituted = 0;

  constructor(
    readonly profile: PrinterProfile,
    options: EncoderOptions = {},
  ) {
    this.log = options.log ?? silentLog;
    this.rasterizeLine = options.rasterizeLine ?? rasterizeLine;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  /** ESC @ and, on Chinese printers, FS & so bytes >= 0x80 are read as GB codes. */
  initialise(): this {
    this.style = { widthScale: 1, heightScale: 1, bold: false, align: 'left' };
    this.raw(EscPos.initialise());
    if (this.profile.capabilities.chineseMode) this.raw(EscPos.chineseModeOn());
    return this;
  }

  align(align: Align): this {
    this.style = { ...this.style, align };
    return this.raw(EscPos.align(align));
  }

  bold(on: boolean): this {
    this.style = { ...this.style, bold: on };
    return this.raw(EscPos.bold(on));
  }

  size(size: TextSize): this {
    const scale = sizeScale(size);
    this.style = { ...this.style, ...scale };
    this.raw(EscPos.characterSize(scale.widthScale, scale.heightScale));
    if (this.profile.capabilities.chineseMode) {
      this.raw(EscPos.chineseStyle({ doubleWidth: scale.widthScale === 2, doubleHeight: scale.heightScale === 2 }));
    }
    return this;
  }

  /** Columns available at the current character width. */
  get columns(): number {
    return Math.floor(this.profile.columns / this.style.widthScale);
  }

  /** Prints text (may contain '\n'), wrapped; each printed line ends with LF. */
  text(text: string): this {
    for (const line of wrapText(text, this.columns)) this.line(line);
    return this;
  }

  private line(line: string): void {
    const chars = [...line].map(classifyChar);
    if (chars.every((c) => c.kind !== 'raster')) {
      this.raw(concat([...chars.map((c) => c.bytes), EscPos.lineFeed()]));
      return;
    }
    if (this.profile.capabilities.raster) {
      this.rasterLines++;
      this.raster(this.rasterizeLine(line, this.profile.dots, this.profile.columnDots, this.style));
      return;
    }
    const count = chars.filter((c) => c.kind === 'raster').length;
    this.substituted += count;
    // Only the count: the text may be a resident's name.
    this.log.warn(
      { characters: count, profile: this.profile.id },
      'characters outside GBK printed as □ (printer has no raster support)',
    );
    const substitute = classifyChar(SUBSTITUTE_CHAR).bytes;
    this.raw(concat([...chars.map((c) => (c.kind === 'raster' ? substitute : c.bytes)), EscPos.lineFeed()]));
  }

  qr(payload: string, options: { moduleSize?: number; errorLevel?: QrErrorLevel } = {}): this {
    return this.raw(
      concat([
        EscPos.qrModel2(),
        EscPos.qrModuleSize(options.moduleSize ?? 6),
        EscPos.qrErrorLevel(options.errorLevel ?? 'M'),
        EscPos.qrStore(payload),
        EscPos.qrPrint(),
      ]),
    );
  }

  code128(data: string, options: { height?: number; moduleWidth?: number } = {}): this {
    return this.raw(
      concat([
        EscPos.barcodeHeight(options.height ?? 80),
        EscPos.barcodeModuleWidth(options.moduleWidth ?? 2),
        EscPos.code128(data),
      ]),
    );
  }

  /** A 1-bit picture, in bands; wider than the paper is cut off at the right edge. */
  raster(image: MonoBitmap): this {
    const fitted = image.width > this.profile.dots ? cropWidth(image, this.profile.dots) : image;
    for (let row = 0; row < fitted.height; row += RASTER_BAND_ROWS) {
      this.raw(EscPos.raster(monoRows(fitted, row, RASTER_BAND_ROWS)));
    }
    return this;
  }

  image(bitmap: Bitmap, threshold = 128): this {
    return this.raster(toMono(bitmap, threshold));
  }

  feed(lines: number): this {
    return this.raw(EscPos.feedLines(lines));
  }

  /** Feeds the last line past the cutter and cuts; without a cutter only feeds (tear-off). */
  cut(): this {
    if (this.profile.capabilities.cutter) return this.raw(EscPos.partialCut(this.profile.lineDots * 3));
    return this.feed(4);
  }

  /** What the encoder had to work around, for the caller's log line. */
  get fallbacks(): { rasterLines: number; substitutedChars: number } {
    return { rasterLines: this.rasterLines, substitutedChars: this.substituted };
  }

  encode(): Uint8Array {
    return concat(this.parts);
  }
}

function cropWidth(image: MonoBitmap, width: number): MonoBitmap {
  const widthBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(widthBytes * image.height);
  for (let y = 0; y < image.height; y++) {
    bits.set(image.bits.subarray(y * image.widthBytes, y * image.widthBytes + widthBytes), y * widthBytes);
    if (width % 8 !== 0) {
      const last = y * widthBytes + widthBytes - 1;
      bits[last] = (bits[last] ?? 0) & (0xff << (8 - (width % 8)));
    }
  }
  return { width, height: image.height, widthBytes, bits };
}
