import { existsSync } from 'node:fs';
import { GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { reusableCanvas } from './canvas-pool';
import { emptyMono, monoSet, type MonoBitmap } from './mono-bitmap';
import { classifyChar } from './printer-text';

/**
 * Draws text the way the printer lays it out: a 12×24-dot cell per half-width character and a
 * 24×24 cell per CJK character, scaled by the character size. Used for characters the printer
 * cannot print from its own font (sent as raster) and for the PNG preview, so both match the paper.
 */
const FONT_DIR = '/usr/share/fonts/opentype/noto';
export const CJK_FONT_FAMILY = 'Noto Sans CJK SC';
const FONT_STACK = `"${CJK_FONT_FAMILY}", "Noto Sans CJK JP", sans-serif`;

let fontsRegistered = false;
export function ensureCjkFont(): void {
  if (fontsRegistered) return;
  fontsRegistered = true;
  for (const file of ['NotoSansCJK-Regular.ttc', 'NotoSansCJK-Bold.ttc']) {
    const path = `${FONT_DIR}/${file}`;
    if (existsSync(path)) GlobalFonts.registerFromPath(path, CJK_FONT_FAMILY);
  }
}

export interface LineStyle {
  readonly widthScale: 1 | 2;
  readonly heightScale: 1 | 2;
  readonly bold: boolean;
  readonly align: 'left' | 'center' | 'right';
}

/** The font's own cell height in dots (font A). */
export const CELL_HEIGHT = 24;

/** Draws one already-wrapped line, `top` being the top of the text cell, across `dots` width. */
export function drawPrinterLine(
  ctx: SKRSContext2D,
  text: string,
  top: number,
  dots: number,
  columnDots: number,
  style: LineStyle,
): void {
  ensureCjkFont();
  const chars = [...text].map(classifyChar);
  const lineWidth = chars.reduce((sum, c) => sum + c.columns * columnDots * style.widthScale, 0);
  let x = style.align === 'left' ? 0 : style.align === 'center' ? Math.floor((dots - lineWidth) / 2) : dots - lineWidth;
  x = Math.max(0, x);
  ctx.fillStyle = '#000';
  ctx.font = `${style.bold ? 'bold ' : ''}${CELL_HEIGHT}px ${FONT_STACK}`;
  ctx.textBaseline = 'alphabetic';
  for (const c of chars) {
    const cell = c.columns * columnDots; // unscaled cell width
    if (c.char !== ' ') {
      const measured = ctx.measureText(c.char).width;
      const squeeze = measured > cell ? cell / measured : 1;
      ctx.save();
      ctx.translate(x, top);
      ctx.scale(style.widthScale * squeeze, style.heightScale);
      ctx.fillText(c.char, (cell / squeeze - Math.min(measured, cell / squeeze)) / 2, 21);
      ctx.restore();
    }
    x += cell * style.widthScale;
  }
}

/** Draws one line as a 1-bit picture; the encoder takes one so tests can stand in for the font engine. */
export type LineRasterizer = (text: string, dots: number, columnDots: number, style: LineStyle) => MonoBitmap;

/** A full-width 1-bit picture of one line, for GS v 0 (alignment is baked into the picture). */
export function rasterizeLine(text: string, dots: number, columnDots: number, style: LineStyle): MonoBitmap {
  const height = CELL_HEIGHT * style.heightScale;
  const ctx = reusableCanvas(dots, height).getContext('2d');
  drawPrinterLine(ctx, text, 0, dots, columnDots, style);
  const pixels = ctx.getImageData(0, 0, dots, height).data;
  const mono = emptyMono(dots, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < dots; x++) {
      if ((pixels[(y * dots + x) * 4] ?? 255) < 128) monoSet(mono, x, y);
    }
  }
  return mono;
}
