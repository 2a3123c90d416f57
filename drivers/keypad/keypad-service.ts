import { EventEmitter } from 'node:events';
import type { BackoffPolicy } from '../../foundation/backoff';
import { keepAliveTimers, type Timers } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { assertNever, err, ok, type Result } from '../../foundation/result';
import type { HotplugWatcher } from '../transport/hotplug';
import type { LinkStatus } from '../transport/reconnecting-transport';
import { firstWithin, ListeningLink } from '../transport/listening-link';
import type { Transport } from '../transport/transport';
import { sameLinkDeviceStatus, statusForLinkError, type LinkDeviceStatus } from '../transport/link-device-status';
import { KeypadDriver, type KeypadFraming, type KeypadPress, type KeypadRepeat } from './keypad-driver';

/**
 * The tactile keypad as the kiosk sees it: a status with change events and a `press` event per
 * key press (and per slow repeat of a held volume or rate key). The link is kept up by a
 * ReconnectingTransport, so an unplugged keypad comes back by itself.
 */
export type KeypadStatus = LinkDeviceStatus;

export interface KeypadServiceOptions {
  /** Makes a fresh, unopened link to the keypad (called again after a disconnect). */
  readonly connect: () => Transport;
  readonly framing: KeypadFraming;
  readonly log?: Log;
  readonly repeat?: KeypadRepeat;
  /** The repeat's and the self-test's waits; tests pass their own. */
  readonly timers?: Timers;
  readonly backoff?: Partial<BackoffPolicy>;
  /** With both, a replugged keypad is reopened at once instead of at the next backoff retry. */
  readonly hotplug?: HotplugWatcher;
  readonly devicePath?: string;
}

export interface KeypadEvents {
  status: [KeypadStatus];
  press: [KeypadPress];
}

export interface KeypadSelfTestFailure {
  readonly message: string;
}

export class KeypadService extends EventEmitter<KeypadEvents> {
  private readonly link: ListeningLink;
  private statusNow: KeypadStatus = { state: 'no-device', reason: 'not started' };
  private readonly log: Log;
  private readonly driver: KeypadDriver;
  private readonly timers: Timers;

  constructor(options: KeypadServiceOptions) {
    super();
    this.log = (options.log ?? silentLog).child({ device: 'keypad' });
    this.timers = options.timers ?? keepAliveTimers;
    this.link = new ListeningLink({
      ...options, // connect, backoff, hotplug, devicePath
      log: this.log,
      onStatus: (s) => this.onLinkStatus(s),
      onData: (chunk) => this.driver.push(chunk),
    });
    this.driver = new KeypadDriver({
      framing: options.framing,
      ...(options.repeat === undefined ? {} : { repeat: options.repeat }),
      timers: this.timers,
      onPress: (press) => this.deliver(press),
      // A keypad speaking another layout must be noticed, not silently ignored.
      onReportError: (error) => this.setStatus({ state: 'error', reason: error.message }),
      onGoodReport: () => {
        if (this.statusNow.state === 'error' && this.link.isOpen) this.setStatus({ state: 'ready' });
      },
      onRollover: () => this.log.info({}, 'keypad rollover: too many keys held at once'),
    });
  }

  get status(): KeypadStatus {
    return this.statusNow;
  }

  private setStatus(status: KeypadStatus): void {
    if (sameLinkDeviceStatus(this.statusNow, status)) return;
    this.statusNow = status;
    if (status.state === 'ready') this.log.info({ state: status.state }, 'keypad ready');
    else this.log.warn({ state: status.state, reason: status.reason }, `keypad ${status.state}`);
    this.emit('status', status);
  }

  private deliver(press: KeypadPress): void {
    // Which key was pressed says nothing about the person; repeats are not logged one by one.
    if (!press.repeat) this.log.debug({ key: press.key, usage: press.usage }, 'keypad key');
    this.emit('press', press);
  }

  private onLinkStatus(status: LinkStatus): void {
    switch (status.state) {
      case 'connecting':
        return; // keep showing the last state; a retry is not news
      case 'connected':
        this.driver.reset();
        this.setStatus({ state: 'ready' });
        return;
      case 'disconnected':
        this.driver.reset();
        this.setStatus(statusForLinkError(status.reason));
        return;
      default:
        assertNever(status, 'link status');
    }
  }

  /** Opens the link (retrying in the background); resolves after the first attempt. */
  async start(): Promise<void> {
    await this.link.start();
  }

  async stop(): Promise<void> {
    this.driver.reset();
    await this.link.stop();
    this.setStatus({ state: 'no-device', reason: 'stopped' });
  }

  /**
   * Waits for one key press (the technician presses any key) and says which key it was, mapped
   * or not; fails if none comes in time or no keypad is attached.
   */
  async selfTest(timeoutMs: number): Promise<Result<KeypadPress, KeypadSelfTestFailure>> {
    const status = this.statusNow;
    if (status.state !== 'ready') return err({ message: `keypad not ready: ${status.reason}` });
    const press = await firstWithin<KeypadPress>(
      (listener) => {
        this.on('press', listener);
        return () => this.off('press', listener);
      },
      timeoutMs,
      this.timers,
    );
    return press === null ? err({ message: `no key pressed within ${Math.round(timeoutMs / 1000)} s` }) : ok(press);
  }
}
