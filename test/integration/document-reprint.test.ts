import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import { recentAudit } from '../../electron/services/store/audit-log';
import type { KioskServices } from '../../electron/services/kiosk-services';
import { recordingLog, type RecordedLine } from '../../foundation/log';
import { testPins } from '../support/provisioning';
import { decodedSampleCard } from '../support/sample-id-cards';
import { startA4PrinterFixture, type A4PrinterFixture } from '../support/a4-printer-fixture';
import { rpcCall, rpcFailure } from '../support/services-fixture';

/**
 * Paper runs out in the middle of a resident's proof (issue 15): the resident is told at once and
 * need not wait; the document is held in memory for staff, listed without the person's name, and
 * reprinted by staff — only by staff — once paper is back. The printer is a real IPP printer
 * (ippeveprinter) whose engine stops with `media-empty` while the job is processing.
 */
const card = decodedSampleCard('resident-rare-char');
let fixture: A4PrinterFixture | undefined;
let printer: IppPrinterSimulator;
let services: KioskServices;
const log: RecordedLine[] = [];

beforeAll(async () => {
  fixture = await startA4PrinterFixture({ a4: 'attached', log: recordingLog(log) });
  ({ printer, services } = fixture);
});
afterAll(() => fixture?.close());

it('paper out mid-document: the resident is told, staff reprint once paper is back, the same PDF arrives', async () => {
  await rpcCall(services, 'session.start');
  services.journey.cardRead(card);
  const issued = await rpcCall(services, 'document.request', { type: 'social-insurance-contributions', months: 12 });

  // The printer takes the job, then its engine runs out of paper with the job processing.
  await printer.setPaper('out');
  expect(await rpcFailure(services, 'document.print', { documentNumber: issued.documentNumber })).toEqual({
    kind: 'print-failed',
    state: 'media-empty',
    pagesPrinted: 0,
  });
  // The resident leaves; the wipe does not take the held document with it.
  await rpcCall(services, 'session.end', { reason: 'finished' });

  // Nobody but staff may see or reprint it.
  expect(await rpcFailure(services, 'staff.documents.failed')).toMatchObject({ kind: 'not-allowed' });
  expect(
    await rpcFailure(services, 'staff.documents.reprint', { documentNumber: issued.documentNumber }),
  ).toMatchObject({ kind: 'not-allowed' });

  await printer.setPaper('in');
  await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
  const { items } = await rpcCall(services, 'staff.documents.failed');
  expect(items).toEqual([
    expect.objectContaining({
      documentNumber: issued.documentNumber,
      type: 'social-insurance-contributions',
      pages: issued.pageCount,
      state: 'media-empty',
    }),
  ]);
  const listed = JSON.stringify(items);
  for (const trace of [card.name, card.idNumber, '李']) expect(listed).not.toContain(trace);
  expect(Date.parse(items[0]?.expiresAt ?? '') - Date.parse(items[0]?.failedAt ?? '')).toBeGreaterThan(0);

  expect(await rpcCall(services, 'staff.documents.reprint', { documentNumber: issued.documentNumber })).toEqual({
    pages: issued.pageCount,
  });
  // The stalled job was cancelled, so the reprint is the only copy that came out; it is the issued PDF.
  const received = await printer.received();
  expect(received).toHaveLength(1);
  expect(
    createHash('sha256')
      .update(received[0] ?? '')
      .digest('hex'),
  ).toBe(issued.sha256);

  // Reprinted: dropped, and audited under the staff member.
  expect((await rpcCall(services, 'staff.documents.failed')).items).toEqual([]);
  expect(
    await rpcFailure(services, 'staff.documents.reprint', { documentNumber: issued.documentNumber }),
  ).toMatchObject({ kind: 'not-found' });
  const audited = recentAudit(services.store.db).find((row) => row.action === 'document.reprinted');
  expect(audited).toMatchObject({ actor: 'staff:staff' });
  expect(audited?.details).toContain(issued.documentNumber);
  expect(services.store.verifyAudit()).toMatchObject({ ok: true });
  await rpcCall(services, 'staff.signOut');

  const logged = JSON.stringify(log);
  expect(logged).toContain('print held for staff');
  expect(logged).not.toContain(card.idNumber);
  expect(logged).not.toContain('李');
});
