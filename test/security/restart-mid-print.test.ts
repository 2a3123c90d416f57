/**
 * Print de-duplication survives a restart: the first receipt copy (申报回执) is recorded as handed to
 * the printer before a byte is sent, so a kiosk restarted on the same data folder — after a clean
 * stop, or after being killed the moment the printer took the copy — never prints a second "first
 * copy" when it is asked for again. Only staff's 补打 prints it again, marked as such.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { printerAtPort, printThenCrash } from '../support/print-crash';
import { testPins } from '../support/provisioning';
import { applyForAllowance, provisionServices, rpcCall } from '../support/services-fixture';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ dataDir: string; printer: PrinterSimulator }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-print-restart-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // The printer outlives the kiosk's restarts, as the real one does.
  const printer = await startPrinterSimulator({ tcp: true });
  cleanups.push(() => printer.stop());
  return { dataDir, printer };
}

async function kiosk(dataDir: string, printer: PrinterSimulator): Promise<KioskServices> {
  const started = await startKioskServices({
    config: printerAtPort(printer.tcp?.port ?? 0),
    dataDir,
    log: silentLog,
    caseNumberWaitMs: 0,
  });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  return started.value;
}

/** The titles of what came out of the printer: 申报回执 for a first copy, 申报回执（补打） for a reprint. */
const titles = (printer: PrinterSimulator) =>
  printer
    .receipts()
    .map((r) => (r.text.includes('申报回执（补打）') ? '补打' : r.text.includes('申报回执') ? 'first' : '?'));

describe('restart mid-print', () => {
  it('a first copy that printed is not printed again after a restart', async () => {
    const { dataDir, printer } = await setup();
    const before = await kiosk(dataDir, printer);
    const { applicationId } = await applyForAllowance(before);
    expect(await rpcCall(before, 'receipt.print', { applicationId, reprint: false })).toEqual({ outcome: 'printed' });
    expect(titles(printer)).toEqual(['first']);
    await before.close();

    const after = await kiosk(dataDir, printer);
    expect(await after.receipts.print(applicationId, { reprint: false, actor: 'resident' })).toEqual({
      ok: true,
      value: { outcome: 'printed' },
    });
    expect(titles(printer)).toEqual(['first']);
  });

  it('killed the moment the printer took the first copy: after a restart it is not printed again; staff reprint it as 补打', async () => {
    const { dataDir, printer } = await setup();
    const applicationId = await printThenCrash(dataDir, printer);
    expect(titles(printer)).toEqual(['first']);

    const after = await kiosk(dataDir, printer);
    // Whether it came out is not known to the kiosk: the answer sends the resident to staff.
    expect(await after.receipts.print(applicationId, { reprint: false, actor: 'resident' })).toEqual({
      ok: true,
      value: { outcome: 'error' },
    });
    expect(titles(printer)).toEqual(['first']);

    await provisionServices(after);
    await rpcCall(after, 'staff.signIn', { pin: testPins.staff });
    const receiptOf = async () =>
      (await rpcCall(after, 'staff.queue')).items.find((i) => i.applicationId === applicationId)?.receipt;
    expect(await receiptOf()).toBe('in-doubt');
    expect(await rpcCall(after, 'staff.reprint', { applicationId })).toEqual({ outcome: 'printed' });
    expect(titles(printer)).toEqual(['first', '补打']);
    expect(await receiptOf()).toBe('printed');
  });
});
