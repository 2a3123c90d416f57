import { performance } from 'node:perf_hooks';
import type { ReceiptDocument } from '../receipt/receipt-model';
import {
  SAMPLE_RECEIPT_ASCII as ASCII,
  SAMPLE_RECEIPT_CHINESE as CHINESE,
  typicalReceipt,
} from '../receipt/sample-receipt';
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
