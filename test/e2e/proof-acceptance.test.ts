import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { A4PrinterDriver } from '../../drivers/a4-printer/a4-printer-driver';
import { startIppPrinterSimulator, type IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import { defaultConfig } from '../../kiosk-config/default-config';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { completedJobsText } from '../support/ipp-jobs';
import { JourneyDriver } from '../support/journey-driver';
import { testPins } from '../support/provisioning';
import { staffSignIn } from '../support/staff-sign-in';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * Issue 15's acceptance in Chromium: a resident taps through their social insurance contribution record
 * for the last 12 months (社保缴费记录打印), the PDF arrives at a
 * real IPP printer (ippeveprinter), its QR opens the platform's public verification page in Chromium
 * and says the document is genuine, and after the session ends nothing naming the resident is left
 * in the page, the kiosk's data folder, or the printer's spool and job history. The printer is the
 * test's own ippeveprinter given to the kiosk by URI (as an installed terminal is configured), so the
 * test can read its spool folder and ask it for its jobs.
 */
const run = promisify(execFile);
const card = decodedSampleCard('resident-rare-char');
let printer: IppPrinterSimulator;
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };
let work: string;

beforeAll(async () => {
  [printer, work] = await Promise.all([startIppPrinterSimulator(), mkdtemp(path.join(tmpdir(), 'kiosk-proof-e2e-'))]);
  [kiosk, chromium] = await Promise.all([
    startKioskProcess({
      bundled: true,
      config: { ...defaultConfig, devices: { ...defaultConfig.devices, a4Printer: { kind: 'ipp', uri: printer.uri } } },
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
  await printer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Where, under `root`, the resident's name or ID number appears (UTF-8 and UTF-16). */
async function residentTraces(root: string): Promise<string[]> {
  const found: string[] = [];
  const needles = [card.name, card.idNumber].flatMap((text) => [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
  ]);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    if (needles.some((needle) => bytes.includes(needle))) found.push(file);
  }
  return found;
}

it('prints the 12-month contribution record from taps, verifies its QR in Chromium, and leaves nothing of the resident', async () => {
  const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
  const driver = await new JourneyDriver(page, kiosk).init();

  await driver.openProof('resident-rare-char', 'CONTRIBUTION-RECORD');
  // What the screens show of the resident (masked), to look for again after the wipe.
  const shown = [
    (await page.getByTestId('card-name').textContent()) ?? '',
    (await page.getByTestId('card-id').textContent()) ?? '',
  ];
  expect(shown[0]).toMatch(/\*/);
  await driver.tap('proof-months-12');
  await driver.tap('proof-fetch');
  await page.locator('img.proof-page').waitFor();
  const preview = (await page.locator('img.proof-page').getAttribute('src')) ?? '';
  expect(preview.length).toBeGreaterThan(100);
  await driver.tap('proof-print');
  await page.getByTestId('proof-printed').waitFor({ timeout: 60_000 });

  // The paper: what arrived at the IPP printer is the resident's record, with a QR on it.
  const [arrived] = await printer.received();
  expect(arrived?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdf = path.join(work, 'arrived.pdf');
  await writeFile(pdf, arrived ?? Buffer.alloc(0));
  const text = (await run('pdftotext', [pdf, '-'])).stdout.replace(/\s+/g, '');
  expect(text).toContain(card.name);
  expect(text).toContain('社会保险个人缴费记录');
  // One row per month paid, the last 12 months.
  expect(text.match(/\d{4}-\d{2}企业职工基本养老保险/g)).toHaveLength(12);
  await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', pdf, path.join(work, 'page')]);
  const qr = (await run('zbarimg', ['--quiet', '--raw', path.join(work, 'page-1.png')])).stdout.trim();
  const documentNumber = new URL(qr).searchParams.get('n') ?? '';
  expect(documentNumber).toMatch(/^ZM\d{16}$/);
  expect(text).toContain(documentNumber);

  // Whoever receives the paper scans the QR: the platform's public page, in Chromium, says it is genuine
  // and shows the masked name only.
  const verifier = await chromium.browser.newPage();
  await verifier.goto(qr);
  const verified = (await verifier.locator('body').innerText()).replace(/\s+/g, '');
  expect(verified).toContain('真实有效');
  expect(verified).toContain(documentNumber);
  expect(verified).not.toContain(card.name);
  expect(verified).not.toContain(card.idNumber);
  await verifier.close();

  // The wipe: the resident takes the papers and the card; the session ends.
  await driver.tap('proof-done');
  await driver.takeCardAway();
  await driver.waitScreen('idle');
  const left = await page.evaluate(() => ({
    html: document.documentElement.outerHTML,
    stored: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  for (const trace of [card.name, card.idNumber, documentNumber, ...shown, preview.slice(0, 200)]) {
    expect(left.html).not.toContain(trace);
    expect(left.stored).not.toContain(trace);
  }
  expect(await page.locator('img.proof-page').count()).toBe(0);

  // The search finds the name where it is (so an empty answer means something), then finds none.
  await writeFile(path.join(work, 'control.txt'), card.name);
  expect(await residentTraces(work)).toEqual([path.join(work, 'control.txt')]);
  expect(await residentTraces(kiosk.dataDir)).toEqual([]);
  const logged = kiosk.stderr() + kiosk.stdout();
  expect(logged).toContain('document printed');
  expect(logged).not.toContain(card.idNumber);
  expect(logged).not.toContain(card.name);
  // The printer's spool keeps no job file, and its job history (over IPP) names no one: the job is
  // called by the document number.
  expect(await residentTraces(path.join(printer.dir, 'spool'))).toEqual([]);
  const spool = await readdir(path.join(printer.dir, 'spool'));
  const spooled = await Promise.all(
    spool.map(async (name) => ({ name, bytes: (await readFile(path.join(printer.dir, 'spool', name))).length })),
  );
  expect(spooled.filter(({ bytes }) => bytes > 0)).toEqual([]);
  const jobs = await completedJobsText(printer.uri);
  expect(jobs).toContain(documentNumber);
  expect(jobs).not.toContain(card.name);
  expect(jobs).not.toContain(card.idNumber);
  await context.close();
});

it('paper out mid-document: the resident need not wait, staff reprint it from staff mode once paper is back', async () => {
  const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
  const driver = await new JourneyDriver(page, kiosk).init();
  const before = (await printer.received()).length;
  await printer.setPaper('out');
  await driver.openProof('resident-rare-char', 'CONTRIBUTION-RECORD');
  await driver.tap('proof-fetch');
  await page.locator('img.proof-page').waitFor();
  await driver.tap('proof-print');
  await expect
    .poll(() => page.getByTestId('proof-failed').textContent(), { timeout: 30_000 })
    .toContain('您不用在这里等');
  expect(await seriousViolations(page)).toEqual([]);
  await saveScreens(page, 'proof-paper-out');
  await driver.tap('proof-ok');
  await driver.takeCardAway();
  await driver.waitScreen('idle');

  // Staff: the proof is listed by number, kind and pages, not by whom; paper in, one tap reprints it.
  await staffSignIn(page, testPins.staff, 'staff-queue');
  const row = page.locator('[data-testid^="failed-print-ZM"]');
  await row.waitFor();
  const listed = (await page.getByTestId('failed-prints').innerText()).replace(/\s+/g, '');
  expect(listed).toContain('社保缴费记录打印');
  for (const trace of [card.name, card.idNumber]) expect(listed).not.toContain(trace);
  await saveScreens(page, 'staff-failed-prints');
  const documentNumber = ((await row.getAttribute('data-testid')) ?? '').replace('failed-print-', '');
  // Staff load paper and tap once the printer says it is ready again (its state, not a guessed while).
  await printer.setPaper('in');
  const a4 = new A4PrinterDriver({ uri: printer.uri });
  await expect.poll(async () => (await a4.status()).state).toBe('ready');
  await driver.tap('failed-print-reprint');
  await expect.poll(() => page.getByTestId('failed-print-outcome').textContent()).toContain(documentNumber);
  expect(await row.count()).toBe(0);

  const received = await printer.received();
  expect(received).toHaveLength(before + 1);
  const pdf = path.join(work, 'reprinted.pdf');
  await writeFile(pdf, received.at(-1) ?? Buffer.alloc(0));
  const text = (await run('pdftotext', [pdf, '-'])).stdout.replace(/\s+/g, '');
  expect(text).toContain(documentNumber);
  expect(text).toContain(card.name);
  await context.close();
});
