import { SerialPort } from 'serialport';
import { nodeHidApi, type HidDeviceInfo } from './hid-transport';

/**
 * What is plugged in, for technicians choosing a link: serial ports (real ttys, USB-serial and
 * USB-CDC adapters) and HID devices. A source that fails (no udev, native module missing) is
 * reported in `problems` and the other source's results are still returned.
 */
export interface SerialDeviceInfo {
  readonly path: string;
  readonly manufacturer?: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly pnpId?: string;
}

export interface HidDeviceSummary {
  readonly path: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly product?: string;
  /** 0x8C = bar code scanner (HID POS). */
  readonly usagePage?: number;
  readonly usage?: number;
}

export interface DiscoveryProblem {
  readonly source: 'serial' | 'hid';
  readonly message: string;
}

export interface DiscoveredDevices {
  readonly serial: readonly SerialDeviceInfo[];
  readonly hid: readonly HidDeviceSummary[];
  readonly problems: readonly DiscoveryProblem[];
}

interface RawSerialPort {
  path: string;
  manufacturer?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
}

export interface DiscoverySources {
  readonly serial: () => Promise<readonly RawSerialPort[]>;
  readonly hid: () => Promise<readonly HidDeviceInfo[]>;
  readonly timeoutMs?: number;
}

export const systemSources: DiscoverySources = {
  serial: () => SerialPort.list(),
  hid: () => nodeHidApi.devices(),
};

/** Copies only the fields that are set, so results compare and serialise cleanly. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

async function settle<T>(
  source: DiscoveryProblem['source'],
  run: () => Promise<T>,
  timeoutMs: number,
): Promise<{ value: T } | { problem: DiscoveryProblem }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return { value: await Promise.race([run(), timeout]) };
  } catch (error) {
    return {
      problem: {
        source,
        message: `cannot list ${source} devices: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function listDevices(sources: DiscoverySources = systemSources): Promise<DiscoveredDevices> {
  const timeoutMs = sources.timeoutMs ?? 5000;
  const [serial, hid] = await Promise.all([
    settle('serial', sources.serial, timeoutMs),
    settle('hid', sources.hid, timeoutMs),
  ]);
  const problems: DiscoveryProblem[] = [];
  if ('problem' in serial) problems.push(serial.problem);
  if ('problem' in hid) problems.push(hid.problem);
  return {
    serial:
      'value' in serial
        ? serial.value.map((p) =>
            defined({
              path: p.path,
              manufacturer: p.manufacturer,
              vendorId: p.vendorId,
              productId: p.productId,
              serialNumber: p.serialNumber,
              pnpId: p.pnpId,
            }),
          )
        : [],
    // A HID device without a path cannot be opened by us; leave it out.
    hid:
      'value' in hid
        ? hid.value.flatMap((d) =>
            d.path === undefined
              ? []
              : [
                  defined({
                    path: d.path,
                    vendorId: d.vendorId,
                    productId: d.productId,
                    product: d.product,
                    usagePage: d.usagePage,
                    usage: d.usage,
                  }),
                ],
          )
        : [],
    problems,
  };
}
