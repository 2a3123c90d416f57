import { describe, expect, it } from 'vitest';
import { benchReceiptEncoding } from './printer-bench';
import { typicalReceipt } from '../receipt/sample-receipt';
import { PROFILE_80MM } from './printer-profiles';
import { renderEscPos } from '../receipt/render-escpos';

describe('printer bench helpers', () => {
  it('the typical receipt is valid and fully in GBK (no raster fallback)', () => {
    const job = renderEscPos(typicalReceipt(), PROFILE_80MM);
    expect(job.ok && job.value.rasterLines).toBe(0);
  });

  it('times all three encodings and reports sizes', async () => {
    const result = await benchReceiptEncoding({ iterations: 5 });
    for (const t of [result.oursChinese, result.oursAscii, result.referenceAscii]) {
      expect(t.iterations).toBe(5);
      expect(t.bytes).toBeGreaterThan(300);
      expect(t.microsPerReceipt).toBeGreaterThan(0);
    }
  });
});
