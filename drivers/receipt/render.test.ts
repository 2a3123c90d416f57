import { createHash } from 'node:crypto';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { PROFILE_58MM, PROFILE_80MM, withCapabilities } from '../printer/printer-profiles';
import { receipt, validateReceipt } from './receipt-model';
import { renderEscPos } from './render-escpos';
import { renderPng } from './render-png';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

async function pixels(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: ctx.getImageData(0, 0, image.width, image.height).data };
}

function blackInRows(
  p: { width: number; data: Uint8ClampedArray },
  from: number,
  to: number,
  x0 = 0,
  x1 = p.width,
): number {
  let n = 0;
  for (let y = from; y < to; y++) for (let x = x0; x < x1; x++) if ((p.data[(y * p.width + x) * 4] ?? 255) < 128) n++;
  return n;
}

const sample = receipt()
  .text('申报回执', { align: 'center', bold: true, size: 'double' })
  .rule()
  .text('案件号 A-2026-0001')
  .qr('https://example.invalid/v?c=A-2026-0001', { size: 4 })
  .barcode('A20260001', { height: 60 })
  .feed(1)
  .cut()
  .build();

describe('validateReceipt', () => {
  it('rejects an empty or oversized QR, a non-ASCII barcode and bad counts with the block index', () => {
    expect(validateReceipt(receipt().qr('').build())).toMatchObject({
      ok: false,
      error: { kind: 'qr-too-long', index: 0 },
    });
    expect(validateReceipt(receipt().text('x').qr('x'.repeat(3000)).build())).toMatchObject({
      ok: false,
      error: { kind: 'qr-too-long', index: 1 },
    });
    expect(validateReceipt(receipt().barcode('回执').build())).toMatchObject({
      ok: false,
      error: { kind: 'barcode-data' },
    });
    expect(validateReceipt(receipt().feed(300).build())).toMatchObject({ ok: false, error: { kind: 'bad-count' } });
    expect(validateReceipt(sample).ok).toBe(true);
  });
});

describe('renderEscPos', () => {
  it('sends style only on change, QR/barcode centred, and ends with the cut', () => {
    const job = renderEscPos(
      receipt().text('A', { bold: true }).text('B', { bold: true }).text('C').cut().build(),
      PROFILE_58MM,
    );
    expect(job.ok && hex(job.value.bytes)).toBe(
      '1B401C26' + '1B4501' + '410A' + '420A' + '1B4500' + '430A' + '1D56425A',
    );
  });

  it('renders a rule as exactly the profile columns', () => {
    const job = renderEscPos(receipt().rule('double').build(), PROFILE_80MM);
    expect(job.ok && Buffer.from(job.value.bytes.subarray(4)).toString('latin1')).toBe('='.repeat(48) + '\n');
  });

  it('degrades a QR code to its text on a printer without QR support', () => {
    const job = renderEscPos(receipt().qr('ABC').build(), withCapabilities(PROFILE_58MM, { qr: false }));
    expect(job.ok && hex(job.value.bytes)).toBe('1B401C26' + '1B6101' + '4142430A');
  });
});

describe('renderPng', () => {
  it('is as wide as the paper in dots and as tall as the laid-out blocks', async () => {
    const png = renderPng(sample, PROFILE_58MM);
    if (!png.ok) throw new Error('render failed');
    const p = await pixels(png.value);
    expect(p.width).toBe(384);
    // double-size title 54 + rule 30 + text 30 + QR (version 3: 29 modules × 4 = 116) + barcode 60 + feed 30 + cut feed 90
    expect(p.height).toBe(54 + 30 + 30 + 116 + 60 + 30 + 90);
  });

  it('draws a QR code that a QR reader decodes back to the payload', async () => {
    const png = renderPng(receipt().qr('回执 A-2026-0001', { size: 5 }).build(), PROFILE_80MM);
    if (!png.ok) throw new Error('render failed');
    const p = await pixels(png.value);
    expect(jsQR(p.data, p.width, p.height)?.data).toBe('回执 A-2026-0001');
  });

  it('puts centred double-size text in the middle and leaves the margins white', async () => {
    const png = renderPng(receipt().text('回执', { align: 'center', size: 'double' }).build(), PROFILE_58MM);
    if (!png.ok) throw new Error('render failed');
    const p = await pixels(png.value);
    // Two CJK cells at double width = 96 dots, centred on 384: x 144..240.
    expect(blackInRows(p, 0, 48, 144, 240)).toBeGreaterThan(300);
    expect(blackInRows(p, 0, p.height, 0, 140)).toBe(0);
    expect(blackInRows(p, 0, p.height, 244, 384)).toBe(0);
  });

  it('is deterministic (same document, same bytes)', () => {
    const a = renderPng(sample, PROFILE_58MM);
    const b = renderPng(sample, PROFILE_58MM);
    const hash = (r: typeof a) => (r.ok ? createHash('sha256').update(r.value).digest('hex') : '');
    expect(hash(a)).toBe(hash(b));
  });
});

describe('reference picture', () => {
  it('the typical receipt on 58 mm matches the committed reference (≤ 0.5 % of pixels differ, for font rasteriser drift)', async () => {
    const { typicalReceipt } = await import('./sample-receipt');
    const { readFile } = await import('node:fs/promises');
    const png = renderPng(typicalReceipt(), PROFILE_58MM);
    if (!png.ok) throw new Error('render failed');
    const now = await pixels(png.value);
    const ref = await pixels(await readFile(new URL('./reference/typical-receipt-58mm.png', import.meta.url)));
    expect([now.width, now.height]).toEqual([ref.width, ref.height]);
    let differing = 0;
    for (let i = 0; i < now.data.length; i += 4)
      if (Math.abs((now.data[i] ?? 0) - (ref.data[i] ?? 0)) > 64) differing++;
    expect(differing / (now.width * now.height)).toBeLessThan(0.005);
  });
});
