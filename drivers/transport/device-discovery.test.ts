import { describe, expect, it } from 'vitest';
import { listDevices } from './device-discovery';

const ch340 = {
  path: '/dev/ttyUSB0',
  manufacturer: '1a86',
  vendorId: '1a86',
  productId: '7523',
  serialNumber: undefined,
  pnpId: 'usb-1a86_USB_Serial-if00-port0',
};
const hidScanner = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  product: 'Scanner',
  release: 1,
  interface: 0,
  usagePage: 0x8c,
  usage: 2,
};

describe('listDevices', () => {
  it('lists serial ports and HID devices with their identifying fields', async () => {
    const found = await listDevices({
      serial: () => Promise.resolve([ch340]),
      hid: () => Promise.resolve([hidScanner, { ...hidScanner, path: undefined }]),
    });
    expect(found).toEqual({
      serial: [
        {
          path: '/dev/ttyUSB0',
          manufacturer: '1a86',
          vendorId: '1a86',
          productId: '7523',
          pnpId: 'usb-1a86_USB_Serial-if00-port0',
        },
      ],
      hid: [
        { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b61, product: 'Scanner', usagePage: 0x8c, usage: 2 },
      ],
      problems: [],
    });
  });

  it('reports a failing source as a problem and still returns the other', async () => {
    const found = await listDevices({
      serial: () => Promise.resolve([ch340]),
      hid: () => Promise.reject(new Error('node-hid native module not found')),
    });
    expect(found.serial).toHaveLength(1);
    expect(found.hid).toEqual([]);
    expect(found.problems).toEqual([
      { source: 'hid', message: 'cannot list hid devices: node-hid native module not found' },
    ]);
  });

  it('gives up on a source that hangs', async () => {
    const found = await listDevices({
      serial: () => new Promise(() => {}),
      hid: () => Promise.resolve([]),
      timeoutMs: 30,
    });
    expect(found.problems).toEqual([
      { source: 'serial', message: 'cannot list serial devices: no answer within 30 ms' },
    ]);
  });

  it('runs against this machine without throwing', async () => {
    const found = await listDevices();
    expect(Array.isArray(found.serial) && Array.isArray(found.hid)).toBe(true);
  });
});
