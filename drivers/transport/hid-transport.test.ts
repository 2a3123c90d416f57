import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import {
  describeHidTarget,
  diagnoseHidOpenFailure,
  HidTransport,
  type HidApi,
  type HidDeviceHandle,
  type HidDeviceInfo,
  type HidTarget,
} from './hid-transport';
import type { TransportError } from './transport';

/** Stands in for node-hid's HIDAsync: an EventEmitter with write/close. */
class FakeDevice extends EventEmitter implements HidDeviceHandle {
  written: Buffer[] = [];
  closed = false;
  failWrites = false;
  write(values: number[] | Buffer): Promise<number> {
    if (this.failWrites) return Promise.reject(new Error('Cannot write to hid device'));
    const b = Buffer.from(values);
    this.written.push(b);
    return Promise.resolve(b.length);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const scanner: HidDeviceInfo = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  usagePage: 0x8c,
  usage: 0x02,
};

function fakeApi(
  options: { listed?: HidDeviceInfo[]; openFails?: boolean; access?: Record<string, string | null> } = {},
): HidApi & { device: FakeDevice; opened: HidTarget[] } {
  const device = new FakeDevice();
  const opened: HidTarget[] = [];
  return {
    device,
    opened,
    open(target) {
      opened.push(target);
      if (options.openFails === true) return Promise.reject(new Error('cannot open device with path /dev/hidraw3'));
      return Promise.resolve(device);
    },
    devices: () => Promise.resolve(options.listed ?? [scanner]),
    accessError: (path) => Promise.resolve(options.access?.[path] ?? null),
  };
}

describe('HidTransport', () => {
  it('describes its target by path or by vendor/product id', () => {
    expect(describeHidTarget({ path: '/dev/hidraw3' })).toBe('hid:/dev/hidraw3');
    expect(describeHidTarget({ vendorId: 0x0c2e, productId: 0x0b61 })).toBe('hid:0c2e:0b61');
  });

  it('opens by vendor/product id, delivers each report as one chunk, and writes output reports', async () => {
    const api = fakeApi();
    const t = new HidTransport({ target: { vendorId: 0x0c2e, productId: 0x0b61 }, api });
    expect((await t.open()).ok).toBe(true);
    expect(api.opened).toEqual([{ vendorId: 0x0c2e, productId: 0x0b61 }]);
    const chunks: number[][] = [];
    t.onData((c) => chunks.push([...c]));
    api.device.emit('data', Buffer.from([2, 3, 0x41, 0x42]));
    api.device.emit('data', Buffer.from([2, 1, 0x43]));
    expect(chunks).toEqual([
      [2, 3, 0x41, 0x42],
      [2, 1, 0x43],
    ]);
    expect((await t.write(Uint8Array.of(0, 1, 2))).ok).toBe(true);
    expect(api.device.written.map((b) => [...b])).toEqual([[0, 1, 2]]);
  });

  it('turns a read-thread error (unplug) into onClose(disconnected) and closes the handle', async () => {
    const api = fakeApi();
    const log = recordingLog();
    const t = new HidTransport({ target: { path: '/dev/hidraw3' }, api, log });
    await t.open();
    const closes: (TransportError | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    api.device.emit('error', new Error('could not read from HID device'));
    await new Promise((r) => setImmediate(r));
    expect(closes).toHaveLength(1);
    expect(closes[0]?.kind).toBe('disconnected');
    expect(closes[0]?.message).toContain('could not read from HID device');
    expect(api.device.closed).toBe(true);
    expect(t.isOpen).toBe(false);
    expect(log.lines.some((l) => l.level === 'warn' && l.fields['kind'] === 'disconnected')).toBe(true);
    const w = await t.write(Uint8Array.of(0));
    expect(w.ok ? 'ok' : w.error.kind).toBe('disconnected');
  });

  it('closes without an error when we close it', async () => {
    const api = fakeApi();
    const t = new HidTransport({ target: { path: '/dev/hidraw3' }, api });
    await t.open();
    const closes: (TransportError | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    await t.close();
    await t.close();
    expect(closes).toEqual([undefined]);
  });

  it('reports a failed write as io-error without closing', async () => {
    const api = fakeApi();
    const t = new HidTransport({ target: { path: '/dev/hidraw3' }, api });
    await t.open();
    api.device.failWrites = true;
    const w = await t.write(Uint8Array.of(0, 1));
    expect(w.ok ? 'ok' : w.error.kind).toBe('io-error');
    expect(t.isOpen).toBe(true);
  });

  type Setup = { listed?: HidDeviceInfo[]; access?: Record<string, string | null> };
  it.each<[string, Setup, HidTarget, string]>([
    ['not listed, by id', { listed: [] }, { vendorId: 1, productId: 2 }, 'not-found'],
    [
      'not listed, path missing',
      { listed: [], access: { '/dev/hidraw9': 'ENOENT' } },
      { path: '/dev/hidraw9' },
      'not-found',
    ],
    [
      'listed, node not accessible',
      { access: { '/dev/hidraw3': 'EACCES' } },
      { vendorId: 0x0c2e, productId: 0x0b61 },
      'permission-denied',
    ],
    [
      'listed by path, not accessible',
      { access: { '/dev/hidraw3': 'EACCES' } },
      { path: '/dev/hidraw3' },
      'permission-denied',
    ],
    ['listed and accessible', {}, { path: '/dev/hidraw3' }, 'busy'],
  ])('maps an open failure when %s', async (_name, setup, target, kind) => {
    const api = fakeApi({ ...setup, openFails: true });
    expect(await diagnoseHidOpenFailure(api, target)).toBe(kind);
    const r = await new HidTransport({ target, api }).open();
    expect(r.ok ? 'ok' : r.error.kind).toBe(kind);
  });
});
