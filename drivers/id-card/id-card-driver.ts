import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError } from '../transport/transport';
import { buildSamRequest, type SamCommand } from './sam-frame';
import { SamFrameDecoder, type SamDecoded } from './sam-frame-decoder';
import {
  parseCardReadData,
  parseSamResponse,
  type CardReadLayout,
  type RawCardData,
  type SamResponse,
} from './sam-response';
import { interpretSw3, type SamStatusError } from './sam-status';

/**
 * Speaks the SAM protocol over any Transport: one command at a time (the reader has no request
 * ids, so an answer belongs to whatever was asked last), each with a timeout. Only find and
 * select, which change nothing, are retried after a lost or garbled answer.
 */
export type IdCardDriverError =
  | { readonly kind: 'transport'; readonly command: SamCommand; readonly error: TransportError }
  | { readonly kind: 'timeout'; readonly command: SamCommand }
  | {
      readonly kind: 'bad-frame';
      readonly command: SamCommand;
      readonly reason: 'bad-checksum' | 'bad-length' | 'too-short';
    }
  | { readonly kind: 'status'; readonly command: SamCommand; readonly status: SamStatusError }
  /** A valid frame of the wrong shape (e.g. a late answer to an earlier command). */
  | { readonly kind: 'malformed-response'; readonly command: SamCommand; readonly reason: string };

export interface IdCardDriverOptions {
  readonly transport: Transport;
  readonly log?: Log;
  /** Per command; the reader answers a card read within about a second. */
  readonly commandTimeoutMs?: number;
  /** Extra attempts for find/select after a timeout or garbled answer. */
  readonly retries?: number;
  /**
   * After a timeout the reader may still answer late; before the next request the driver discards
   * whatever arrives for at least this long and until the line has been quiet for QUIET_MS.
   */
  readonly drainAfterTimeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 3000;

const RETRYABLE: ReadonlySet<SamCommand> = new Set(['find-card', 'select-card']);
/** Find answers 4 zero bytes and select 8 on common readers; anything long is not theirs. */
const MAX_SHORT_ANSWER_DATA = 16;
const QUIET_MS = 50;

type Pending = (outcome: Result<SamResponse, IdCardDriverError>) => void;

export class IdCardDriver {
  private readonly transport: Transport;
  private readonly log: Log;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly decoder = new SamFrameDecoder({ minLength: 4 });
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { command: SamCommand; settle: Pending } | null = null;
  private readonly unsubscribe: (() => void)[];
  private readonly drainMs: number;
  /** A request timed out, so a late answer may still be on its way. */
  private answerOwed = false;
  private lastDataAt = 0;

  constructor(options: IdCardDriverOptions) {
    this.transport = options.transport;
    this.log = (options.log ?? silentLog).child({ driver: 'id-card' });
    this.timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.retries = options.retries ?? 1;
    this.drainMs = options.drainAfterTimeoutMs ?? 200;
    this.unsubscribe = [
      this.transport.onData((chunk) => {
        this.lastDataAt = performance.now();
        for (const event of this.decoder.push(chunk)) this.onDecoded(event);
      }),
      this.transport.onClose((error) => {
        this.decoder.reset();
        const p = this.pending;
        if (p !== null)
          p.settle(
            err({
              kind: 'transport',
              command: p.command,
              error: error ?? { kind: 'disconnected', message: 'the link was closed' },
            }),
          );
      }),
    ];
  }

  /** Stop listening to the transport (it is not closed: its owner does that). */
  dispose(): void {
    for (const u of this.unsubscribe) u();
  }

  findCard(): Promise<Result<void, IdCardDriverError>> {
    return this.shortCommand('find-card');
  }

  selectCard(): Promise<Result<void, IdCardDriverError>> {
    return this.shortCommand('select-card');
  }

  resetSam(): Promise<Result<void, IdCardDriverError>> {
    return this.shortCommand('reset-sam');
  }

  samSelfCheck(): Promise<Result<void, IdCardDriverError>> {
    return this.shortCommand('sam-self-check');
  }

  /** The SAM module's 16-byte id, as upper-case hex (its printed form varies by vendor). */
  async readSamId(): Promise<Result<string, IdCardDriverError>> {
    const r = await this.command('read-sam-id');
    if (!r.ok) return r;
    if (r.value.data.length !== 16)
      return err({
        kind: 'malformed-response',
        command: 'read-sam-id',
        reason: `SAM id of ${r.value.data.length} bytes`,
      });
    return ok([...r.value.data].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(''));
  }

  /** 30 01 (text + photo) or 30 10 (text + photo + fingerprint). Not retried: a failed read needs a new find. */
  async readCard(layout: CardReadLayout = 'text-photo'): Promise<Result<RawCardData, IdCardDriverError>> {
    const command: SamCommand = layout === 'text-photo' ? 'read-text-photo' : 'read-text-photo-fingerprint';
    const r = await this.command(command);
    if (!r.ok) return r;
    const data = parseCardReadData(layout, r.value.data);
    if (!data.ok) return err({ kind: 'malformed-response', command, reason: data.error.reason });
    return data;
  }

  private async shortCommand(command: SamCommand): Promise<Result<void, IdCardDriverError>> {
    const r = await this.command(command);
    if (!r.ok) return r;
    if (r.value.data.length > MAX_SHORT_ANSWER_DATA)
      return err({ kind: 'malformed-response', command, reason: `${r.value.data.length} data bytes` });
    return ok();
  }

  /** Queues the command behind any running one; retries where safe; checks SW3. */
  private command(command: SamCommand): Promise<Result<SamResponse, IdCardDriverError>> {
    const run = async (): Promise<Result<SamResponse, IdCardDriverError>> => {
      const attempts = RETRYABLE.has(command) ? 1 + this.retries : 1;
      let last: Result<SamResponse, IdCardDriverError> | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        last = await this.exchange(command);
        if (last.ok || (last.error.kind !== 'timeout' && last.error.kind !== 'bad-frame')) break;
        if (attempt < attempts)
          this.log.debug({ command, problem: last.error.kind, attempt }, 'retrying reader command');
      }
      if (last === undefined) throw new Error('unreachable: no attempt made');
      if (!last.ok) return last;
      const status = interpretSw3(command, last.value.sw3);
      return status.ok ? last : err({ kind: 'status', command, status: status.error });
    };
    const result = this.queue.then(run, run);
    this.queue = result;
    return result;
  }

  /** Lets a late answer to a timed-out request arrive and be dropped, so it is not taken for the next one's. */
  private async drainLateAnswers(): Promise<void> {
    const started = performance.now();
    const deadline = started + Math.max(this.drainMs, this.timeoutMs);
    for (;;) {
      const now = performance.now();
      if (now >= deadline || (now - started >= this.drainMs && now - this.lastDataAt >= QUIET_MS)) break;
      await new Promise((r) => setTimeout(r, QUIET_MS / 2));
    }
    this.answerOwed = false;
    this.log.debug({ waitedMs: Math.round(performance.now() - started) }, 'drained the line after a timeout');
  }

  /** One request/response exchange. */
  private async exchange(command: SamCommand): Promise<Result<SamResponse, IdCardDriverError>> {
    if (this.answerOwed) await this.drainLateAnswers();
    return new Promise((resolve) => {
      // Whatever is still buffered belongs to an earlier, abandoned exchange.
      this.decoder.reset();
      const settle: Pending = (outcome) => {
        if (this.pending?.settle !== settle) return;
        this.pending = null;
        clearTimeout(timer);
        resolve(outcome);
      };
      this.pending = { command, settle };
      // settle runs only asynchronously, after `timer` is initialised.
      const timer = setTimeout(() => {
        this.decoder.reset();
        this.answerOwed = true;
        settle(err({ kind: 'timeout', command }));
      }, this.timeoutMs);
      void this.transport.write(buildSamRequest(command)).then((written) => {
        if (!written.ok) settle(err({ kind: 'transport', command, error: written.error }));
      });
    });
  }

  private onDecoded(event: SamDecoded): void {
    const p = this.pending;
    if (p === null) {
      this.log.debug({ event: event.kind }, 'reader sent something nobody asked for; ignored');
      return;
    }
    switch (event.kind) {
      case 'frame': {
        const response = parseSamResponse(event.body);
        p.settle(
          response.ok ? ok(response.value) : err({ kind: 'bad-frame', command: p.command, reason: response.error }),
        );
        return;
      }
      case 'bad-checksum':
      case 'bad-length':
        this.log.warn({ command: p.command, problem: event.kind }, 'garbled answer from the reader');
        p.settle(err({ kind: 'bad-frame', command: p.command, reason: event.kind }));
        return;
    }
  }
}
