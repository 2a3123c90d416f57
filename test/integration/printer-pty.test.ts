import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { profileForWidth } from '../../drivers/printer/printer-profiles';
import { PrinterService, type PrinterState } from '../../drivers/printer/printer-service';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { receipt } from '../../drivers/receipt/receipt-model';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';

/** The printer service over a real tty link (socat PTY pair) to the printer simulator. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const document = (caseNo: string) =>
  receipt()
    .text('申报回执', { align: 'center', bold: true, size: 'double' })
    .rule()
    .text(`案件号 ${caseNo}`)
    .text('姓名 张*三')
    .text('证件 110105********1234')
    .text('罕见字测试 𠮷') // outside GBK: goes as a raster line
    .qr(`RCPT|${caseNo}|837261`, { size: 5 })
    .space(1)
    .cut()
    .build();

async function rig(width: 58 | 80 = 58) {
  const sim = await startPrinterSimulator({ width });
  cleanups.push(() => sim.stop());
  const log = recordingLog();
  const service = new PrinterService({
    connect: () => new SerialTransport({ path: sim.devicePath, baudRate: 115200 }),
    profile: profileForWidth(width),
    log,
    pollIntervalMs: 100,
    driver: { statusTimeoutMs: 300, statusRetries: 1 },
  });
  cleanups.push(() => service.stop());
  const states: PrinterState['state'][] = [];
  service.onStateChange((s) => states.push(s.state));
  await service.start();
  return { sim, service, log, states };
}

function printedCount(sim: PrinterSimulator): number {
  return sim.receipts().length;
}

describe('printer service over a PTY', () => {
  it('prints a receipt: text back from GBK, the rare character as a picture, QR payload, cut', async () => {
    const { sim, service, log } = await rig();
    expect(service.state).toEqual({ state: 'ready' });
    const result = await service.print({ id: 'A-2026-0001', document: document('A-2026-0001') });
    expect(result).toMatchObject({ ok: true, value: { jobId: 'A-2026-0001', confirmed: true } });
    const [printed] = sim.receipts();
    expect(printed?.text.split('\n').slice(0, 5)).toEqual([
      '申报回执',
      '-'.repeat(32),
      '案件号 A-2026-0001',
      '姓名 张*三',
      '证件 110105********1234',
    ]);
    expect(printed?.text).not.toContain('罕见字测试'); // that line went as raster
    expect(printed?.document.blocks.some((b) => b.kind === 'image')).toBe(true);
    expect(printed?.qrPayloads).toEqual(['RCPT|A-2026-0001|837261']);
    expect(printed?.cut).toBe(true);
    expect(printed?.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(printed?.png.readUInt32BE(16)).toBe(384); // IHDR width = 58 mm paper in dots
    expect(JSON.stringify(log.lines)).not.toMatch(/张|110105|申报/);
  });

  it.each([
    ['paper out', { paper: 'out' as const }, 'paper-out'],
    ['cover open', { coverOpen: true }, 'cover-open'],
    ['offline', { online: false }, 'error'],
    ['paper near end', { paper: 'near-end' as const }, 'paper-near-end'],
  ])('follows the simulator: %s', async (_name, state, expected) => {
    const { sim, service } = await rig();
    sim.setState(state);
    await until(() => service.state.state === expected, 10_000, `state ${expected}`);
    sim.setState({ paper: 'ok', coverOpen: false, online: true });
    await until(() => service.state.state === 'ready', 10_000, 'ready again');
  });

  it('paper out mid-job: job pending, partial print uncut; after paper is back a reprint completes it once', async () => {
    const { sim, service } = await rig();
    sim.setState({ paperOutAfterBytes: 60 });
    const result = await service.print({ id: 'A-2', document: document('A-2') });
    expect(result).toMatchObject({ ok: false, error: { kind: 'paper-out', pending: true } });
    expect(service.pendingJobs().map((j) => j.id)).toEqual(['A-2']);
    expect(sim.receipts().map((r) => r.cut)).toEqual([false]);
    sim.setState({ paper: 'ok' });
    await until(() => service.state.state === 'ready', 10_000, 'ready after paper change');
    expect(await service.reprint('A-2')).toMatchObject({ ok: true, value: { reprint: true } });
    expect(service.pendingJobs()).toEqual([]);
    expect(sim.receipts().map((r) => [r.cut, r.qrPayloads])).toEqual([
      [false, []],
      [true, ['RCPT|A-2|837261']],
    ]);
  });

  it('no double print when the caller retries a job that printed', async () => {
    const { sim, service } = await rig();
    const job = { id: 'A-3', document: document('A-3') };
    const first = await service.print(job);
    const retry = await service.print(job);
    const concurrent = await Promise.all([service.print(job), service.print(job)]);
    expect(first.ok).toBe(true);
    expect(retry).toEqual(first);
    expect(concurrent).toEqual([first, first]);
    expect(printedCount(sim)).toBe(1);
  });

  it('unplug → no-device (job pending, nothing printed); replug → ready and the pending job reprints', async () => {
    const { sim, service, states } = await rig(80);
    await sim.unplug();
    await until(() => service.state.state === 'no-device', 10_000, 'no-device');
    const result = await service.print({ id: 'A-4', document: document('A-4') });
    expect(result).toMatchObject({ ok: false, error: { kind: 'no-device', pending: true } });
    await sim.replug();
    await until(() => service.state.state === 'ready', 10_000, 'ready after replug');
    expect(states).toContain('no-device');
    expect(await service.reprint('A-4')).toMatchObject({ ok: true });
    expect(sim.receipts().map((r) => r.qrPayloads)).toEqual([['RCPT|A-4|837261']]);
  });
});
