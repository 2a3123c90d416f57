import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import {
  decodeIppAnswer,
  encodeGetPrinterAttributes,
  encodeJobRequest,
  encodePrintJob,
  firstNumber,
  IppOperation,
  isIppSuccess,
  keywords,
  type IppAnswer,
} from './ipp-message';
import {
  a4StateFromIpp,
  isFinalJobState,
  jobStateFromIpp,
  needsAPerson,
  type A4PrinterState,
  type IppJobState,
} from './ipp-status';
import { parsePrinterUri, postIpp, type IppEndpoint, type IppTransportError } from './ipp-transport';

/**
 * One A4 printer (a CUPS queue or an IPP Everywhere printer) by its URI: status, submit a PDF,
 * follow the job. Logs carry job ids, sizes and states, never the document or its name.
 */
export type A4DriverError =
  | IppTransportError
  | { readonly kind: 'malformed-answer'; readonly message: string }
  | { readonly kind: 'refused'; readonly statusCode: number; readonly message: string };

export interface A4JobStatus {
  readonly jobId: number;
  readonly state: IppJobState;
  readonly reasons: readonly string[];
  readonly pagesCompleted: number | undefined;
}

/** How a followed job ended: final, or stalled on the printer waiting for a person. */
export type A4JobOutcome =
  | { readonly kind: 'final'; readonly job: A4JobStatus }
  | { readonly kind: 'stalled'; readonly job: A4JobStatus; readonly printer: A4PrinterState };

export interface A4PrinterDriverOptions {
  readonly uri: string;
  readonly timeoutMs?: number;
  readonly log?: Log;
}

export class A4PrinterDriver {
  private readonly endpoint: Result<IppEndpoint, IppTransportError>;
  private readonly timeoutMs: number;
  private readonly log: Log;
  private requestId = 0;

  constructor(options: A4PrinterDriverOptions) {
    this.endpoint = parsePrinterUri(options.uri);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.log = options.log ?? silentLog;
  }

  /** Unreachable printers are `offline` (with the reason), not failures: that is their state. */
  async status(): Promise<A4PrinterState> {
    const probed = await this.probe();
    return probed.ok ? probed.value.state : { state: 'offline', reason: describeA4DriverError(probed.error) };
  }

  /**
   * Get-Printer-Attributes, telling a printer that answered (whatever its state) from an address
   * where no IPP printer answers: the technician's check before a URI is kept.
   */
  async probe(): Promise<Result<{ state: A4PrinterState; model: string | null }, A4DriverError>> {
    const answer = await this.exchange((uri, id) => encodeGetPrinterAttributes(uri, id));
    if (!answer.ok) return answer;
    return ok({
      state: a4StateFromIpp(
        firstNumber(answer.value, 'printer-state'),
        keywords(answer.value, 'printer-state-reasons'),
      ),
      model: keywords(answer.value, 'printer-make-and-model')[0] ?? null,
    });
  }

  async print(pdf: Buffer, jobName: string): Promise<Result<A4JobStatus, A4DriverError>> {
    const answer = await this.exchange((uri, id) => encodePrintJob(uri, id, { jobName }), pdf);
    if (!answer.ok) return answer;
    const job = jobStatusOf(answer.value);
    if (job === undefined)
      return err({ kind: 'malformed-answer', message: 'Print-Job answer without job-id/job-state' });
    this.log.info({ jobId: job.jobId, bytes: pdf.length, state: job.state }, 'a4 job submitted');
    return ok(job);
  }

  async job(jobId: number): Promise<Result<A4JobStatus, A4DriverError>> {
    const answer = await this.exchange((uri, id) => encodeJobRequest(IppOperation.getJobAttributes, uri, id, jobId));
    if (!answer.ok) return answer;
    const job = jobStatusOf(answer.value, jobId);
    if (job === undefined) return err({ kind: 'malformed-answer', message: 'job answer without job-state' });
    return ok(job);
  }

  /** Asks for the job's state until it is final (completed, aborted, canceled), telling each change. */
  async follow(
    jobId: number,
    options: { intervalMs?: number; timeoutMs?: number; onChange?: (job: A4JobStatus) => void } = {},
  ): Promise<Result<A4JobStatus, A4DriverError>> {
    const outcome = await this.track(jobId, options, false);
    return outcome.ok ? ok(outcome.value.job) : outcome;
  }

  /**
   * Like `follow`, but gives up while the job is unfinished once the printer reports a condition that
   * needs a person (paper out, jam, door open, toner empty: see `needsAPerson`): a printer holds such a
   * job, processing, until someone comes, and nobody should wait at the screen for that.
   */
  async followUnlessStalled(
    jobId: number,
    options: { intervalMs?: number; timeoutMs?: number } = {},
  ): Promise<Result<A4JobOutcome, A4DriverError>> {
    return this.track(jobId, options, true);
  }

  private async track(
    jobId: number,
    options: { intervalMs?: number; timeoutMs?: number; onChange?: (job: A4JobStatus) => void },
    stopWhenStalled: boolean,
  ): Promise<Result<A4JobOutcome, A4DriverError>> {
    const intervalMs = options.intervalMs ?? 250;
    // Elapsed time: a wall clock stepped back must not keep a job followed for hours.
    const deadline = performance.now() + (options.timeoutMs ?? 5 * 60_000);
    let last: IppJobState | undefined;
    for (;;) {
      const job = await this.job(jobId);
      if (!job.ok) return job;
      if (job.value.state !== last) {
        last = job.value.state;
        this.log.info({ jobId, state: last, reasons: job.value.reasons }, 'a4 job state');
        options.onChange?.(job.value);
      }
      if (isFinalJobState(job.value.state)) return ok({ kind: 'final', job: job.value });
      if (stopWhenStalled) {
        const printer = await this.status();
        if (needsAPerson(printer)) {
          this.log.warn({ jobId, printer: printer.state }, 'a4 job stalled');
          return ok({ kind: 'stalled', job: job.value, printer });
        }
      }
      if (performance.now() > deadline)
        return err({ kind: 'timeout', message: `job ${jobId} still ${last} after the deadline` });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  async cancel(jobId: number): Promise<Result<void, A4DriverError>> {
    const answer = await this.exchange((uri, id) => encodeJobRequest(IppOperation.cancelJob, uri, id, jobId));
    return answer.ok ? ok() : answer;
  }

  private async exchange(
    encode: (printerUri: string, requestId: number) => Buffer,
    document?: Buffer,
  ): Promise<Result<IppAnswer, A4DriverError>> {
    if (!this.endpoint.ok) return this.endpoint;
    this.requestId = (this.requestId % 0x7fffffff) + 1;
    const body = await postIpp(
      this.endpoint.value,
      encode(this.endpoint.value.printerUri, this.requestId),
      document,
      this.timeoutMs,
    );
    if (!body.ok) return body;
    const answer = decodeIppAnswer(body.value);
    if (!answer.ok) return answer;
    if (!isIppSuccess(answer.value.statusCode)) {
      const message = keywords(answer.value, 'status-message')[0] ?? '';
      return err({ kind: 'refused', statusCode: answer.value.statusCode, message });
    }
    return answer;
  }
}

function jobStatusOf(answer: IppAnswer, knownJobId?: number): A4JobStatus | undefined {
  const jobId = firstNumber(answer, 'job-id') ?? knownJobId;
  const state = jobStateFromIpp(firstNumber(answer, 'job-state'));
  if (jobId === undefined || state === undefined) return undefined;
  return {
    jobId,
    state,
    reasons: keywords(answer, 'job-state-reasons'),
    pagesCompleted: firstNumber(answer, 'job-impressions-completed'),
  };
}

/**
 * server-error-busy (RFC 8011 §13.1.5.8): a printer without a queue of its own (ippeveprinter, many
 * IPP Everywhere printers) refuses a job while it prints another; the job can be sent again later.
 */
export function isBusyRefusal(error: A4DriverError): boolean {
  return error.kind === 'refused' && error.statusCode === 0x0507;
}

export function describeA4DriverError(error: A4DriverError): string {
  switch (error.kind) {
    case 'refused':
      return `the printer refused (IPP status 0x${error.statusCode.toString(16).padStart(4, '0')}${error.message ? `: ${error.message}` : ''})`;
    case 'bad-uri':
    case 'unreachable':
    case 'timeout':
    case 'http-error':
    case 'malformed-answer':
      return `${error.kind}: ${error.message}`;
  }
}
