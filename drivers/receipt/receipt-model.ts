import type { Bitmap } from '../printer/mono-bitmap';
import {
  QR_MAX_BYTES,
  isCode128Encodable,
  type Align,
  type QrErrorLevel,
  type TextSize,
} from '../printer/escpos-encoder';
import { err, ok, type Result } from '../../foundation/result';

/**
 * A receipt as data, independent of the printer: both renderers (ESC/POS bytes, PNG preview)
 * take the same document, so what staff see on screen is what comes out of the printer.
 */
export type { Align, QrErrorLevel, TextSize };

export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
  readonly align?: Align;
  readonly bold?: boolean;
  readonly size?: TextSize;
}
export interface RuleBlock {
  readonly kind: 'rule';
  readonly style?: 'single' | 'double';
}
/** Blank lines of normal height. */
export interface SpaceBlock {
  readonly kind: 'space';
  readonly lines: number;
}
export interface QrBlock {
  readonly kind: 'qr';
  readonly payload: string;
  /** Module size in dots, 1..16. */
  readonly size?: number;
  readonly errorLevel?: QrErrorLevel;
  readonly align?: Align;
}
export interface BarcodeBlock {
  readonly kind: 'barcode';
  /** Printable ASCII (Code 128 set B). */
  readonly data: string;
  readonly height?: number;
  readonly align?: Align;
}
export interface ImageBlock {
  readonly kind: 'image';
  readonly bitmap: Bitmap;
  readonly threshold?: number;
}
/** Feed paper by whole lines (ESC d). */
export interface FeedBlock {
  readonly kind: 'feed';
  readonly lines: number;
}
export interface CutBlock {
  readonly kind: 'cut';
}

export type ReceiptBlock =
  TextBlock | RuleBlock | SpaceBlock | QrBlock | BarcodeBlock | ImageBlock | FeedBlock | CutBlock;

export interface ReceiptDocument {
  readonly blocks: readonly ReceiptBlock[];
}

export type ReceiptModelError =
  | { readonly kind: 'qr-too-long'; readonly index: number; readonly bytes: number }
  | { readonly kind: 'qr-size'; readonly index: number }
  | { readonly kind: 'barcode-data'; readonly index: number }
  | { readonly kind: 'bad-count'; readonly index: number }
  | { readonly kind: 'bad-image'; readonly index: number };

const utf8 = new TextEncoder();

/** Checks what the printer would reject, so a bad document fails before anything is sent. */
export function validateReceipt(doc: ReceiptDocument): Result<ReceiptDocument, ReceiptModelError> {
  for (const [index, block] of doc.blocks.entries()) {
    switch (block.kind) {
      case 'qr': {
        const bytes = utf8.encode(block.payload).length;
        if (bytes === 0 || bytes > QR_MAX_BYTES) return err({ kind: 'qr-too-long', index, bytes });
        const size = block.size ?? 6;
        if (!Number.isInteger(size) || size < 1 || size > 16) return err({ kind: 'qr-size', index });
        break;
      }
      case 'barcode':
        if (
          !isCode128Encodable(block.data) ||
          (block.height !== undefined && !(block.height >= 1 && block.height <= 255))
        ) {
          return err({ kind: 'barcode-data', index });
        }
        break;
      case 'space':
      case 'feed':
        if (!Number.isInteger(block.lines) || block.lines < 0 || block.lines > 255)
          return err({ kind: 'bad-count', index });
        break;
      case 'image': {
        const { width, height, channels, data } = block.bitmap;
        if (!(width > 0 && height > 0 && data.length >= width * height * channels))
          return err({ kind: 'bad-image', index });
        break;
      }
      case 'text':
      case 'rule':
      case 'cut':
        break;
    }
  }
  return ok(doc);
}

export function describeModelError(error: ReceiptModelError): string {
  switch (error.kind) {
    case 'qr-too-long':
      return `block ${error.index}: QR payload of ${error.bytes} bytes (must be 1..${QR_MAX_BYTES})`;
    case 'qr-size':
      return `block ${error.index}: QR module size must be 1..16`;
    case 'barcode-data':
      return `block ${error.index}: Code 128 data must be printable ASCII (and height 1..255)`;
    case 'bad-count':
      return `block ${error.index}: line count must be 0..255`;
    case 'bad-image':
      return `block ${error.index}: image has no pixels or too little data`;
  }
}

/** A small fluent builder so callers write receipts top to bottom. */
export class ReceiptBuilder {
  private readonly blocks: ReceiptBlock[] = [];

  text(text: string, style: Omit<TextBlock, 'kind' | 'text'> = {}): this {
    this.blocks.push({ kind: 'text', text, ...style });
    return this;
  }
  rule(style: 'single' | 'double' = 'single'): this {
    this.blocks.push({ kind: 'rule', style });
    return this;
  }
  space(lines = 1): this {
    this.blocks.push({ kind: 'space', lines });
    return this;
  }
  qr(payload: string, options: Omit<QrBlock, 'kind' | 'payload'> = {}): this {
    this.blocks.push({ kind: 'qr', payload, ...options });
    return this;
  }
  barcode(data: string, options: Omit<BarcodeBlock, 'kind' | 'data'> = {}): this {
    this.blocks.push({ kind: 'barcode', data, ...options });
    return this;
  }
  image(bitmap: Bitmap, threshold?: number): this {
    this.blocks.push(threshold === undefined ? { kind: 'image', bitmap } : { kind: 'image', bitmap, threshold });
    return this;
  }
  feed(lines: number): this {
    this.blocks.push({ kind: 'feed', lines });
    return this;
  }
  cut(): this {
    this.blocks.push({ kind: 'cut' });
    return this;
  }
  build(): ReceiptDocument {
    return { blocks: [...this.blocks] };
  }
}

export function receipt(): ReceiptBuilder {
  return new ReceiptBuilder();
}
