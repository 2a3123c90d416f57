import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { freeLoopbackPort, type IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import { recentAudit } from '../../electron/services/store/audit-log';
import { siteConfigPaths } from '../../electron/services/staff/site-config';
import type { KioskServices } from '../../electron/services/kiosk-services';
import { silentLog } from '../../foundation/log';
import { a4StatusLine } from '../../renderer/staff/a4-printer-words';
import { translator } from '../../renderer/i18n/i18n';
import { testPins } from '../support/provisioning';
import { decodedSampleCard } from '../support/sample-id-cards';
import { startA4PrinterFixture, type A4PrinterFixture } from '../support/a4-printer-fixture';
import { rpcCall, rpcFailure } from '../support/services-fixture';

/**
 * The technician sets up the A4 printer (issue 15): its state beside the receipt printer's in plain
 * words, a URI checked with Get-Printer-Attributes before it is kept, a test page followed until it
 * came out. The printer is a real IPP printer (ippeveprinter); only a technician may do any of it.
 */
const run = promisify(execFile);
const zh = translator('zh-CN');
let fixture: A4PrinterFixture | undefined;
let printer: IppPrinterSimulator;
let services: KioskServices;
let dataDir: string;

beforeAll(async () => {
  fixture = await startA4PrinterFixture({ a4: 'none', log: silentLog });
  ({ printer, services, dataDir } = fixture);
});
afterAll(() => fixture?.close());

const savedA4Printer = (): unknown => {
  if (!existsSync(siteConfigPaths(dataDir).current)) return undefined;
  const file = JSON.parse(readFileSync(siteConfigPaths(dataDir).current, 'utf8')) as {
    config: { devices?: { a4Printer?: unknown } };
  };
  return file.config.devices?.a4Printer;
};

it('only a technician may see, change or test the A4 printer', async () => {
  const link = { kind: 'ipp' as const, uri: printer.uri };
  const refused = async () => {
    expect(await rpcFailure(services, 'tech.a4Printer')).toMatchObject({ kind: 'not-allowed' });
    expect(await rpcFailure(services, 'tech.a4Printer.set', { link })).toMatchObject({ kind: 'not-allowed' });
    expect(await rpcFailure(services, 'tech.a4Printer.testPage')).toMatchObject({ kind: 'not-allowed' });
    expect(await rpcFailure(services, 'tech.a4Printer.discover')).toMatchObject({ kind: 'not-allowed' });
  };
  // A resident at the screen (no staff session), then staff who are not technicians.
  await rpcCall(services, 'session.start');
  services.journey.cardRead(decodedSampleCard('resident-rare-char'));
  await refused();
  await rpcCall(services, 'session.end', { reason: 'finished' });
  await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
  await refused();
  await rpcCall(services, 'staff.signOut');
  expect(await printer.received()).toEqual([]);
  expect(savedA4Printer()).toBeUndefined();
});

it('a technician sets the printer by URI (checked first), prints a test page, and reads its state in words', async () => {
  await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
  expect(await rpcCall(services, 'tech.a4Printer')).toMatchObject({
    link: { kind: 'none' },
    state: 'not-configured',
  });

  // DNS-SD through ippfind: a list, or (no Avahi daemon, as on the CI machine) no list and the reason.
  const found = await rpcCall(services, 'tech.a4Printer.discover');
  if (!found.searched) expect(found).toEqual({ printers: [], searched: false, detail: expect.any(String) as string });

  // Nobody answers there: refused in words, nothing kept, nothing changed.
  const nobody = `ipp://127.0.0.1:${await freeLoopbackPort()}/ipp/print`;
  const unreachable = await rpcFailure(services, 'tech.a4Printer.set', { link: { kind: 'ipp', uri: nobody } });
  expect(unreachable.kind).toBe('unreachable');
  expect(unreachable.kind === 'unreachable' ? unreachable.detail : '').toContain('ECONNREFUSED');
  expect(savedA4Printer()).toBeUndefined();
  expect((await rpcCall(services, 'tech.a4Printer')).link).toEqual({ kind: 'none' });
  // Not an IPP address at all: the contract's schema refuses it before any service sees it.
  expect(
    await rpcFailure(services, 'tech.a4Printer.set', { link: { kind: 'ipp', uri: 'http://127.0.0.1/print' } }),
  ).toMatchObject({ kind: 'invalid-params' });

  const set = await rpcCall(services, 'tech.a4Printer.set', { link: { kind: 'ipp', uri: printer.uri } });
  expect(set).toMatchObject({ keptForNextStart: true, printer: { state: 'ready', link: { uri: printer.uri } } });
  expect(set.printer.model).not.toBeNull();
  expect(savedA4Printer()).toEqual({ kind: 'ipp', uri: printer.uri });
  expect(a4StatusLine(set.printer, zh)).toBe('正常，可以打印');

  expect(await rpcCall(services, 'tech.a4Printer.testPage')).toEqual({ pages: 1 });
  const received = await printer.received();
  expect(received).toHaveLength(1);
  const folder = mkdtempSync(join(tmpdir(), 'kiosk-a4-page-'));
  try {
    const file = join(folder, 'page.pdf');
    writeFileSync(file, received[0] ?? Buffer.alloc(0));
    const info = (await run('pdfinfo', [file])).stdout;
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/);
    // pdftotext drops the spaces between CJK characters; compare without them.
    const text = (await run('pdftotext', [file, '-'])).stdout.replace(/\s+/g, '');
    expect(text).toContain('A4打印机测试页');
    expect(text).toContain(services.config.terminal.id);
    expect(text).toContain('127.0.0.1');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  // Paper runs out: the test page does not come out, and the device view says 缺纸 and what to do.
  await printer.setPaper('out');
  expect(await rpcFailure(services, 'tech.a4Printer.testPage')).toEqual({ kind: 'print-failed', state: 'media-empty' });
  const empty = await rpcCall(services, 'tech.a4Printer');
  expect(empty.state).toBe('media-empty');
  expect(a4StatusLine(empty, zh)).toBe('缺纸 · 请放入 A4 纸。');
  // Staff see it too, on their health view.
  const health = await rpcCall(services, 'staff.health');
  expect(health.problems).toContain('a4-printer-attention');
  expect(health.a4Printer.state).toBe('media-empty');
  await printer.setPaper('in');
  await vi.waitFor(async () => expect((await rpcCall(services, 'tech.a4Printer')).state).toBe('ready'), {
    timeout: 20_000,
    interval: 100,
  });
  expect(await printer.received()).toHaveLength(1);

  // The printer goes away: offline, with the reason for the technician.
  await printer.stop();
  const gone = await rpcCall(services, 'tech.a4Printer');
  expect(gone.state).toBe('offline');
  expect(gone.detail).toContain('ECONNREFUSED');
  expect(a4StatusLine(gone, zh)).toContain('连不上打印机');
  await printer.start();

  const actions = recentAudit(services.store.db).map((row) => row.action);
  expect(actions).toEqual(
    expect.arrayContaining(['tech.a4-printer-refused', 'tech.a4-printer-set', 'tech.a4-test-page']),
  );
  expect(services.store.verifyAudit()).toMatchObject({ ok: true });
  await rpcCall(services, 'staff.signOut');
});
