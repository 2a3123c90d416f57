import { createHash } from 'node:crypto';
import type { ReadProblemKind } from '../../foundation/id-card-vocabulary';
import { keepAliveTimers, type Timers } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport } from '../transport/transport';
import { IdCardDriver, type IdCardDriverError } from './id-card-driver';
import { decodeIdCardText, type IdCard } from './id-card-text';
import type { CardReadLayout } from './sam-response';
import { describeSamStatus } from './sam-status';

/**
 * Watches the ID-card reader: polls find → select → read, tells listeners when a card was read or
 * taken away, and keeps going through every fault (garbled answers, moved cards, unplugged
 * reader) — problems are events and statuses, never exceptions.
 *
 * Presence rule (why a card that stays is read once). Common readers halt a card after reading
 * it: find then answers 80 until the card is lifted and placed again, exactly as for an empty
 * reader, while select still answers 90 as long as the card lies there. Others keep answering
 * find with 9F. So:
 * - A successful read makes the card *present*, remembered by a SHA-256 of its text block (kept
 *   in memory only, never logged).
 * - While present, find = 80 is followed by a select probe: 90 means the card is still there;
 *   a refusal (81 / 80) counts as a miss, and `removalMisses` misses in a row mean it was taken
 *   away (card-removed). Timeouts and garbled answers are reader faults, not misses.
 * - While present, find = 9F leads to a read; the same text block means the same card still
 *   lying there (no event), another one means the first was swapped (card-removed, card-read).
 * - Losing the reader (unplug) ends presence with card-removed; after reconnecting, a card still
 *   on the reader is read again, as a fresh insertion.
 * Readers that neither re-find nor select a halted card make a card that stays look removed
 * after `removalMisses` polls; it is still read only once, since such a reader will not find it
 * again until it is placed again.
 */
export type IdCardServiceStatus =
  | { readonly state: 'ready' }
  | { readonly state: 'busy' }
  | { readonly state: 'no-device'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string };

/** What the resident should do next; the UI words it. */
export type RetryHint = 'hold-card-still' | 'place-card-again' | 'use-another-document';

export interface ReadProblem {
  readonly kind: ReadProblemKind;
  readonly hint: RetryHint;
  /** Technical cause for logs and technicians (never personal data), e.g. `sw3:41`, `bad-checksum`. */
  readonly cause: string;
}

export interface CardReadEvent {
  readonly card: IdCard;
  /** Raw WLT bytes (decode with a WltPhotoDecoder if one is installed). */
  readonly photo: Uint8Array;
  /** Raw fingerprint data (empty unless read with 30 10 from a card that has it). */
  readonly fingerprint: Uint8Array;
}

export interface IdCardServiceEvents {
  status: IdCardServiceStatus;
  'card-read': CardReadEvent;
  'card-removed': undefined;
  'read-problem': ReadProblem;
}

export interface IdCardServiceOptions {
  readonly transport: Transport;
  readonly log: Log;
  readonly pollIntervalMs?: number;
  /** Wait between attempts to reopen a missing reader. */
  readonly reconnectDelayMs?: number;
  readonly commandTimeoutMs?: number;
  /** Refused presence probes in a row before a card counts as taken away. */
  readonly removalMisses?: number;
  readonly readLayout?: CardReadLayout;
  /** For the ID number's "birth date not in the future" check. */
  readonly today?: () => Date;
  /** The waits between polls and reconnect attempts; tests pass their own to run without waiting. */
  readonly timers?: Timers;
}

export interface SelfTestReport {
  readonly samId: string;
}

export interface SelfTestError {
  readonly kind: 'no-device' | 'self-check-failed' | 'sam-id-failed';
  readonly message: string;
}

type Listener<K extends keyof IdCardServiceEvents> = (payload: IdCardServiceEvents[K]) => void;

export class IdCardService {
  private readonly transport: Transport;
  private readonly driver: IdCardDriver;
  private readonly log: Log;
  private readonly pollIntervalMs: number;
  private readonly reconnectDelayMs: number;
  private readonly removalMisses: number;
  private readonly readLayout: CardReadLayout;
  private readonly today: () => Date;
  private readonly timers: Timers;
  private readonly listeners: { [K in keyof IdCardServiceEvents]: Set<Listener<K>> } = {
    status: new Set(),
    'card-read': new Set(),
    'card-removed': new Set(),
    'read-problem': new Set(),
  };
  private current: IdCardServiceStatus = { state: 'no-device', reason: 'not started' };
  private present: { readonly identity: string } | null = null;
  private misses = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly unsubscribeClose: () => void;

  constructor(options: IdCardServiceOptions) {
    this.transport = options.transport;
    this.log = options.log.child({ service: 'id-card', link: options.transport.description });
    this.driver = new IdCardDriver({
      transport: options.transport,
      log: this.log,
      ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    });
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 2000;
    this.removalMisses = options.removalMisses ?? 2;
    this.readLayout = options.readLayout ?? 'text-photo';
    this.today = options.today ?? (() => new Date());
    this.timers = options.timers ?? keepAliveTimers;
    this.unsubscribeClose = this.transport.onClose((error) => {
      if (error !== undefined) this.deviceLost(error.message);
    });
  }

  get status(): IdCardServiceStatus {
    return this.current;
  }

  on<K extends keyof IdCardServiceEvents>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners[event] as Set<Listener<K>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.info({}, 'ID-card service starting');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    this.unsubscribeClose();
    this.driver.dispose();
    await this.transport.close();
    this.log.info({}, 'ID-card service stopped');
  }

  /** SAM self-check and SAM id: proves the reader's security module works. */
  async selfTest(): Promise<Result<SelfTestReport, SelfTestError>> {
    if (!this.transport.isOpen)
      return err({
        kind: 'no-device',
        message: this.current.state === 'no-device' ? this.current.reason : 'the reader is not connected',
      });
    const check = await this.driver.samSelfCheck();
    if (!check.ok) {
      this.log.warn({ problem: driverCause(check.error) }, 'SAM self-check failed');
      return err({ kind: 'self-check-failed', message: describeDriverError(check.error) });
    }
    const samId = await this.driver.readSamId();
    if (!samId.ok) {
      this.log.warn({ problem: driverCause(samId.error) }, 'reading the SAM id failed');
      return err({ kind: 'sam-id-failed', message: describeDriverError(samId.error) });
    }
    this.log.info({ samId: samId.value }, 'SAM self-test passed');
    return ok({ samId: samId.value });
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!this.transport.isOpen) {
        const opened = await this.transport.open();
        if (!opened.ok) {
          this.deviceLost(opened.error.message);
          await this.sleep(this.reconnectDelayMs);
          continue;
        }
        this.log.info({}, 'reader link open');
      }
      await this.pollOnce();
      await this.sleep(this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timers = this.timers;
      const timer = timers.setTimeout(done, ms);
      function done() {
        timers.clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async pollOnce(): Promise<void> {
    const find = await this.driver.findCard();
    if (find.ok) return this.readCard();
    if (find.error.kind === 'status' && find.error.status.kind === 'no-card') {
      this.setStatus({ state: 'ready' });
      return this.checkPresence();
    }
    this.readerFault(find.error);
  }

  private async checkPresence(): Promise<void> {
    if (this.present === null) return;
    const probe = await this.driver.selectCard();
    if (probe.ok) {
      this.misses = 0;
      return;
    }
    const refused =
      probe.error.kind === 'status' &&
      (probe.error.status.kind === 'select-failed' || probe.error.status.kind === 'no-card');
    // Only a clear "no card" counts: a garbled or late answer says nothing about the card.
    if (!refused) return this.readerFault(probe.error);
    this.misses++;
    if (this.misses >= this.removalMisses) this.cardGone();
  }

  private async readCard(): Promise<void> {
    this.setStatus({ state: 'busy' });
    const selected = await this.driver.selectCard();
    const raw = selected.ok ? await this.driver.readCard(this.readLayout) : selected;
    if (!raw.ok) {
      this.readFailed(raw.error);
      if (this.current.state === 'busy') this.setStatus({ state: 'ready' });
      return;
    }
    this.setStatus({ state: 'ready' });
    const identity = createHash('sha256').update(raw.value.text).digest('hex');
    if (this.present?.identity === identity) {
      this.misses = 0;
      return; // the same card, still lying on the reader
    }
    if (this.present !== null) this.cardGone();
    this.present = { identity };
    this.misses = 0;
    const decoded = decodeIdCardText(raw.value.text, { today: this.today() });
    if (!decoded.ok) {
      const e = decoded.error;
      switch (e.kind) {
        case 'unsupported-card-type':
          return this.problem({
            kind: 'unsupported-card',
            hint: 'use-another-document',
            cause: `card-type:${JSON.stringify(e.typeChar)}`,
          });
        case 'malformed-text':
          return this.problem({ kind: 'bad-read', hint: 'place-card-again', cause: `malformed-field:${e.field}` });
      }
    }
    const card = decoded.value;
    this.log.info(
      {
        cardType: card.cardType,
        idNumberValid: card.idNumberValid,
        photoBytes: raw.value.photo.length,
        fingerprintBytes: raw.value.fingerprint.length,
      },
      'card read',
    );
    this.emit('card-read', { card, photo: raw.value.photo, fingerprint: raw.value.fingerprint });
  }

  private readFailed(error: IdCardDriverError): void {
    switch (error.kind) {
      case 'transport':
        return this.deviceLost(error.error.message);
      case 'timeout':
      case 'bad-frame':
      case 'malformed-response':
        return this.problem({ kind: 'bad-read', hint: 'place-card-again', cause: driverCause(error) });
      case 'status':
        switch (error.status.kind) {
          case 'read-failed':
          case 'select-failed':
          case 'no-card':
            return this.problem({ kind: 'card-moved', hint: 'hold-card-still', cause: driverCause(error) });
          case 'unknown-card-type':
            return this.problem({ kind: 'unsupported-card', hint: 'use-another-document', cause: driverCause(error) });
          case 'sam-self-test-failed':
          case 'sam-not-authorised':
            return this.readerFault(error);
          case 'checksum-error':
          case 'length-error':
          case 'bad-command':
          case 'not-permitted':
          case 'unknown-error':
          case 'auth-failed':
          case 'verification-error':
          case 'random-number-failed':
          case 'no-content':
          case 'unexpected-status':
            return this.problem({ kind: 'bad-read', hint: 'place-card-again', cause: driverCause(error) });
        }
    }
  }

  /** The reader is there but not working: status error, polling goes on. */
  private readerFault(error: IdCardDriverError): void {
    if (error.kind === 'transport') return this.deviceLost(error.error.message);
    this.setStatus({ state: 'error', reason: describeDriverError(error) });
  }

  private deviceLost(reason: string): void {
    if (this.present !== null) this.cardGone();
    this.setStatus({ state: 'no-device', reason });
  }

  private cardGone(): void {
    this.present = null;
    this.misses = 0;
    this.log.info({}, 'card removed');
    this.emit('card-removed', undefined);
  }

  private problem(problem: ReadProblem): void {
    this.log.warn({ kind: problem.kind, cause: problem.cause }, 'card read problem');
    this.emit('read-problem', problem);
  }

  private setStatus(status: IdCardServiceStatus): void {
    const same =
      status.state === this.current.state &&
      ('reason' in status ? status.reason : '') === ('reason' in this.current ? this.current.reason : '');
    if (same) return;
    const previous = this.current.state;
    this.current = status;
    const fields = 'reason' in status ? { state: status.state, reason: status.reason } : { state: status.state };
    const working = (state: IdCardServiceStatus['state']) => state === 'ready' || state === 'busy';
    // ready ↔ busy flips on every read (every poll on readers that keep finding a card): debug level.
    if (working(previous) && working(status.state)) this.log.debug(fields, 'reader status');
    else if (working(status.state)) this.log.info(fields, 'reader status');
    else this.log.warn(fields, 'reader status');
    this.emit('status', status);
  }

  private emit<K extends keyof IdCardServiceEvents>(event: K, payload: IdCardServiceEvents[K]): void {
    for (const listener of this.listeners[event] as Set<Listener<K>>) {
      try {
        listener(payload);
      } catch (error) {
        // A faulty listener must not stop the reader loop.
        this.log.error(
          { event, error: error instanceof Error ? error.message : String(error) },
          'ID-card event listener failed',
        );
      }
    }
  }
}

function driverCause(error: IdCardDriverError): string {
  switch (error.kind) {
    case 'transport':
      return `transport:${error.error.kind}`;
    case 'timeout':
      return `timeout:${error.command}`;
    case 'bad-frame':
      return error.reason;
    case 'status':
      return `sw3:${error.status.sw3.toString(16).padStart(2, '0')}`;
    case 'malformed-response':
      return `malformed-response:${error.command}`;
  }
}

export function describeDriverError(error: IdCardDriverError): string {
  switch (error.kind) {
    case 'transport':
      return error.error.message;
    case 'timeout':
      return `the reader did not answer ${error.command} in time`;
    case 'bad-frame':
      return `the reader's answer to ${error.command} was garbled (${error.reason})`;
    case 'status':
      return describeSamStatus(error.status);
    case 'malformed-response':
      return `the reader's answer to ${error.command} had an unexpected shape (${error.reason})`;
  }
}
