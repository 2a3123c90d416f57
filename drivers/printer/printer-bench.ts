import { performance } from 'node:perf_hooks';
import { receipt, type ReceiptDocument } from '../receipt/receipt-model';
import { renderEscPos } from '../receipt/render-escpos';
import { PROFILE_80MM } from './printer-profiles';

/**
 * Timing helpers for bench/: our encoder on a typical 申报回执, and the same receipt in ASCII
 * through ours and through @point-of-sale/receipt-printer-encoder (a devDependency, loaded only
 * here) for a reference point. Prints nothing; the caller reports.
 */
export interface EncodeTiming {
  readonly name: string;
  readonly iterations: number;
  readonly totalMs: number;
  readonly microsPerReceipt: number;
  readonly bytes: number;
}

export interface EncodeBenchResult {
  readonly oursChinese: EncodeTiming;
  readonly oursAscii: EncodeTiming;
  readonly referenceAscii: EncodeTiming;
}

interface ReceiptText {
  readonly title: string;
  readonly notice: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly materials: readonly string[];
  readonly qr: string;
  readonly code: string;
}

const CHINESE: ReceiptText = {
  title: '申报回执',
  notice: '本回执不是受理通知书，正式受理以服务大厅审核为准。',
  fields: [
    ['终端', '柳溪村自助服务终端 QS-LX-0001'],
    ['事项', '城乡居民养老保险待遇资格认证'],
    ['案件号', 'QSLX01-20261124-0042'],
    ['时间', '2026-11-24 16:20'],
    ['申请人', '张*三'],
    ['证件号', '110105********1234'],
    ['大厅', '清水镇便民服务中心 清水镇人民路8号'],
    ['办公时间', '周一至周五 9:00-12:00 14:00-17:30'],
  ],
  materials: ['户口簿原件', '银行卡复印件'],
  qr: 'KR1.QSLX01.QSLX01-20261124-0042.MEUCIQDx3c0c2c9a1b7e6f5d4c3b2a1908f7e6d5c4b3a291807f6e5d4c3b2a19',
  code: '8372 6150',
};

const ASCII: ReceiptText = {
  title: 'APPLICATION RECEIPT',
  notice: 'This receipt is not a legal acceptance notice; formal acceptance happens at the hall.',
  fields: [
    ['Terminal', 'Liuxi village terminal QS-LX-0001'],
    ['Service', 'Rural pension eligibility check'],
    ['Case', 'QSLX01-20261124-0042'],
    ['Time', '2026-11-24 16:20'],
    ['Applicant', 'Zhang *san'],
    ['ID', '110105********1234'],
    ['Hall', 'Qingshui service centre, 8 Renmin Rd'],
    ['Hours', 'Mon-Fri 9:00-12:00 14:00-17:30'],
  ],
  materials: ['Household register (original)', 'Bank card copy'],
  qr: CHINESE.qr,
  code: CHINESE.code,
};

export function typicalReceipt(text: ReceiptText = CHINESE): ReceiptDocument {
  const b = receipt().text(text.title, { align: 'center', bold: true, size: 'double' }).rule('double');
  for (const [label, value] of text.fields) b.text(`${label}: ${value}`);
  b.rule();
  for (const m of text.materials) b.text(`- ${m}`);
  return b.qr(text.qr, { size: 6 }).text(text.code, { align: 'center', bold: true, size: 'double-width' }).text(text.notice).feed(1).cut().build();
}

function time(name: string, iterations: number, encode: () => Uint8Array): EncodeTiming {
  let bytes = encode().length; // warm-up, and the size to report
  const start = performance.now();
  for (let i = 0; i < iterations; i++) bytes = encode().length;
  const totalMs = performance.now() - start;
  return { name, iterations, totalMs, microsPerReceipt: (totalMs * 1000) / iterations, bytes };
}

function ours(doc: ReceiptDocument): () => Uint8Array {
  return () => {
    const job = renderEscPos(doc, PROFILE_80MM);
    if (!job.ok) throw new Error(`bench receipt is invalid: ${job.error.kind}`);
    return job.value.bytes;
  };
}

export async function benchReceiptEncoding(options: { iterations?: number } = {}): Promise<EncodeBenchResult> {
  const iterations = options.iterations ?? 2000;
  const { default: ReceiptPrinterEncoder } = await import('@point-of-sale/receipt-printer-encoder');
  const reference = () => {
    const e = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: PROFILE_80MM.columns })
      .initialize()
      .align('center')
      .bold(true)
      .size(2, 2)
      .line(ASCII.title)
      .size(1, 1)
      .bold(false)
      .align('left')
      .rule({ style: 'double' });
    for (const [label, value] of ASCII.fields) e.line(`${label}: ${value}`);
    e.rule();
    for (const m of ASCII.materials) e.line(`- ${m}`);
    return e
      .align('center')
      .qrcode(ASCII.qr, 2, 6, 'm')
      .bold(true)
      .size(2, 1)
      .line(ASCII.code)
      .size(1, 1)
      .bold(false)
      .align('left')
      .line(ASCII.notice)
      .newline()
      .cut('partial')
      .encode();
  };
  return {
    oursChinese: time('own encoder, Chinese receipt', iterations, ours(typicalReceipt(CHINESE))),
    oursAscii: time('own encoder, ASCII receipt', iterations, ours(typicalReceipt(ASCII))),
    referenceAscii: time('@point-of-sale/receipt-printer-encoder, ASCII receipt', iterations, reference),
  };
}
