import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryLink } from '../transport/memory-link';
import { recordingLog } from '../../foundation/log';
import { receipt } from '../receipt/receipt-model';
import { PrinterDriver } from './printer-driver';
import { PROFILE_58MM } from './printer-profiles';
import { PrinterService, type PrinterState } from './printer-service';
import { SimulatedPrinter } from './simulated-printer';

const job = (id: string) => ({ id, document: receipt().text(`回执 ${id}`).qr(`CASE|${id}`).cut().build() });

async function rig(options: { statusAvailable?: boolean; keepPending?: number } = {}) {
  const link = memoryLink();
  const sim = new SimulatedPrinter(PROFILE_58MM, (bytes) => void link.reader.write(bytes));
  link.reader.onData((chunk) => sim.receive(chunk));
  await link.reader.open();
  const log = recordingLog();
  const service = new PrinterService({
    connect: () => link.device,
    profile: PROFILE_58MM,
    log,
    pollIntervalMs: 0,
    driver: { statusTimeoutMs: 60, statusRetries: 1 },
    ...options,
  });
  const states: PrinterState['state'][] = [];
  service.onStateChange((s) => states.push(s.state));
  services.push(service);
  return { link, sim, service, log, states };
}

const services: PrinterService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

describe('PrinterDriver', () => {
  it('reads the status while unsolicited bytes and auto-status frames arrive in between', async () => {
    const link = memoryLink();
    await link.reader.open();
    link.reader.onData((chunk) => {
      // Noise, an auto-status frame, then the reply for each DLE EOT n.
      if (chunk[0] === 0x10)
        void link.reader.write(Uint8Array.of(0x00, 0x10, 0x00, 0x03, 0x00, chunk[2] === 4 ? 0x1e : 0x12));
    });
    const driver = new PrinterDriver(link.device, { statusTimeoutMs: 100 });
    await driver.open();
    const autos: string[] = [];
    driver.onAutoStatus((s) => autos.push(s.paper));
    const status = await driver.queryStatus();
    expect(status).toEqual({ ok: true, value: { online: true, paper: 'near-end', coverOpen: false, error: null } });
    expect(autos).toHaveLength(4);
    await driver.close();
  });

  it('times out and retries a status query, then reports the timeout', async () => {
    const link = memoryLink();
    await link.reader.open();
    let requests = 0;
    link.reader.onData(() => requests++);
    const driver = new PrinterDriver(link.device, { statusTimeoutMs: 30, statusRetries: 2 });
    await driver.open();
    expect(await driver.queryStatus()).toEqual({ ok: false, error: { kind: 'timeout', what: 'status' } });
    expect(requests).toBe(3); // first request of each of 3 attempts
    await driver.close();
  });

  it('runs one command at a time: a status query waits for a job being sent', async () => {
    const link = memoryLink();
    await link.reader.open();
    const seen: number[][] = [];
    link.reader.onData((chunk) => {
      seen.push([...chunk]);
      if (chunk[0] === 0x10) void link.reader.write(Uint8Array.of(0x12));
    });
    const driver = new PrinterDriver(link.device, { statusTimeoutMs: 100 });
    await driver.open();
    const big = new Uint8Array(5000).fill(0x41);
    const [sent, status] = await Promise.all([driver.send(big), driver.queryStatus()]);
    expect(sent.ok && status.ok).toBe(true);
    expect(seen[0]?.length).toBe(5000);
    await driver.close();
  });
});

describe('PrinterService', () => {
  it('prints a job once, confirms it, and answers a re-submission with the earlier result', async () => {
    const { sim, service, log } = await rig();
    await service.start();
    expect(service.state).toEqual({ state: 'ready' });
    const first = await service.print(job('A-1'));
    expect(first).toMatchObject({ ok: true, value: { jobId: 'A-1', confirmed: true, reprint: false } });
    const again = await service.print(job('A-1'));
    expect(again).toEqual(first);
    expect(sim.receipts()).toHaveLength(1);
    expect(sim.receipts()[0]?.qrPayloads).toEqual(['CASE|A-1']);
    // Logs name the job and byte count, never the receipt text.
    expect(JSON.stringify(log.lines)).not.toContain('回执');
    expect(log.lines.some((l) => l.fields['jobId'] === 'A-1' && typeof l.fields['bytes'] === 'number')).toBe(true);
  });

  it('joins a concurrent submission of the same id instead of printing twice', async () => {
    const { sim, service } = await rig();
    await service.start();
    const [a, b] = await Promise.all([service.print(job('A-2')), service.print(job('A-2'))]);
    expect(a).toEqual(b);
    expect(sim.receipts()).toHaveLength(1);
  });

  it("an explicit reprint prints again; a printed job's content is not kept for it", async () => {
    const { sim, service } = await rig();
    await service.start();
    await service.print(job('A-3'));
    const re = await service.print(job('A-3'), { reprint: true });
    expect(re).toMatchObject({ ok: true, value: { reprint: true } });
    expect(sim.receipts()).toHaveLength(2);
    // The receipt (a resident's masked name and ID number) is not held once printed.
    expect(await service.reprint('A-3')).toMatchObject({
      ok: false,
      error: { kind: 'unknown-job', message: 'job printed; its content is not kept' },
    });
    expect(await service.reprint('nope')).toMatchObject({ ok: false, error: { kind: 'unknown-job' } });
  });

  it('keeps only the newest jobs not completed, so a job given up on does not hold its receipt for good', async () => {
    const { sim, service } = await rig({ keepPending: 2 });
    await service.start();
    sim.setState({ coverOpen: true });
    await service.refresh();
    for (const id of ['P-1', 'P-2', 'P-3']) await service.print(job(id));
    expect(service.pendingJobs().map((j) => j.id)).toEqual(['P-2', 'P-3']);
    expect(await service.reprint('P-1')).toMatchObject({ ok: false, error: { kind: 'unknown-job' } });
  });

  it('refuses to print with the cover open, keeps the job pending, prints it on reprint', async () => {
    const { sim, service } = await rig();
    await service.start();
    sim.setState({ coverOpen: true });
    const refused = await service.print(job('A-4'));
    expect(refused).toMatchObject({ ok: false, error: { kind: 'cover-open', pending: true } });
    expect(service.state).toEqual({ state: 'cover-open' });
    expect(sim.receipts()).toHaveLength(0);
    expect(service.pendingJobs().map((p) => [p.id, p.reason])).toEqual([['A-4', 'cover-open']]);
    sim.setState({ coverOpen: false });
    // Nothing was sent, so submitting the job again simply prints it.
    expect(await service.print(job('A-4'))).toMatchObject({ ok: true, value: { reprint: false } });
    expect(service.pendingJobs()).toEqual([]);
  });

  it('paper out during a job: pending, then reprinted once paper is back', async () => {
    const { sim, service } = await rig();
    await service.start();
    sim.setState({ paperOutAfterBytes: 20 });
    const result = await service.print(job('A-5'));
    expect(result).toMatchObject({ ok: false, error: { kind: 'paper-out', pending: true } });
    expect(service.state).toEqual({ state: 'paper-out' });
    expect(sim.receipts().map((r) => r.cut)).toEqual([false]);
    sim.setState({ paper: 'ok' });
    await service.refresh();
    expect(service.state).toEqual({ state: 'ready' });
    // An automatic retry of the same job does not print it again: part of it is on paper already.
    expect(await service.print(job('A-5'))).toEqual(result);
    expect(sim.receipts()).toHaveLength(1);
    expect(await service.reprint('A-5')).toMatchObject({ ok: true, value: { reprint: true } });
    expect(sim.receipts().map((r) => r.cut)).toEqual([false, true]);
  });

  it('paper near end still prints and says so', async () => {
    const { sim, service } = await rig();
    await service.start();
    sim.setState({ paper: 'near-end' });
    expect(await service.print(job('A-6'))).toMatchObject({ ok: true, value: { paperNearEnd: true } });
    expect(service.state).toEqual({ state: 'paper-near-end' });
  });

  it('follows automatic status back without polling', async () => {
    const { sim, service, states } = await rig();
    await service.start();
    const paperOut = new Promise<void>((resolve) => {
      const off = service.onStateChange((state) => {
        if (state.state !== 'paper-out') return;
        off();
        resolve();
      });
    });
    sim.setState({ paper: 'out' }); // polling is off (pollIntervalMs: 0): only the printer's own report can tell
    await paperOut;
    expect(service.state).toEqual({ state: 'paper-out' });
    expect(states).toContain('paper-out');
  });

  it('a silent printer is no-device; unplug is no-device; replug recovers', async () => {
    const { link, sim, service } = await rig();
    sim.setState({ responding: false });
    await service.start();
    expect(service.state.state).toBe('no-device');
    sim.setState({ responding: true });
    await service.refresh();
    expect(service.state).toEqual({ state: 'ready' });
    link.unplug();
    expect(service.state.state).toBe('no-device');
    expect(await service.print(job('A-7'))).toMatchObject({ ok: false, error: { kind: 'no-device', pending: true } });
    link.replug();
    await link.reader.open();
    await service.refresh();
    expect(service.state).toEqual({ state: 'ready' });
    expect(await service.reprint('A-7')).toMatchObject({ ok: true });
  });

  it('rejects an invalid document without keeping it', async () => {
    const { service } = await rig();
    await service.start();
    const bad = await service.print({ id: 'B-1', document: receipt().barcode('条码').build() });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-document', pending: false } });
    expect(service.pendingJobs()).toEqual([]);
  });

  it('without status (lp file) prints unconfirmed', async () => {
    const { sim, service } = await rig({ statusAvailable: false });
    await service.start();
    expect(await service.print(job('C-1'))).toMatchObject({ ok: true, value: { confirmed: false } });
    await vi.waitFor(() => expect(sim.receipts()).toHaveLength(1), { timeout: 10_000 }); // the bytes cross the link asynchronously
  });

  it('self-test prints the test page and reads the status', async () => {
    const { sim, service } = await rig();
    await service.start();
    const result = await service.selfTest({ terminalId: 'QS-TEST-01', qrPayload: 'X' });
    expect(result).toMatchObject({ ok: true, value: { status: { online: true, paper: 'ok' } } });
    expect(sim.receipts()[0]?.text).toContain('打印测试');
    expect(sim.receipts()[0]?.text).toContain('QS-TEST-01');
    expect(sim.receipts()[0]?.qrPayloads).toEqual(['X']);
    expect(service.pendingJobs()).toEqual([]);
  });
});
