import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receipt } from '../receipt/receipt-model';
import { renderEscPos } from '../receipt/render-escpos';
import { renderPng } from '../receipt/render-png';
import { EscPos, concat } from './escpos-encoder';
import { PROFILE_58MM } from './printer-profiles';
import { StatusStreamParser, decodeAutoStatus, statusFromRealtime } from './printer-status';
import { keptReceipts, SimulatedPrinter } from './simulated-printer';

const doc = receipt()
  .text('申报回执', { align: 'center', bold: true, size: 'double' })
  .rule()
  .text('案件号 A-2026-0001\n金额 ¥0')
  .qr('KIOSK|A-2026-0001|123456', { size: 4 })
  .barcode('A{2026}', { height: 50 })
  .space(2)
  .cut()
  .build();

function bytesOf(d = doc): Uint8Array {
  const job = renderEscPos(d, PROFILE_58MM);
  if (!job.ok) throw new Error('render failed');
  return job.value.bytes;
}

function printer() {
  const sent: number[] = [];
  const p = new SimulatedPrinter(PROFILE_58MM, (bytes) => sent.push(...bytes));
  return { p, sent };
}

describe('SimulatedPrinter (with the ESC/POS interpreter)', () => {
  it('reads our bytes back into the same text, QR payload, cut, and the same picture as the PNG renderer', () => {
    const { p } = printer();
    p.receive(bytesOf());
    const [printed, ...rest] = p.receipts();
    expect(rest).toEqual([]);
    expect(printed?.text).toBe(['申报回执', '-'.repeat(32), '案件号 A-2026-0001', '金额 ￥0', '', ''].join('\n'));
    expect(printed?.qrPayloads).toEqual(['KIOSK|A-2026-0001|123456']);
    expect(printed?.cut).toBe(true);
    expect(printed?.bytes).toBe(bytesOf().length);
    expect(printed?.document.blocks.find((b) => b.kind === 'barcode')).toMatchObject({ data: 'A{2026}', height: 50 });
    const expected = renderPng(doc, PROFILE_58MM);
    expect(expected.ok && printed?.png.equals(expected.value)).toBe(true);
  });

  it('keeps the newest receipts only, so a simulated terminal does not grow a receipt at a time', () => {
    const { p } = printer();
    const numbered = (n: number) => receipt().text(`No. ${n}`).cut().build();
    for (let n = 1; n <= keptReceipts + 5; n++) p.receive(bytesOf(numbered(n)));
    const kept = p.receipts();
    expect(kept).toHaveLength(keptReceipts);
    expect(kept[0]?.text).toContain('No. 6');
    expect(kept.at(-1)?.text).toContain(`No. ${keptReceipts + 5}`);
  });

  it('property: any chunking of the stream gives the same receipt', () => {
    const bytes = bytesOf();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const { p } = printer();
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = sizes[i % sizes.length] ?? 1;
          p.receive(bytes.subarray(at, at + n));
          at += n;
        }
        expect(p.receipts().map((r) => [r.text, r.qrPayloads, r.cut])).toEqual([
          [expect.stringContaining('申报回执'), ['KIOSK|A-2026-0001|123456'], true],
        ]);
      }),
      { numRuns: 30 },
    );
  });

  it('answers DLE EOT 1..4 from its state, even in the middle of print data', () => {
    const { p, sent } = printer();
    p.setState({ coverOpen: true });
    p.receive(
      concat([
        Uint8Array.of(0x41),
        EscPos.statusRequest(1),
        EscPos.statusRequest(2),
        EscPos.statusRequest(3),
        EscPos.statusRequest(4),
      ]),
    );
    expect(sent).toHaveLength(4);
    expect(statusFromRealtime({ 1: sent[0] ?? 0, 2: sent[1] ?? 0, 3: sent[2] ?? 0, 4: sent[3] ?? 0 })).toEqual({
      online: false,
      paper: 'ok',
      coverOpen: true,
      error: null,
    });
  });

  it('paper out mid-job: the part before prints uncut, the rest of the job is lost', () => {
    const { p } = printer();
    p.setState({ paperOutAfterBytes: 40 });
    p.receive(bytesOf());
    expect(p.state().paper).toBe('out');
    const [partial] = p.receipts();
    expect(partial?.cut).toBe(false);
    expect(partial?.text).toContain('申报回执');
    expect(partial?.qrPayloads).toEqual([]);
    p.receive(bytesOf()); // still out: nothing prints
    expect(p.receipts()).toHaveLength(1);
    p.setState({ paper: 'ok' });
    p.receive(bytesOf());
    expect(p.receipts().map((r) => r.cut)).toEqual([false, true]);
  });

  it('sends automatic status back once enabled and on every change', () => {
    const { p, sent } = printer();
    p.receive(EscPos.automaticStatusBack(0x0f));
    p.setState({ paper: 'near-end' });
    const events = new StatusStreamParser().push(Uint8Array.from(sent));
    expect(events.map((e) => (e.kind === 'auto-status' ? e.status.paper : e.kind))).toEqual(['ok', 'near-end']);
    expect(decodeAutoStatus([sent[4] ?? 0, sent[5] ?? 0, sent[6] ?? 0, sent[7] ?? 0]).paper).toBe('near-end');
  });

  it('stays silent when not responding', () => {
    const { p, sent } = printer();
    p.setState({ responding: false });
    p.receive(EscPos.statusRequest(1));
    expect(sent).toEqual([]);
  });
});
