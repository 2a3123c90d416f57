import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { openPtyPair, type PtyPair } from '../../drivers/simulators/pty';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';
import type { TransportError } from '../../drivers/transport/transport';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pair(): Promise<PtyPair> {
  const p = await openPtyPair();
  cleanups.push(() => p.close());
  return p;
}

async function opened(path: string, log = recordingLog()): Promise<SerialTransport> {
  const t = new SerialTransport({ path, baudRate: 115200, log });
  const r = await t.open();
  if (!r.ok) throw new Error(r.error.message);
  cleanups.push(() => t.close());
  return t;
}

function received(t: SerialTransport): () => Buffer {
  const chunks: Buffer[] = [];
  t.onData((c) => chunks.push(Buffer.from(c)));
  return () => Buffer.concat(chunks);
}

describe('SerialTransport over a PTY pair', () => {
  it('carries bytes both ways, including all 256 byte values', async () => {
    const p = await pair();
    const device = await opened(p.devicePath);
    const sim = await opened(p.simulatorPath);
    expect(device.isOpen).toBe(true);
    expect(device.description).toBe(`serial:${p.devicePath}@115200`);
    const atDevice = received(device);
    const atSim = received(sim);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect((await sim.write(all)).ok).toBe(true);
    expect((await device.write(Buffer.from('AAAA9669'))).ok).toBe(true);
    await until(() => atDevice().length === 256 && atSim().length === 8);
    expect([...atDevice()]).toEqual([...all]);
    expect(atSim().toString()).toBe('AAAA9669');
  });

  it('reports an unplug as onClose(disconnected) promptly, without spinning', async () => {
    const p = await pair();
    const log = recordingLog();
    const device = await opened(p.devicePath, log);
    const closes: (TransportError | undefined)[] = [];
    device.onClose((e) => closes.push(e));
    const cpuBefore = process.cpuUsage();
    await p.unplug();
    await until(() => closes.length === 1);
    expect(closes[0]?.kind).toBe('disconnected');
    expect(closes[0]?.message).toContain(p.devicePath);
    expect(device.isOpen).toBe(false);
    const write = await device.write(Uint8Array.of(1));
    expect(write.ok).toBe(false);
    if (!write.ok) expect(write.error.kind).toBe('disconnected');
    const cpu = process.cpuUsage(cpuBefore);
    expect(cpu.user + cpu.system).toBeLessThan(1_000_000); // the old 0-byte read loop burnt a full core
    expect(log.lines.some((l) => l.level === 'warn' && l.fields['kind'] === 'disconnected')).toBe(true);
  });

  it('reports our own close with no error, and can be opened again', async () => {
    const p = await pair();
    const device = await opened(p.devicePath);
    const closes: (TransportError | undefined)[] = [];
    device.onClose((e) => closes.push(e));
    await device.close();
    expect(closes).toEqual([undefined]);
    expect((await device.open()).ok).toBe(true);
    expect(device.isOpen).toBe(true);
  });

  it('maps a missing path to not-found', async () => {
    const t = new SerialTransport({ path: '/tmp/definitely-missing-kiosk-port' });
    const r = await t.open();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('not-found');
      expect(r.error.message).toContain('/tmp/definitely-missing-kiosk-port');
    }
  });

  it('maps a second opener to busy (serialport locks the port)', async () => {
    const p = await pair();
    await opened(p.devicePath);
    const second = await new SerialTransport({ path: p.devicePath }).open();
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.kind).toBe('busy');
  });
});
