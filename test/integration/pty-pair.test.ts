import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../../drivers/simulators/pty';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';

const pairs: PtyPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

function collect(t: SerialTransport): { bytes: () => string } {
  let text = '';
  t.onData((chunk) => (text += Buffer.from(chunk).toString('latin1')));
  return { bytes: () => text };
}

describe('openPtyPair', () => {
  it('links two paths so bytes written on one end arrive on the other', async () => {
    const pair = await openPtyPair();
    pairs.push(pair);
    expect(existsSync(pair.devicePath)).toBe(true);
    expect(existsSync(pair.simulatorPath)).toBe(true);
    const device = new SerialTransport({ path: pair.devicePath });
    const sim = new SerialTransport({ path: pair.simulatorPath });
    expect((await device.open()).ok).toBe(true);
    expect((await sim.open()).ok).toBe(true);
    const got = collect(device);
    await sim.write(Buffer.from('hello\r\n'));
    await until(() => got.bytes() === 'hello\r\n');
    await device.close();
    await sim.close();
  });

  it('unplug removes the links and replug brings a working pair back at the same paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pty-test-'));
    try {
      const pair = await openPtyPair({ dir });
      pairs.push(pair);
      expect(pair.devicePath).toBe(join(dir, 'device'));
      await pair.unplug();
      expect(pair.plugged).toBe(false);
      expect(existsSync(pair.devicePath)).toBe(false);
      expect(existsSync(pair.simulatorPath)).toBe(false);
      await pair.replug();
      expect(pair.plugged).toBe(true);
      const device = new SerialTransport({ path: pair.devicePath });
      const sim = new SerialTransport({ path: pair.simulatorPath });
      expect((await device.open()).ok).toBe(true);
      expect((await sim.open()).ok).toBe(true);
      const got = collect(sim);
      await device.write(Uint8Array.of(0xaa, 0x00, 0xff));
      await until(() => got.bytes() === '\xaa\x00\xff');
      await device.close();
      await sim.close();
      await pair.close();
      expect(existsSync(dir)).toBe(true); // a caller's folder is left in place
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('close removes the temp folder it made', async () => {
    const pair = await openPtyPair();
    await pair.close();
    await pair.close();
    expect(existsSync(pair.devicePath)).toBe(false);
    expect(existsSync(join(pair.devicePath, '..'))).toBe(false);
    await expect(pair.replug()).rejects.toThrow(/closed/);
  });
});
