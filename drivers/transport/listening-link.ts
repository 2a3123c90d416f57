import type { BackoffPolicy } from '../../foundation/backoff';
import type { Timers } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import type { HotplugWatcher } from './hotplug';
import { ReconnectingTransport, type LinkStatus } from './reconnecting-transport';
import type { Transport } from './transport';

/**
 * The link of a device that only listens (the scanner, the keypad), kept up in the background by
 * a ReconnectingTransport: what their services share, so each keeps only its own decoding.
 */
export interface ListeningLinkOptions {
  /** Makes a fresh, unopened link to the device (called again after a disconnect). */
  readonly connect: () => Transport;
  readonly log: Log;
  readonly backoff?: Partial<BackoffPolicy> | undefined;
  /** With both, a replugged device is reopened at once instead of at the next backoff retry. */
  readonly hotplug?: HotplugWatcher | undefined;
  readonly devicePath?: string | undefined;
  readonly onStatus: (status: LinkStatus) => void;
  readonly onData: (chunk: Uint8Array) => void;
}

export class ListeningLink {
  private link: ReconnectingTransport | null = null;

  constructor(private readonly options: ListeningLinkOptions) {}

  get isOpen(): boolean {
    return this.link?.isOpen === true;
  }

  /** Opens the link (retrying in the background); resolves after the first attempt. */
  async start(): Promise<void> {
    if (this.link !== null) return;
    const { connect, log, backoff, hotplug, devicePath } = this.options;
    const link = new ReconnectingTransport({
      create: connect,
      log,
      ...(backoff === undefined ? {} : { backoff }),
      ...(hotplug === undefined ? {} : { hotplug }),
      ...(devicePath === undefined ? {} : { devicePath }),
    });
    this.link = link;
    link.onStatus((s) => this.options.onStatus(s));
    link.onData((chunk) => this.options.onData(chunk));
    await link.open();
  }

  async stop(): Promise<void> {
    const link = this.link;
    this.link = null;
    await link?.close();
  }
}

/**
 * The first value a subscription delivers within `timeoutMs`, or null: a self-test waiting for the
 * technician to scan a code or press a key.
 */
export function firstWithin<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  timeoutMs: number,
  timers: Timers,
): Promise<T | null> {
  return new Promise((resolve) => {
    const unsubscribe = subscribe((value) => {
      timers.clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
    const timer = timers.setTimeout(() => {
      unsubscribe();
      resolve(null);
    }, timeoutMs);
  });
}
