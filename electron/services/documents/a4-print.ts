import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import { isBusyRefusal, type A4PrinterDriver } from '../../../drivers/a4-printer/a4-printer-driver';
import type { A4PrinterState } from '../../../drivers/a4-printer/ipp-status';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { A4PrinterStateName } from '../../api/document-contract';

/**
 * One attempt at printing a PDF on the A4 printer, the one way every A4 page leaves the kiosk (a
 * resident's proof, a staff reprint, the technician's test page): wait while the printer is busy
 * with another job, send, follow the job to its end, or give up (and cancel) once the printer needs
 * a person. Logs name the job by its name (a document number or "test-page"), never the person.
 */
export type A4Printer = Pick<A4PrinterDriver, 'status' | 'print' | 'followUnlessStalled' | 'cancel'>;

export type A4PrintOutcome = Result<
  { readonly pages: number },
  { readonly state: A4PrinterStateName; readonly pagesPrinted: number }
>;

/** How long a print waits for a printer busy with another job before it sends anyway. */
const BUSY_WAIT_MS = 30_000;

/**
 * The printer's state once it is no longer busy with another job (bounded): a printer without a queue
 * of its own refuses a job while it prints one, e.g. just after a cancelled job leaves its engine.
 */
async function whileBusy(printer: A4Printer, pollMs: number, monotonic: MonotonicClock): Promise<A4PrinterState> {
  // On the monotonic clock: a wall clock set back must not keep a print waiting for hours.
  const deadline = monotonic.elapsedMs() + BUSY_WAIT_MS;
  for (;;) {
    const state = await printer.status();
    if (state.state !== 'busy' || monotonic.elapsedMs() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function printOnce(
  printer: A4Printer | null,
  job: { readonly pdf: Buffer; readonly name: string; readonly pages: number },
  options: { readonly log: Log; readonly pollMs?: number; readonly monotonic?: MonotonicClock },
): Promise<A4PrintOutcome> {
  const { log } = options;
  const pollMs = options.pollMs ?? 250;
  const documentNumber = job.name;
  if (printer === null) return err({ state: 'not-configured', pagesPrinted: 0 });
  const state = await whileBusy(printer, pollMs, options.monotonic ?? monotonicClock);
  if (state.state !== 'ready' && state.state !== 'busy') return err({ state: state.state, pagesPrinted: 0 });
  // Print queues and their history show job names: callers name jobs by document number, never by person.
  const sent = await printer.print(job.pdf, job.name);
  if (!sent.ok) {
    log.warn({ documentNumber, failure: sent.error.kind }, 'a4 job refused');
    return err({ state: isBusyRefusal(sent.error) ? 'busy' : 'offline', pagesPrinted: 0 });
  }
  const jobId = sent.value.jobId;
  const followed = await printer.followUnlessStalled(jobId, { intervalMs: pollMs });
  if (followed.ok && followed.value.kind === 'final' && followed.value.job.state === 'completed') {
    log.info({ documentNumber, jobId }, 'document printed');
    return ok({ pages: job.pages });
  }
  // A job left waiting would print by itself when paper comes back, and again when it is sent again:
  // cancel it, so what the caller holds is the one way it comes out.
  if (!followed.ok || followed.value.kind === 'stalled') await printer.cancel(jobId);
  const after = followed.ok && followed.value.kind === 'stalled' ? followed.value.printer : await printer.status();
  const failedState = after.state === 'ready' || after.state === 'busy' ? 'error' : after.state;
  log.warn(
    {
      documentNumber,
      jobId,
      job: followed.ok ? followed.value.job.state : followed.error.kind,
      printer: failedState,
    },
    'a4 job failed',
  );
  return err({ state: failedState, pagesPrinted: followed.ok ? (followed.value.job.pagesCompleted ?? 0) : 0 });
}
