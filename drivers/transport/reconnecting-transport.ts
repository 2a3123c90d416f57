import { keepAliveTimers, type Timers } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { backoffDelay, type BackoffPolicy } from '../../foundation/backoff';
import { assertNever, err, ok, type Result } from '../../foundation/result';
import type { HotplugWatcher } from './hotplug';
import type { Transport, TransportError } from './transport';
import { TransportBase } from './transport-base';

export type LinkStatus =
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'connected' }
  /** `retryInMs` is null once the link was closed by us (no more retries). */
  | { readonly state: 'disconnected'; readonly reason: TransportError; readonly retryInMs: number | null };

/** 250 ms doubling to 10 s; up to 20 % shorter at random, so a room of kiosks do not retry in step. */
export const linkBackoff: BackoffPolicy = { baseMs: 250, capMs: 10_000, jitter: 0.2 };

export interface ReconnectingTransportOptions {
  /** Makes a fresh (closed) transport for each attempt. */
  readonly create: () => Transport;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly random?: () => number;
  /** With a watcher and the device's path, a retry happens as soon as the path reappears. */
  readonly hotplug?: HotplugWatcher;
  readonly devicePath?: string;
  readonly log?: Log;
  /** The waits between attempts; tests pass their own to run without waiting. */
  readonly timers?: Timers;
}

/**
 * Keeps a device link up: opens it, and after a failed open or a disconnect tries again with
 * exponential backoff (with jitter, capped), or at once when hotplug sees the device come back.
 * Reports every change through onStatus. onClose fires only when close() ends it for good;
 * inner disconnects are statuses, because the link is expected to come back.
 */
export class ReconnectingTransport extends TransportBase implements Transport {
  readonly description: string;
  private current: Transport | null = null;
  private statusNow: LinkStatus = { state: 'connecting', attempt: 0 };
  private readonly statusListeners = new Set<(status: LinkStatus) => void>();
  private readonly policy: BackoffPolicy;
  private readonly log: Log;
  private readonly timers: Timers;
  private failures = 0;
  private retryTimer: unknown = null;
  private started = false;
  private stopped = false;
  private stopHotplug: (() => void) | null = null;
  private firstAttempt: Promise<Result<void, TransportError>> | null = null;
  private reappeared = false;

  constructor(private readonly options: ReconnectingTransportOptions) {
    super();
    this.description = `reconnecting:${options.create().description}`;
    this.policy = { ...linkBackoff, ...options.backoff };
    this.log = (options.log ?? silentLog).child({ transport: this.description });
    this.timers = options.timers ?? keepAliveTimers;
  }

  get isOpen(): boolean {
    return this.current?.isOpen === true;
  }

  get status(): LinkStatus {
    return this.statusNow;
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: LinkStatus): void {
    this.statusNow = status;
    switch (status.state) {
      case 'connecting':
        this.log.debug({ attempt: status.attempt }, 'connecting');
        break;
      case 'connected':
        this.log.info({}, 'connected');
        break;
      case 'disconnected':
        this.log.warn(
          { kind: status.reason.kind, retryInMs: status.retryInMs },
          `disconnected: ${status.reason.message}`,
        );
        break;
      default:
        assertNever(status, 'link status');
    }
    for (const listener of [...this.statusListeners]) listener(status);
  }

  /** Starts connecting; resolves with the first attempt's outcome while retries go on behind. */
  async open(): Promise<Result<void, TransportError>> {
    if (this.stopped) return err({ kind: 'disconnected', message: `${this.description} was closed` });
    if (!this.started) {
      this.started = true;
      const { hotplug, devicePath } = this.options;
      if (hotplug !== undefined && devicePath !== undefined) {
        this.stopHotplug = hotplug.onChange((event) => {
          if (event.type !== 'added' || event.path !== devicePath || this.current !== null) return;
          this.log.info({ path: devicePath }, 'device reappeared; retrying now');
          this.failures = 0;
          // Mid-attempt, the attempt may have just missed the device: retry straight after it.
          if (this.retryTimer === null) this.reappeared = true;
          else this.retryNow();
        });
      }
      this.firstAttempt = this.attempt();
    }
    return this.firstAttempt ?? ok();
  }

  private retryNow(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    void this.attempt();
  }

  private scheduleRetry(reason: TransportError): void {
    this.failures += 1;
    const delay = this.reappeared ? 0 : backoffDelay(this.failures - 1, this.policy, this.options.random);
    this.reappeared = false;
    this.setStatus({ state: 'disconnected', reason, retryInMs: delay });
    this.retryTimer = this.timers.setTimeout(() => this.retryNow(), delay);
  }

  private async attempt(): Promise<Result<void, TransportError>> {
    if (this.stopped) return err({ kind: 'disconnected', message: `${this.description} was closed` });
    this.setStatus({ state: 'connecting', attempt: this.failures + 1 });
    const transport = this.options.create();
    const opened = await transport.open();
    if (this.stopped) {
      await transport.close();
      return err({ kind: 'disconnected', message: `${this.description} was closed` });
    }
    if (!opened.ok) {
      this.scheduleRetry(opened.error);
      return opened;
    }
    this.current = transport;
    this.failures = 0;
    this.reappeared = false;
    // Unsubscribe on close: a factory may hand back the same object again.
    const stopData = transport.onData((chunk) => this.emitData(chunk));
    const stopClose = transport.onClose((error) => {
      stopData();
      stopClose();
      if (this.current !== transport) return;
      this.current = null;
      if (this.stopped) return;
      this.scheduleRetry(error ?? { kind: 'disconnected', message: `${transport.description} closed` });
    });
    this.setStatus({ state: 'connected' });
    return ok();
  }

  async write(data: Uint8Array): Promise<Result<void, TransportError>> {
    const transport = this.current;
    if (transport === null) {
      const reason = this.statusNow.state === 'disconnected' ? this.statusNow.reason.message : 'connecting';
      return err({ kind: 'disconnected', message: `${this.description} is not connected (${reason})` });
    }
    return transport.write(data);
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopHotplug?.();
    const transport = this.current;
    this.current = null;
    await transport?.close();
    this.setStatus({
      state: 'disconnected',
      reason: { kind: 'disconnected', message: 'closed by the kiosk' },
      retryInMs: null,
    });
    this.emitClosed(this.log, undefined);
  }
}
