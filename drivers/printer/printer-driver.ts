import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError } from '../transport/transport';
import { EscPos } from './escpos-encoder';
import {
  STATUS_QUERIES,
  StatusStreamParser,
  statusFromRealtime,
  type PrinterStatus,
  type StatusQuery,
} from './printer-status';

/**
 * Talks to one ESC/POS printer over any Transport: one command at a time (a lock, so a status
 * query never lands in the middle of a job's bytes from another caller), writes with a timeout,
 * status by DLE EOT 1..4 with a timeout per reply. Status queries are retried (asking twice is
 * harmless); printing never is — a job that may have reached the printer is not sent again here.
 */
export type PrinterDriverError =
  | { readonly kind: 'transport'; readonly error: TransportError }
  | { readonly kind: 'timeout'; readonly what: 'write' | 'status' };

export interface PrinterDriverOptions {
  readonly log?: Log;
  /** For a job's bytes to be taken by the link, plus the time the slowest link needs for them. */
  readonly writeTimeoutMs?: number;
  /** Slowest expected link speed (9600 baud ≈ 960 bytes/s): big raster jobs get longer to go out. */
  readonly minBytesPerSecond?: number;
  /** For each status reply byte. */
  readonly statusTimeoutMs?: number;
  /** Extra attempts for a status query after a timeout. */
  readonly statusRetries?: number;
}

export function describeDriverError(error: PrinterDriverError): string {
  switch (error.kind) {
    case 'transport':
      return error.error.message;
    case 'timeout':
      return error.what === 'write'
        ? 'the printer did not take the data in time'
        : 'the printer did not answer the status request';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PrinterDriver {
  private lock: Promise<unknown> = Promise.resolve();
  private readonly parser = new StatusStreamParser();
  private waiter: ((byte: number) => void) | null = null;
  private readonly autoListeners = new Set<(status: PrinterStatus) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly log: Log;
  private readonly writeTimeoutMs: number;
  private readonly minBytesPerSecond: number;
  private readonly statusTimeoutMs: number;
  private readonly statusRetries: number;

  constructor(
    readonly transport: Transport,
    options: PrinterDriverOptions = {},
  ) {
    this.log = (options.log ?? silentLog).child({ printer: transport.description });
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.minBytesPerSecond = options.minBytesPerSecond ?? 960;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 800;
    this.statusRetries = options.statusRetries ?? 2;
    this.unsubscribe.push(transport.onData((chunk) => this.onBytes(chunk)));
  }

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  async open(): Promise<Result<void, PrinterDriverError>> {
    const opened = await this.transport.open();
    return opened.ok ? ok() : err({ kind: 'transport', error: opened.error });
  }

  onClose(listener: (error: TransportError | undefined) => void): () => void {
    return this.transport.onClose(listener);
  }

  /** Automatic status back frames as they arrive (after enableAutoStatus). */
  onAutoStatus(listener: (status: PrinterStatus) => void): () => void {
    this.autoListeners.add(listener);
    return () => this.autoListeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.transport.close();
  }

  /** Sends a print job's bytes. Never retried: the caller decides about reprints. */
  send(bytes: Uint8Array): Promise<Result<void, PrinterDriverError>> {
    const transferMs = (bytes.length / this.minBytesPerSecond) * 1000;
    return this.exclusive(() => this.write(bytes, this.writeTimeoutMs + transferMs));
  }

  /** Asks for automatic status back on every change (online, error, paper). */
  enableAutoStatus(): Promise<Result<void, PrinterDriverError>> {
    return this.exclusive(() => this.write(EscPos.automaticStatusBack(0x0e), this.statusTimeoutMs));
  }

  /** DLE EOT 1..4 → one status; retried on timeout. */
  queryStatus(): Promise<Result<PrinterStatus, PrinterDriverError>> {
    return this.exclusive(async () => {
      let last: PrinterDriverError = { kind: 'timeout', what: 'status' };
      for (let attempt = 0; attempt <= this.statusRetries; attempt++) {
        if (attempt > 0) {
          // A late reply to the timed-out request must not be taken for the next answer.
          await sleep(this.statusTimeoutMs / 2);
          this.log.debug({ attempt }, 'printer status: retrying');
        }
        const replies: Partial<Record<StatusQuery, number>> = {};
        let failed: PrinterDriverError | null = null;
        for (const n of STATUS_QUERIES) {
          const reply = await this.ask(n);
          if (!reply.ok) {
            failed = reply.error;
            break;
          }
          replies[n] = reply.value;
        }
        if (failed === null) {
          const { 1: a = 0x12, 2: b = 0x12, 3: c = 0x12, 4: d = 0x12 } = replies;
          return ok(statusFromRealtime({ 1: a, 2: b, 3: c, 4: d }));
        }
        last = failed;
        if (failed.kind === 'transport') break; // the link is gone; asking again will not help
      }
      return err(last);
    });
  }

  private async ask(n: StatusQuery): Promise<Result<number, PrinterDriverError>> {
    let resolveReply: (byte: number | null) => void = () => {};
    const reply = new Promise<number | null>((resolve) => (resolveReply = resolve));
    this.waiter = (byte) => resolveReply(byte);
    const timer = setTimeout(() => resolveReply(null), this.statusTimeoutMs);
    const closed = this.transport.onClose(() => resolveReply(null));
    try {
      const written = await this.write(EscPos.statusRequest(n), this.statusTimeoutMs);
      if (!written.ok) return written;
      const byte = await reply;
      if (byte !== null) return ok(byte);
      if (!this.transport.isOpen)
        return err({
          kind: 'transport',
          error: { kind: 'disconnected', message: `${this.transport.description} closed` },
        });
      return err({ kind: 'timeout', what: 'status' });
    } finally {
      clearTimeout(timer);
      closed();
      this.waiter = null;
    }
  }

  private onBytes(chunk: Uint8Array): void {
    for (const event of this.parser.push(chunk)) {
      switch (event.kind) {
        case 'realtime':
          if (this.waiter !== null) this.waiter(event.byte);
          else this.log.debug({ byte: event.byte }, 'printer: unsolicited status byte ignored');
          break;
        case 'auto-status':
          for (const l of this.autoListeners) l(event.status);
          break;
        case 'noise':
          break;
      }
    }
  }

  private async write(bytes: Uint8Array, timeoutMs: number): Promise<Result<void, PrinterDriverError>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const result = await Promise.race([this.transport.write(bytes), timeout]);
      if (result === 'timeout') return err({ kind: 'timeout', what: 'write' });
      return result.ok ? ok() : err({ kind: 'transport', error: result.error });
    } finally {
      clearTimeout(timer);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
