import { afterEach, describe, expect, it, vi } from 'vitest';
import type { A4JobStatus } from '../../../drivers/a4-printer/a4-printer-driver';
import type { A4PrinterState } from '../../../drivers/a4-printer/ipp-status';
import { recordingLog } from '../../../foundation/log';
import { decodedSampleCard } from '../../../test/support/sample-id-cards';
import { err, ok } from '../../../foundation/result';
import { createSessionService } from '../session/session-service';
import type { Actor } from '../staff/staff-guard';
import type { A4Printer } from './a4-print';
import { createDocumentService } from './document-service';
import { FAILED_PRINT_HOLD_MS } from './failed-prints';

const card = decodedSampleCard('resident-rare-char');
const documentNumber = 'ZM2026120300000042';

/**
 * An A4 printer whose paper runs out on the first job; later jobs wait until the test lets them
 * finish (printed, or stalled on `media-jam`), so a test can act while a reprint is still printing.
 */
function fakePrinter() {
  const jobs: number[] = [];
  const releases: ((outcome: 'printed' | 'jam') => void)[] = [];
  let printing = () => {};
  const job = (jobId: number, state: A4JobStatus['state']): A4JobStatus => ({
    jobId,
    state,
    reasons: [],
    pagesCompleted: undefined,
  });
  const printer: A4Printer = {
    status: (): Promise<A4PrinterState> => Promise.resolve({ state: 'ready', warnings: [] }),
    print: (_pdf, _name) => {
      jobs.push(jobs.length + 1);
      return Promise.resolve(ok(job(jobs.length, 'processing')));
    },
    followUnlessStalled: async (jobId) => {
      if (jobId === 1) return ok({ kind: 'stalled', job: job(jobId, 'processing'), printer: { state: 'media-empty' } });
      const outcome = await new Promise<'printed' | 'jam'>((resolve) => {
        releases.push(resolve);
        printing();
      });
      return outcome === 'printed'
        ? ok({ kind: 'final', job: job(jobId, 'completed') })
        : ok({ kind: 'stalled', job: job(jobId, 'processing'), printer: { state: 'media-jam' } });
    },
    cancel: () => Promise.resolve(ok()),
  };
  return {
    printer,
    jobs,
    /** Resolves once the next job is printing (sent and followed). */
    nextJob: () => new Promise<void>((resolve) => (printing = resolve)),
    finishAll: (outcome: 'printed' | 'jam') => releases.splice(0).forEach((release) => release(outcome)),
  };
}

const staffActor = (audited: string[]): Actor =>
  ({ session: { actor: 'staff:staff' }, audit: (action: string) => audited.push(action) }) as unknown as Actor;

/** A document service whose resident's print failed for paper: the document is held for staff. */
async function withHeldDocument(fake: ReturnType<typeof fakePrinter>) {
  const sessions = createSessionService(recordingLog());
  const documents = createDocumentService({
    sessions,
    applicant: () => card,
    requestDocument: () =>
      Promise.resolve(
        ok({
          outcome: 'issued',
          documentNumber,
          issuedAt: '2026-12-03T02:00:00Z',
          issuingOffice: '县社保中心',
          pageCount: 2,
          sha256: '0'.repeat(64),
          pdf: Buffer.from('%PDF-1.4 fake').toString('base64'),
        }),
      ),
    printer: () => Promise.resolve(fake.printer),
    log: recordingLog(),
    pollMs: 1,
  });
  sessions.start();
  expect((await documents.request('social-insurance-contributions', 12)).ok).toBe(true);
  expect(await documents.print(documentNumber)).toMatchObject({ ok: false, error: { kind: 'print-failed' } });
  sessions.end('finished');
  return documents;
}

describe('reprinting a held document', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a second tap while the reprint still prints sends no second job, and both taps hear it printed', async () => {
    const fake = fakePrinter();
    const documents = await withHeldDocument(fake);

    const audited: string[] = [];
    const first = documents.reprint(documentNumber, staffActor(audited));
    const second = documents.reprint(documentNumber, staffActor(audited));
    await expect.poll(() => fake.jobs.length).toBe(2);
    fake.finishAll('printed');
    expect(await first).toEqual(ok({ pages: 2 }));
    expect(await second).toEqual(ok({ pages: 2 }));
    expect(fake.jobs).toHaveLength(2); // the resident's failed job and one reprint
    expect(audited).toEqual(['document.reprinted']);
    expect(documents.failedPrints.list()).toEqual([]);
    documents.close();
  });

  it('a reprint that fails after the hold ran out does not hold the PDF again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fake = fakePrinter();
    const documents = await withHeldDocument(fake);
    const sent = fake.nextJob();
    const reprinted = documents.reprint(documentNumber, staffActor([]));
    await sent;
    // Staff tapped just before the hold ran out; the printer jams while the reprint prints.
    vi.advanceTimersByTime(FAILED_PRINT_HOLD_MS);
    expect(documents.failedPrints.list()).toEqual([]);
    fake.finishAll('jam');
    expect(await reprinted).toEqual(err({ kind: 'print-failed', state: 'media-jam' }));
    expect(documents.failedPrints.list()).toEqual([]);
    documents.close();
  });
});
