import type { SKRSContext2D } from '@napi-rs/canvas';
import { reusableCanvas } from '../printer/canvas-pool';
import QRCode from 'qrcode';
import { sizeScale, type Align } from '../printer/escpos-encoder';
import { toMono, monoGet, type MonoBitmap } from '../printer/mono-bitmap';
import { CELL_HEIGHT, drawPrinterLine } from '../printer/printer-font';
import type { PrinterProfile } from '../printer/printer-profiles';
import { wrapText } from '../printer/printer-text';
import { code128BModules } from '../printer/code128-pattern';
import { assertNever, ok, type Result } from '../../foundation/result';
import { validateReceipt, type ReceiptDocument, type ReceiptModelError, type TextSize } from './receipt-model';
import { ruleText } from './render-escpos';

/**
 * A receipt document → a PNG at the printer's dot width (1 px = 1 dot), laid out like the printer
 * does: same wrapping, 12/24-dot character cells, QR modules of the chosen size, Code 128 bars at
 * 2 dots per module, the cut's feed at the bottom. For the on-screen preview, the simulator and
 * snapshot tests.
 */
export const BARCODE_MODULE_DOTS = 2;
/** Dots fed before a cut (the encoder sends GS V 66 with the same amount). */
export function cutFeedDots(profile: PrinterProfile): number {
  return profile.lineDots * 3;
}

interface Placed {
  readonly height: number;
  draw(ctx: SKRSContext2D, top: number): void;
}

function xFor(align: Align, width: number, dots: number): number {
  switch (align) {
    case 'left':
      return 0;
    case 'center':
      return Math.max(0, Math.floor((dots - width) / 2));
    case 'right':
      return Math.max(0, dots - width);
  }
}

function drawMono(ctx: SKRSContext2D, image: MonoBitmap, left: number, top: number): void {
  ctx.fillStyle = '#000';
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) if (monoGet(image, x, y)) ctx.fillRect(left + x, top + y, 1, 1);
  }
}

/** Height of a printed text line: the line spacing, or the characters if taller. */
export function textLineDots(profile: PrinterProfile, heightScale: 1 | 2): number {
  return Math.max(profile.lineDots, CELL_HEIGHT * heightScale + (profile.lineDots - CELL_HEIGHT));
}

function layout(doc: ReceiptDocument, profile: PrinterProfile): Placed[] {
  const { dots, lineDots, columnDots } = profile;
  const placed: Placed[] = [];
  const blank = (height: number): Placed => ({ height, draw: () => {} });
  const textLines = (text: string, style: { align?: Align; bold?: boolean; size?: TextSize }) => {
    const scale = sizeScale(style.size ?? 'normal');
    const lineStyle = { ...scale, bold: style.bold ?? false, align: style.align ?? 'left' };
    const columns = Math.floor(profile.columns / scale.widthScale);
    for (const line of wrapText(text, columns)) {
      placed.push({
        height: textLineDots(profile, scale.heightScale),
        draw: (ctx, top) => drawPrinterLine(ctx, line, top, dots, columnDots, lineStyle),
      });
    }
  };
  const last = doc.blocks.length - 1;
  for (const [index, block] of doc.blocks.entries()) {
    switch (block.kind) {
      case 'text':
        textLines(block.text, block);
        break;
      case 'rule':
        textLines(ruleText(block.style ?? 'single', profile.columns), {});
        break;
      case 'space':
        if (block.lines > 0) placed.push(blank(block.lines * lineDots));
        break;
      case 'qr': {
        if (!profile.capabilities.qr) {
          textLines(block.payload, { align: block.align ?? 'center' });
          break;
        }
        const qr = QRCode.create(block.payload, { errorCorrectionLevel: block.errorLevel ?? 'M' });
        const module = block.size ?? 6;
        const side = qr.modules.size * module;
        const left = xFor(block.align ?? 'center', side, dots);
        placed.push({
          height: side,
          draw: (ctx, top) => {
            ctx.fillStyle = '#000';
            for (let y = 0; y < qr.modules.size; y++) {
              for (let x = 0; x < qr.modules.size; x++)
                if (qr.modules.get(y, x)) ctx.fillRect(left + x * module, top + y * module, module, module);
            }
          },
        });
        break;
      }
      case 'barcode': {
        if (!profile.capabilities.code128) {
          textLines(block.data, { align: block.align ?? 'center' });
          break;
        }
        const modules = code128BModules(block.data);
        const width = modules.reduce((a, b) => a + b, 0) * BARCODE_MODULE_DOTS;
        const left = xFor(block.align ?? 'center', width, dots);
        const height = block.height ?? 80;
        placed.push({
          height,
          draw: (ctx, top) => {
            ctx.fillStyle = '#000';
            let x = left;
            modules.forEach((m, i) => {
              if (i % 2 === 0) ctx.fillRect(x, top, m * BARCODE_MODULE_DOTS, height);
              x += m * BARCODE_MODULE_DOTS;
            });
          },
        });
        break;
      }
      case 'image': {
        if (!profile.capabilities.raster) break;
        const mono = toMono(block.bitmap, block.threshold);
        placed.push({ height: mono.height, draw: (ctx, top) => drawMono(ctx, mono, 0, top) });
        break;
      }
      case 'feed':
        if (block.lines > 0) placed.push(blank(block.lines * lineDots));
        break;
      case 'cut': {
        const feed = profile.capabilities.cutter ? cutFeedDots(profile) : 4 * lineDots;
        const isLast = index === last;
        placed.push({
          height: feed,
          draw: (ctx, top) => {
            if (isLast) return; // the paper simply ends here
            ctx.fillStyle = '#888';
            for (let x = 0; x < dots; x += 8) ctx.fillRect(x, top + feed - 1, 4, 1);
          },
        });
        break;
      }
      default:
        assertNever(block, 'receipt block');
    }
  }
  return placed;
}

/** Renders to PNG bytes. */
export function renderPng(doc: ReceiptDocument, profile: PrinterProfile): Result<Buffer, ReceiptModelError> {
  const valid = validateReceipt(doc);
  if (!valid.ok) return valid;
  const placed = layout(doc, profile);
  const height = Math.max(
    1,
    placed.reduce((sum, p) => sum + p.height, 0),
  );
  const canvas = reusableCanvas(profile.dots, height);
  const ctx = canvas.getContext('2d');
  let top = 0;
  for (const p of placed) {
    p.draw(ctx, top);
    top += p.height;
  }
  return ok(canvas.toBuffer('image/png'));
}
