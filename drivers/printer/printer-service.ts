import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import type { ReceiptDocument } from '../receipt/receipt-model';
import { describeModelError } from '../receipt/receipt-model';
import { renderEscPos } from '../receipt/render-escpos';
import { testPage, type TestPageOptions } from '../receipt/test-page';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport } from '../transport/transport';
import { PrinterDriver, describeDriverError, type PrinterDriverOptions } from './printer-driver';
import type { PrinterProfile } from './printer-profiles';
import type { PrinterStatus } from './printer-status';

/**
 * The receipt printer as the kiosk sees it: a state with change events, and print jobs with ids.
 * Rules: check status before printing; never send a job twice on its own (a job that may have
 * reached the printer is left pending for staff to reprint); a completed id submitted again gets
 * the earlier result unless a reprint is asked; paper out during a job leaves it pending.
 * Logs carry job ids and byte counts only, never receipt content.
 */
export type PrinterState =
  | { readonly state: 'ready' }
  | { readonly state: 'busy' }
  | { readonly state: 'no-device'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string }
  | { readonly state: 'paper-near-end' }
  | { readonly state: 'paper-out' }
  | { readonly state: 'cover-open' };

export interface PrintJob {
  readonly id: string;
  readonly document: ReceiptDocument;
}

/** A job that came out of the printer. */
export interface PrintedJob {
  readonly jobId: string;
  readonly bytes: number;
  readonly printedAt: string;
  readonly reprint: boolean;
  /** false when the link cannot report status (USB lp file): sent, but not confirmed. */
  readonly confirmed: boolean;
  readonly paperNearEnd: boolean;
}

export type PrintFailureKind =
  | 'no-device' // could not reach the printer (nothing sent)
  | 'paper-out'
  | 'cover-open'
  | 'printer-error'
  | 'send-failed' // sending broke off: part of the job may have printed
  | 'unconfirmed' // sent, but the printer did not answer the check afterwards
  | 'invalid-document'
  | 'unknown-job';

export interface PrintFailure {
  readonly kind: PrintFailureKind;
  readonly jobId: string;
  readonly message: string;
  /** The job is kept for reprint. */
  readonly pending: boolean;
}

export interface PendingJob {
  readonly id: string;
  readonly reason: PrintFailureKind;
  readonly since: string;
}

export interface PrinterServiceOptions {
  /** Makes a fresh, unopened link to the printer (called again after a disconnect). */
  readonly connect: () => Transport;
  readonly profile: PrinterProfile;
  readonly log?: Log;
  /** Status polling interval; 0 disables polling. */
  readonly pollIntervalMs?: number;
  /** false for links that cannot read back (USB lp file): print without checks. */
  readonly statusAvailable?: boolean;
  readonly driver?: PrinterDriverOptions;
  readonly now?: () => Date;
  /** How many completed jobs are remembered for duplicate detection. */
  readonly rememberJobs?: number;
  /**
   * How many jobs not completed are kept, with their documents, for a reprint by id: the newest
   * (default 20). The kiosk reprints from its store under a new id, so a job it gave up on would
   * otherwise hold its receipt in memory for good.
   */
  readonly keepPending?: number;
}

export function stateFromStatus(status: PrinterStatus): PrinterState {
  if (status.coverOpen) return { state: 'cover-open' };
  if (status.paper === 'out') return { state: 'paper-out' };
  if (status.error !== null) return { state: 'error', reason: `printer reports a ${status.error} error` };
  if (!status.online) return { state: 'error', reason: 'printer is offline' };
  if (status.paper === 'near-end') return { state: 'paper-near-end' };
  return { state: 'ready' };
}

function failureFor(state: PrinterState): { kind: PrintFailureKind; message: string } | null {
  switch (state.state) {
    case 'ready':
    case 'paper-near-end':
    case 'busy':
      return null;
    case 'paper-out':
      return { kind: 'paper-out', message: 'printer is out of paper' };
    case 'cover-open':
      return { kind: 'cover-open', message: 'printer cover is open' };
    case 'error':
      return { kind: 'printer-error', message: state.reason };
    case 'no-device':
      return { kind: 'no-device', message: state.reason };
  }
}

export class PrinterService {
  private current: PrinterState = { state: 'no-device', reason: 'not started' };
  private driver: PrinterDriver | null = null;
  private connecting: Promise<boolean> | null = null;
  private readonly listeners = new Set<(state: PrinterState) => void>();
  private readonly pending = new Map<
    string,
    PendingJob & { document: ReceiptDocument; failure: PrintFailure; sent: boolean }
  >();
  /**
   * Jobs printed, by id, for duplicate detection: the outcome only. Not the document: a receipt
   * holds a resident's masked name and ID number, and 500 of them stayed in memory for days (the
   * soak, 4 Dec). A printed receipt asked for again is built afresh by whoever printed it (补打).
   */
  private readonly completed = new Map<string, PrintedJob>();
  private readonly inFlight = new Map<string, Promise<Result<PrintedJob, PrintFailure>>>();
  private jobsRunning = 0;
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private status: PrinterStatus | null = null;
  private readonly log: Log;
  private readonly now: () => Date;
  private readonly statusAvailable: boolean;

  constructor(private readonly options: PrinterServiceOptions) {
    this.log = (options.log ?? silentLog).child({ device: 'printer' });
    this.now = options.now ?? (() => new Date());
    this.statusAvailable = options.statusAvailable ?? options.profile.capabilities.statusBack;
  }

  get state(): PrinterState {
    return this.current;
  }

  /** The last status read from the printer (null before the first, or without status). */
  get lastStatus(): PrinterStatus | null {
    return this.status;
  }

  onStateChange(listener: (state: PrinterState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pendingJobs(): readonly PendingJob[] {
    return [...this.pending.values()].map(({ id, reason, since }) => ({ id, reason, since }));
  }

  async start(): Promise<void> {
    await this.refresh();
    const interval = this.options.pollIntervalMs ?? 3000;
    if (interval > 0 && this.poller === null) {
      this.poller = setInterval(() => {
        if (this.polling || this.jobsRunning > 0) return;
        this.polling = true;
        void this.refresh().finally(() => (this.polling = false));
      }, interval);
      this.poller.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.poller !== null) clearInterval(this.poller);
    this.poller = null;
    await Promise.allSettled([...this.inFlight.values()]);
    const driver = this.driver;
    this.driver = null;
    if (driver !== null) await driver.close();
    this.setState({ state: 'no-device', reason: 'stopped' });
  }

  /** Connects if needed and reads the status now. */
  async refresh(): Promise<PrinterState> {
    if (!(await this.ensureConnected())) return this.current;
    if (!this.statusAvailable) {
      if (this.jobsRunning === 0) this.setState({ state: 'ready' });
      return this.current;
    }
    const driver = this.driver;
    if (driver === null) return this.current;
    const status = await driver.queryStatus();
    if (!status.ok) {
      this.setState({ state: 'no-device', reason: describeDriverError(status.error) });
      return this.current;
    }
    this.status = status.value;
    if (this.jobsRunning === 0) this.setState(stateFromStatus(status.value));
    return this.current;
  }

  /**
   * Prints a job once. The same id again returns the first result (no second receipt) unless
   * `reprint` is set; a job already being printed is joined, not started twice.
   */
  print(job: PrintJob, options: { reprint?: boolean } = {}): Promise<Result<PrintedJob, PrintFailure>> {
    const running = this.inFlight.get(job.id);
    if (running !== undefined) return running;
    const done = this.completed.get(job.id);
    if (done !== undefined && options.reprint !== true) {
      this.log.info({ jobId: job.id }, 'print job already printed; returning the earlier result');
      return Promise.resolve(ok(done));
    }
    const stuck = this.pending.get(job.id);
    if (stuck?.sent === true && options.reprint !== true) {
      // Bytes of this job reached the printer once (maybe all of it): only staff may print it again.
      this.log.info(
        { jobId: job.id },
        'print job was sent before and is pending; not printing again without a reprint',
      );
      return Promise.resolve(err(stuck.failure));
    }
    const run = this.run(job.id, job.document, options.reprint === true, true).finally(() =>
      this.inFlight.delete(job.id),
    );
    this.inFlight.set(job.id, run);
    return run;
  }

  /** Staff reprint of a pending job (a printed one is printed again as a new job, built afresh). */
  reprint(id: string): Promise<Result<PrintedJob, PrintFailure>> {
    const document = this.pending.get(id)?.document;
    if (document === undefined) {
      return Promise.resolve(
        err({
          kind: 'unknown-job',
          jobId: id,
          message: this.completed.has(id) ? 'job printed; its content is not kept' : 'no such job on this terminal',
          pending: false,
        }),
      );
    }
    return this.print({ id, document }, { reprint: true });
  }

  /** Prints the test page and reads the status afterwards. */
  async selfTest(
    options: TestPageOptions,
  ): Promise<Result<{ outcome: PrintedJob; status: PrinterStatus | null }, PrintFailure>> {
    const id = `self-test-${this.now().getTime()}`;
    const result = await this.run(id, testPage(this.options.profile, options), false, false);
    if (!result.ok) return result;
    return ok({ outcome: result.value, status: this.status });
  }

  private async run(
    id: string,
    document: ReceiptDocument,
    reprint: boolean,
    track: boolean,
  ): Promise<Result<PrintedJob, PrintFailure>> {
    const rendered = renderEscPos(document, this.options.profile, this.log);
    if (!rendered.ok) {
      const message = describeModelError(rendered.error);
      this.log.warn({ jobId: id }, `print job rejected: ${message}`);
      return err({ kind: 'invalid-document', jobId: id, message, pending: false });
    }
    const bytes = rendered.value.bytes;
    let sent = false;
    const fail = (kind: PrintFailureKind, message: string): Result<never, PrintFailure> => {
      const failure: PrintFailure = { kind, jobId: id, message, pending: track };
      if (track) {
        const earlier = this.pending.get(id);
        this.pending.delete(id);
        this.pending.set(id, {
          id,
          reason: kind,
          since: earlier?.since ?? this.now().toISOString(),
          document,
          failure,
          sent: sent || earlier?.sent === true,
        });
        const keep = this.options.keepPending ?? 20;
        for (const oldest of this.pending.keys()) {
          if (this.pending.size <= keep) break;
          this.pending.delete(oldest);
        }
      }
      this.log.warn(
        { jobId: id, bytes: bytes.length, reason: kind, pending: track, sent },
        `print job not completed: ${message}`,
      );
      return err(failure);
    };

    this.jobsRunning++;
    try {
      if (!(await this.ensureConnected()) || this.driver === null) return fail('no-device', this.reason());
      const driver = this.driver;
      if (this.statusAvailable) {
        const before = await driver.queryStatus();
        if (!before.ok) {
          this.setState({ state: 'no-device', reason: describeDriverError(before.error) });
          return fail('no-device', describeDriverError(before.error));
        }
        this.status = before.value;
        const blocked = failureFor(stateFromStatus(before.value));
        if (blocked !== null) {
          this.setState(stateFromStatus(before.value));
          return fail(blocked.kind, blocked.message);
        }
      }
      this.setState({ state: 'busy' });
      this.log.info({ jobId: id, bytes: bytes.length, reprint }, 'print job sending');
      sent = true; // from here on, part of the job may be on paper
      const written = await driver.send(bytes);
      if (!written.ok) {
        await this.refreshAfterJob();
        return fail('send-failed', describeDriverError(written.error));
      }
      let paperNearEnd = false;
      if (this.statusAvailable) {
        const after = await driver.queryStatus();
        if (!after.ok) {
          this.setState({ state: 'no-device', reason: describeDriverError(after.error) });
          return fail('unconfirmed', `sent, but ${describeDriverError(after.error)}`);
        }
        this.status = after.value;
        const state = stateFromStatus(after.value);
        this.setState(state);
        const problem = failureFor(state);
        if (problem !== null) return fail(problem.kind, `${problem.message} (during the job)`);
        paperNearEnd = state.state === 'paper-near-end';
      } else {
        this.setState({ state: 'ready' });
      }
      const outcome: PrintedJob = {
        jobId: id,
        bytes: bytes.length,
        printedAt: this.now().toISOString(),
        reprint,
        confirmed: this.statusAvailable,
        paperNearEnd,
      };
      if (track) this.remember(id, outcome);
      this.log.info({ jobId: id, bytes: bytes.length, reprint, confirmed: outcome.confirmed }, 'print job printed');
      return ok(outcome);
    } finally {
      this.jobsRunning--;
    }
  }

  private remember(id: string, outcome: PrintedJob): void {
    this.pending.delete(id);
    this.completed.delete(id);
    this.completed.set(id, outcome);
    const limit = this.options.rememberJobs ?? 500;
    for (const oldest of this.completed.keys()) {
      if (this.completed.size <= limit) break;
      this.completed.delete(oldest);
    }
  }

  private async refreshAfterJob(): Promise<void> {
    if (this.driver === null || !this.driver.isOpen) return;
    const status = this.statusAvailable ? await this.driver.queryStatus() : null;
    if (status?.ok === true) this.setState(stateFromStatus(status.value));
    else if (status !== null) this.setState({ state: 'no-device', reason: 'printer does not answer' });
  }

  private reason(): string {
    return this.current.state === 'no-device' ? this.current.reason : 'printer not connected';
  }

  private ensureConnected(): Promise<boolean> {
    if (this.driver?.isOpen === true) return Promise.resolve(true);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<boolean> {
    const old = this.driver;
    this.driver = null;
    if (old !== null) await old.close();
    const transport = this.options.connect();
    const driver = new PrinterDriver(transport, { ...this.options.driver, log: this.log });
    const opened = await driver.open();
    if (!opened.ok) {
      await driver.close();
      this.setState({ state: 'no-device', reason: describeDriverError(opened.error) });
      return false;
    }
    this.driver = driver;
    this.log.info({ transport: transport.description }, 'printer link open');
    driver.onClose((error) => {
      if (this.driver !== driver) return;
      this.driver = null;
      this.setState({ state: 'no-device', reason: error?.message ?? 'printer link closed' });
    });
    if (this.statusAvailable) {
      driver.onAutoStatus((status) => {
        this.status = status;
        if (this.jobsRunning === 0) this.setState(stateFromStatus(status));
      });
      if (this.options.profile.capabilities.statusBack) await driver.enableAutoStatus();
    }
    return true;
  }

  private setState(next: PrinterState): void {
    const prev = this.current;
    if (JSON.stringify(prev) === JSON.stringify(next)) return;
    this.current = next;
    this.log.info(
      { from: prev.state, to: next.state, ...('reason' in next ? { reason: next.reason } : {}) },
      'printer state changed',
    );
    for (const l of this.listeners) l(next);
  }
}
