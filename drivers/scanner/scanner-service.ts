import { EventEmitter } from 'node:events';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { assertNever, err, ok, type Result } from '../../foundation/result';
import type { HotplugWatcher } from '../transport/hotplug';
import type { BackoffPolicy } from '../../foundation/backoff';
import type { LinkStatus } from '../transport/reconnecting-transport';
import { firstWithin, ListeningLink } from '../transport/listening-link';
import { keepAliveTimers } from '../../foundation/clock';
import type { Transport } from '../transport/transport';
import { sameLinkDeviceStatus, statusForLinkError, type LinkDeviceStatus } from '../transport/link-device-status';
import { HidPosAssembler, ScanLineAssembler, type ScanTimers } from './scanner-codec';

/**
 * The barcode/QR scanner as the kiosk sees it: a status with change events and a `scanned` event
 * per code. Serial (and USB-CDC) scanners are read as lines; HID POS scanners as reports. The
 * link is kept up by a ReconnectingTransport. Scanned text can be personal (a QR code may hold an
 * ID number), so logs carry lengths only.
 */
export type ScannerStatus = LinkDeviceStatus;

export interface ScannedCode {
  readonly text: string;
  /** e.g. 'qr', 'code128'; known only for HID POS scanners (serial scanners send bare text). */
  readonly symbology?: string;
}

export interface ScannerServiceOptions {
  /** Makes a fresh, unopened link to the scanner (called again after a disconnect). */
  readonly connect: () => Transport;
  /** How to read the link: lines (serial, USB-CDC) or HID POS reports. */
  readonly kind: 'serial' | 'hid';
  readonly log?: Log;
  readonly interByteTimeoutMs?: number;
  readonly timers?: ScanTimers;
  readonly backoff?: Partial<BackoffPolicy>;
  /** With both, a replugged scanner is reopened at once instead of at the next backoff retry. */
  readonly hotplug?: HotplugWatcher;
  readonly devicePath?: string;
}

export interface ScannerEvents {
  status: [ScannerStatus];
  scanned: [ScannedCode];
}

export interface SelfTestFailure {
  readonly message: string;
}

export { statusForLinkError };

export class ScannerService extends EventEmitter<ScannerEvents> {
  private readonly link: ListeningLink;
  private statusNow: ScannerStatus = { state: 'no-device', reason: 'not started' };
  private readonly log: Log;
  private readonly lines: ScanLineAssembler;
  private readonly reports: HidPosAssembler;

  constructor(private readonly options: ScannerServiceOptions) {
    super();
    this.log = (options.log ?? silentLog).child({ device: 'scanner' });
    this.link = new ListeningLink({
      ...options, // connect, backoff, hotplug, devicePath
      log: this.log,
      onStatus: (s) => this.onLinkStatus(s),
      onData: (chunk) => this.onBytes(chunk),
    });
    this.lines = new ScanLineAssembler((code) => this.deliver({ text: code.text }), {
      ...(options.interByteTimeoutMs === undefined ? {} : { interByteTimeoutMs: options.interByteTimeoutMs }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onOverflow: (dropped) =>
        this.log.warn({ dropped }, 'dropped an overlong run of bytes without a terminator (wrong baud rate?)'),
    });
    this.reports = new HidPosAssembler((code) =>
      this.deliver(code.symbology === undefined ? { text: code.text } : { text: code.text, symbology: code.symbology }),
    );
  }

  get status(): ScannerStatus {
    return this.statusNow;
  }

  private setStatus(status: ScannerStatus): void {
    if (sameLinkDeviceStatus(this.statusNow, status)) return;
    this.statusNow = status;
    if (status.state === 'ready') this.log.info({ state: status.state }, 'scanner ready');
    else this.log.warn({ state: status.state, reason: status.reason }, `scanner ${status.state}`);
    this.emit('status', status);
  }

  private deliver(code: ScannedCode): void {
    this.log.info({ length: code.text.length, symbology: code.symbology }, 'code scanned');
    this.emit('scanned', code);
  }

  private onLinkStatus(status: LinkStatus): void {
    switch (status.state) {
      case 'connecting':
        return; // keep showing the last state; a retry is not news
      case 'connected':
        this.setStatus({ state: 'ready' });
        return;
      case 'disconnected':
        this.lines.reset();
        this.reports.reset();
        this.setStatus(statusForLinkError(status.reason));
        return;
      default:
        assertNever(status, 'link status');
    }
  }

  private onBytes(chunk: Uint8Array): void {
    switch (this.options.kind) {
      case 'serial':
        this.lines.push(chunk);
        return;
      case 'hid': {
        const pushed = this.reports.push(chunk);
        // A scanner speaking another layout must be noticed, not silently ignored.
        if (!pushed.ok) this.setStatus({ state: 'error', reason: pushed.error.message });
        else if (this.statusNow.state === 'error') this.setStatus({ state: 'ready' });
        return;
      }
      default:
        assertNever(this.options.kind, 'scanner kind');
    }
  }

  /** Opens the link (retrying in the background); resolves after the first attempt. */
  async start(): Promise<void> {
    await this.link.start();
  }

  async stop(): Promise<void> {
    this.lines.reset();
    await this.link.stop();
    this.setStatus({ state: 'no-device', reason: 'stopped' });
  }

  /** Waits for one scan (a technician scans any code); fails if none comes in time or no scanner is attached. */
  async selfTest(timeoutMs: number): Promise<Result<ScannedCode, SelfTestFailure>> {
    const status = this.statusNow;
    if (status.state !== 'ready') return err({ message: `scanner not ready: ${status.reason}` });
    const code = await firstWithin<ScannedCode>(
      (listener) => {
        this.on('scanned', listener);
        return () => this.off('scanned', listener);
      },
      timeoutMs,
      keepAliveTimers,
    );
    return code === null ? err({ message: `no code scanned within ${Math.round(timeoutMs / 1000)} s` }) : ok(code);
  }
}
