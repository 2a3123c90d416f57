import iconv from 'iconv-lite';
import type { Align, QrErrorLevel, TextSize } from './escpos-encoder';
import type { Bitmap, MonoBitmap } from './mono-bitmap';
import { monoGet } from './mono-bitmap';
import type { ReceiptBlock, ReceiptDocument } from '../receipt/receipt-model';

/**
 * Reads an ESC/POS byte stream back into what would come out of the printer: text lines (GBK
 * decoded), QR codes (from their stored payload), barcodes, raster pictures, feeds and cuts, as a
 * receipt document per cut. It is incremental (bytes arrive in chunks; an incomplete command waits
 * for the rest) and knows the commands our encoder sends plus the common ones it may meet.
 * Real-time requests (DLE EOT) are skipped here: the simulator answers them from the raw stream.
 */
export interface InterpretedReceipt {
  readonly document: ReceiptDocument;
  readonly text: string;
  readonly qrPayloads: readonly string[];
  readonly cut: boolean;
  /** Bytes consumed for this receipt, commands included. */
  readonly bytes: number;
}

export type InterpreterEvent =
  | { readonly kind: 'receipt'; readonly receipt: InterpretedReceipt }
  | { readonly kind: 'auto-status-back'; readonly flags: number }
  | { readonly kind: 'unknown-command'; readonly bytes: readonly number[] };

interface Style {
  align: Align;
  bold: boolean;
  widthScale: number;
  heightScale: number;
  chineseDoubleWidth: boolean;
  chineseDoubleHeight: boolean;
}

const freshStyle = (): Style => ({
  align: 'left',
  bold: false,
  widthScale: 1,
  heightScale: 1,
  chineseDoubleWidth: false,
  chineseDoubleHeight: false,
});
const utf8 = new TextDecoder();

/** The command at the current position has not fully arrived yet. */
class Incomplete extends Error {}

export function monoToBitmap(mono: MonoBitmap): Bitmap {
  const data = new Uint8Array(mono.width * mono.height).fill(255);
  for (let y = 0; y < mono.height; y++)
    for (let x = 0; x < mono.width; x++) if (monoGet(mono, x, y)) data[y * mono.width + x] = 0;
  return { width: mono.width, height: mono.height, channels: 1, data };
}

export class EscPosInterpreter {
  private buffer = new Uint8Array(0);
  private style = freshStyle();
  private chineseMode = false;
  private line: number[] = [];
  private blocks: ReceiptBlock[] = [];
  private lines: string[] = [];
  private qrPayloads: string[] = [];
  private qr = { payload: '', size: 3, level: 'L' as QrErrorLevel };
  private barcodeHeight = 162;
  private consumed = 0;
  private cutSeen = false;

  /** Feeds bytes; returns what completed. */
  push(chunk: Uint8Array): InterpreterEvent[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const events: InterpreterEvent[] = [];
    let pos = 0;
    while (pos < joined.length) {
      try {
        const used = this.step(joined, pos, events);
        this.consumed += used;
        pos += used;
        if (this.cutSeen) {
          this.cutSeen = false;
          events.push({ kind: 'receipt', receipt: this.finish(true) });
        }
      } catch (error) {
        if (error instanceof Incomplete) break;
        throw error;
      }
    }
    this.buffer = joined.slice(pos);
    return events;
  }

  /** Whatever printed since the last cut (paper ran out, or the printer has no cutter). */
  flush(): InterpretedReceipt | null {
    this.endLine(false);
    if (this.blocks.length === 0) return null;
    return this.finish(false);
  }

  /** Forgets half-received commands, e.g. data thrown away while paper was out. */
  discardPending(): void {
    this.buffer = new Uint8Array(0);
  }

  get hasContent(): boolean {
    return this.blocks.length > 0 || this.line.length > 0;
  }

  private finish(cut: boolean): InterpretedReceipt {
    const receipt: InterpretedReceipt = {
      document: { blocks: this.blocks },
      text: this.lines.join('\n'),
      qrPayloads: this.qrPayloads,
      cut,
      bytes: this.consumed,
    };
    this.blocks = [];
    this.lines = [];
    this.qrPayloads = [];
    this.consumed = 0;
    return receipt;
  }

  private size(): TextSize {
    const w = this.style.widthScale > 1 || (this.chineseMode && this.style.chineseDoubleWidth);
    const h = this.style.heightScale > 1 || (this.chineseMode && this.style.chineseDoubleHeight);
    return w && h ? 'double' : w ? 'double-width' : h ? 'double-height' : 'normal';
  }

  private decodeLine(bytes: readonly number[]): string {
    if (!this.chineseMode) return String.fromCharCode(...bytes.map((b) => (b < 0x80 ? b : 0x3f)));
    return iconv.decode(Buffer.from(bytes), 'gbk');
  }

  /** LF: the line buffer prints (an empty one feeds a blank line). */
  private endLine(force: boolean): void {
    if (this.line.length === 0 && !force) return;
    const text = this.decodeLine(this.line);
    this.line = [];
    this.lines.push(text);
    const size = this.size();
    this.blocks.push({ kind: 'text', text, align: this.style.align, bold: this.style.bold, size });
  }

  private step(b: Uint8Array, at: number, events: InterpreterEvent[]): number {
    const need = (n: number) => {
      if (at + n > b.length) throw new Incomplete();
    };
    const arg = (i: number) => {
      need(i + 1);
      return b[at + i] ?? 0;
    };
    const c = b[at] ?? 0;
    if (c === 0x0a) {
      this.endLine(true);
      return 1;
    }
    if (c === 0x0d) return 1;
    if (c === 0x09) {
      this.line.push(0x20);
      return 1;
    }
    if (c === 0x10) {
      need(2);
      if (b[at + 1] === 0x04) return (arg(2), 3); // DLE EOT n: real-time, answered from the raw stream
      if (b[at + 1] === 0x14) return (need(5), 5); // DLE DC4 fn m t (drawer pulse)
      return 2;
    }
    if (c === 0x1b) return this.esc(b, at, arg, events);
    if (c === 0x1d) return this.gs(b, at, arg, need, events);
    if (c === 0x1c) {
      const f = arg(1);
      if (f === 0x26) this.chineseMode = true;
      else if (f === 0x2e) this.chineseMode = false;
      else if (f === 0x21) {
        const n = arg(2);
        this.style.chineseDoubleWidth = (n & 0x04) !== 0;
        this.style.chineseDoubleHeight = (n & 0x08) !== 0;
        return 3;
      } else if (f === 0x2d || f === 0x57)
        return (arg(2), 3); // FS - underline, FS W quadruple
      else events.push({ kind: 'unknown-command', bytes: [0x1c, f] });
      return 2;
    }
    if (c < 0x20 || c === 0x7f) return 1; // other control bytes print nothing
    if (this.chineseMode && c >= 0x81 && c <= 0xfe) {
      const second = arg(1);
      this.line.push(c, second);
      return 2;
    }
    this.line.push(c);
    return 1;
  }

  private esc(_b: Uint8Array, _at: number, arg: (i: number) => number, events: InterpreterEvent[]): number {
    const f = arg(1);
    switch (f) {
      case 0x40: // ESC @
        this.endLine(false);
        this.style = freshStyle();
        this.chineseMode = false;
        this.qr = { payload: '', size: 3, level: 'L' };
        return 2;
      case 0x61: {
        const n = arg(2);
        this.style.align = n === 1 || n === 0x31 ? 'center' : n === 2 || n === 0x32 ? 'right' : 'left';
        return 3;
      }
      case 0x45:
        this.style.bold = (arg(2) & 1) === 1;
        return 3;
      case 0x64: {
        const n = arg(2);
        this.endLine(false);
        if (n > 0) this.blocks.push({ kind: 'feed', lines: n });
        return 3;
      }
      case 0x32:
        return 2; // default line spacing
      case 0x21: {
        // ESC ! print mode: bold bit 3, double height bit 4, double width bit 5
        const n = arg(2);
        this.style.bold = (n & 0x08) !== 0;
        this.style.heightScale = n & 0x10 ? 2 : 1;
        this.style.widthScale = n & 0x20 ? 2 : 1;
        return 3;
      }
      case 0x33:
      case 0x2d:
      case 0x4d:
      case 0x74:
      case 0x52:
      case 0x47:
      case 0x7b:
      case 0x20:
      case 0x4a:
        return (arg(2), 3);
      default:
        events.push({ kind: 'unknown-command', bytes: [0x1b, f] });
        return 2;
    }
  }

  private gs(
    b: Uint8Array,
    at: number,
    arg: (i: number) => number,
    need: (n: number) => void,
    events: InterpreterEvent[],
  ): number {
    const f = arg(1);
    switch (f) {
      case 0x21: {
        const n = arg(2);
        this.style.widthScale = ((n >> 4) & 7) + 1;
        this.style.heightScale = (n & 7) + 1;
        return 3;
      }
      case 0x56: {
        const m = arg(2);
        const length = m === 0x41 || m === 0x42 || m === 0x61 || m === 0x62 ? 4 : 3;
        need(length);
        this.endLine(false);
        this.blocks.push({ kind: 'cut' });
        this.cutSeen = true;
        return length;
      }
      case 0x68:
        this.barcodeHeight = Math.max(1, arg(2));
        return 3;
      case 0x77:
      case 0x48:
      case 0x66:
      case 0x42:
        return (arg(2), 3);
      case 0x61:
        events.push({ kind: 'auto-status-back', flags: arg(2) });
        return 3;
      case 0x6b:
        return this.barcode(b, at, arg, need);
      case 0x28: {
        const pL = arg(3);
        const pH = arg(4);
        const length = pL + pH * 256;
        need(5 + length);
        if (arg(2) === 0x6b) this.qrFunction(b.subarray(at + 5, at + 5 + length));
        else events.push({ kind: 'unknown-command', bytes: [0x1d, 0x28, arg(2)] });
        return 5 + length;
      }
      case 0x76: {
        const xBytes = arg(4) + arg(5) * 256;
        const rows = arg(6) + arg(7) * 256;
        need(8 + xBytes * rows);
        this.endLine(false);
        const bits = b.slice(at + 8, at + 8 + xBytes * rows);
        const mono: MonoBitmap = { width: xBytes * 8, height: rows, widthBytes: xBytes, bits };
        if (rows > 0 && xBytes > 0) this.blocks.push({ kind: 'image', bitmap: monoToBitmap(mono) });
        return 8 + xBytes * rows;
      }
      default:
        events.push({ kind: 'unknown-command', bytes: [0x1d, f] });
        return 2;
    }
  }

  private barcode(b: Uint8Array, at: number, arg: (i: number) => number, need: (n: number) => void): number {
    const m = arg(2);
    if (m <= 6) {
      // NUL-terminated form A
      let end = at + 3;
      while (end < b.length && b[end] !== 0) end++;
      if (end >= b.length) throw new Incomplete();
      return end - at + 1;
    }
    const n = arg(3);
    need(4 + n);
    const data = [...b.subarray(at + 4, at + 4 + n)];
    if (m === 73) {
      // Code 128: "{B" selects set B; "{{" is a literal brace.
      let text = '';
      for (let i = 0; i < data.length; i++) {
        const d = data[i] ?? 0;
        if (d === 0x7b && i + 1 < data.length) {
          i++;
          if (data[i] === 0x7b) text += '{';
          continue;
        }
        text += String.fromCharCode(d);
      }
      this.endLine(false);
      this.blocks.push({ kind: 'barcode', data: text, height: this.barcodeHeight, align: this.style.align });
    }
    return 4 + n;
  }

  private qrFunction(params: Uint8Array): void {
    const cn = params[0];
    const fn = params[1];
    if (cn !== 0x31) return;
    if (fn === 0x43) this.qr.size = params[2] ?? 3;
    else if (fn === 0x45) this.qr.level = (['L', 'M', 'Q', 'H'] as const)[(params[2] ?? 0x30) - 0x30] ?? 'L';
    else if (fn === 0x50) this.qr.payload = utf8.decode(params.subarray(3));
    else if (fn === 0x51) {
      this.endLine(false);
      const size = Math.min(16, Math.max(1, this.qr.size));
      if (this.qr.payload.length > 0) {
        this.blocks.push({
          kind: 'qr',
          payload: this.qr.payload,
          size,
          errorLevel: this.qr.level,
          align: this.style.align,
        });
        this.qrPayloads.push(this.qr.payload);
      }
    }
  }
}
