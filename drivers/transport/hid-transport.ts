import { access, constants } from 'node:fs/promises';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError, TransportErrorKind } from './transport';
import { TransportBase } from './transport-base';

/** Which HID device to open: a hidraw path, or the first device with this vendor/product id. */
export type HidTarget = { readonly path: string } | { readonly vendorId: number; readonly productId: number };

/** The slice of node-hid this transport uses; tests substitute a fake. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly product?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

export interface HidApi {
  open(target: HidTarget): Promise<HidDeviceHandle>;
  devices(): Promise<readonly HidDeviceInfo[]>;
  /** errno code for opening `path` read-write, or null when allowed (hidapi hides the reason). */
  accessError(path: string): Promise<string | null>;
}

/** node-hid, loaded on first use so a machine without the native module still runs everything else. */
export const nodeHidApi: HidApi = {
  async open(target) {
    const { HIDAsync } = await import('node-hid');
    return 'path' in target ? HIDAsync.open(target.path) : HIDAsync.open(target.vendorId, target.productId);
  },
  async devices() {
    const { devicesAsync } = await import('node-hid');
    return devicesAsync();
  },
  async accessError(path) {
    try {
      await access(path, constants.R_OK | constants.W_OK);
      return null;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? 'EIO';
    }
  },
};

export function describeHidTarget(target: HidTarget): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return 'path' in target ? `hid:${target.path}` : `hid:${hex(target.vendorId)}:${hex(target.productId)}`;
}

/**
 * Works out why hidapi could not open a device, since hidapi only says "cannot open device":
 * not listed → not-found; listed but the node is not accessible → permission-denied; listed and
 * accessible → another program holds it (busy).
 */
export async function diagnoseHidOpenFailure(api: HidApi, target: HidTarget): Promise<TransportErrorKind> {
  let listed: readonly HidDeviceInfo[];
  try {
    listed = await api.devices();
  } catch {
    return 'io-error';
  }
  const match = listed.find((d) =>
    'path' in target ? d.path === target.path : d.vendorId === target.vendorId && d.productId === target.productId,
  );
  if (match === undefined) {
    if (!('path' in target)) return 'not-found';
    const code = await api.accessError(target.path);
    if (code === 'ENOENT') return 'not-found';
    if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
    return code === null ? 'busy' : 'io-error';
  }
  const path = match.path;
  if (path === undefined) return 'io-error';
  const code = await api.accessError(path);
  if (code === 'EACCES' || code === 'EPERM') return 'permission-denied';
  if (code === 'ENOENT') return 'not-found';
  return 'busy';
}

function message(kind: TransportErrorKind, description: string, detail: string): string {
  switch (kind) {
    case 'not-found':
      return `${description}: no such HID device (unplugged or wrong id)`;
    case 'permission-denied':
      return `${description}: no permission to open the HID device (install the hidraw udev rule)`;
    case 'busy':
      return `${description}: the HID device is held by another program`;
    case 'disconnected':
      return `${description}: the HID device went away (${detail})`;
    case 'timeout':
    case 'io-error':
      return `${description}: ${detail}`;
  }
}

export interface HidTransportOptions {
  readonly target: HidTarget;
  readonly api?: HidApi;
  readonly log?: Log;
}

/**
 * A Transport over a HID device. Each onData chunk is exactly one input report (report id
 * first when the device uses numbered reports), so report parsers can rely on the boundaries.
 * write() sends one output report: the first byte must be the report id (0 when unnumbered).
 */
export class HidTransport extends TransportBase implements Transport {
  readonly description: string;
  private device: HidDeviceHandle | null = null;
  private readonly api: HidApi;
  private readonly log: Log;

  constructor(private readonly options: HidTransportOptions) {
    super();
    this.description = describeHidTarget(options.target);
    this.api = options.api ?? nodeHidApi;
    this.log = (options.log ?? silentLog).child({ transport: this.description });
  }

  get isOpen(): boolean {
    return this.device !== null;
  }

  async open(): Promise<Result<void, TransportError>> {
    if (this.device !== null) return ok();
    let device: HidDeviceHandle;
    try {
      device = await this.api.open(this.options.target);
    } catch (e) {
      const kind = await diagnoseHidOpenFailure(this.api, this.options.target);
      const error = { kind, message: message(kind, this.description, e instanceof Error ? e.message : String(e)) };
      this.log.warn({ kind }, error.message);
      return err(error);
    }
    this.device = device;
    device.on('data', (report) => this.emitData(report));
    // node-hid's read thread reports an unplug as an error ("could not read from HID device").
    device.on(
      'error',
      (e) => void this.shut({ kind: 'disconnected', message: message('disconnected', this.description, e.message) }),
    );
    this.log.info({}, 'HID device open');
    return ok();
  }

  async write(data: Uint8Array): Promise<Result<void, TransportError>> {
    const device = this.device;
    if (device === null) return err({ kind: 'disconnected', message: `${this.description} is not open` });
    try {
      await device.write(Buffer.from(data));
      return ok();
    } catch (e) {
      // Not necessarily an unplug (some devices have no output report); the read side reports those.
      return err({
        kind: 'io-error',
        message: message('io-error', this.description, `write failed: ${e instanceof Error ? e.message : String(e)}`),
      });
    }
  }

  async close(): Promise<void> {
    await this.shut(undefined);
  }

  private async shut(error: TransportError | undefined): Promise<void> {
    const device = this.device;
    if (device === null) return;
    this.device = null;
    device.removeAllListeners();
    await device.close().catch(() => undefined);
    this.emitClosed(this.log, error);
  }
}
