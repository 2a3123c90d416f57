import type { PrinterProfile } from '../printer/printer-profiles';
import { receipt, type ReceiptDocument } from './receipt-model';

/** The technician's test page: Chinese text, sizes, alignment, the terminal id, a QR code, a cut. */
export interface TestPageOptions {
  readonly terminalId: string;
  readonly qrPayload?: string;
  readonly printedAt?: Date;
}

export const TEST_PAGE_TITLE = '打印测试';

export function defaultTestQrPayload(terminalId: string): string {
  return `KIOSK-PRINTER-TEST|${terminalId}`;
}

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function testPage(profile: PrinterProfile, options: TestPageOptions): ReceiptDocument {
  const digits = '1234567890'.repeat(Math.ceil(profile.columns / 10)).slice(0, profile.columns);
  return receipt()
    .text(TEST_PAGE_TITLE, { align: 'center', bold: true, size: 'double' })
    .rule('double')
    .text(`终端 Terminal: ${options.terminalId}`)
    .text(`纸宽 Paper: ${profile.paperWidth} mm / ${profile.dots} dots / ${profile.columns} cols`)
    .text(`时间 Time: ${timestamp(options.printedAt ?? new Date())}`)
    .text(digits)
    .text('中文对齐测试：一二三四五六七八九十', { bold: true })
    .text('左 left', { align: 'left' })
    .text('中 centre', { align: 'center' })
    .text('右 right', { align: 'right' })
    .text('倍宽 W', { size: 'double-width' })
    .text('倍高 H', { size: 'double-height' })
    .rule()
    .qr(options.qrPayload ?? defaultTestQrPayload(options.terminalId), { size: 6 })
    .space(1)
    .text('打印正常请保留此页', { align: 'center' })
    .feed(1)
    .cut()
    .build();
}
