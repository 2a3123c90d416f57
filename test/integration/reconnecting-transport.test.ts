import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair } from '../../drivers/simulators/pty';
import { watchDevicePaths } from '../../drivers/transport/hotplug';
import { ReconnectingTransport, type LinkStatus } from '../../drivers/transport/reconnecting-transport';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('ReconnectingTransport over a PTY with hotplug', () => {
  it('goes disconnected on unplug and reconnects as soon as the port reappears, not after the backoff', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reconnect-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pair = await openPtyPair({ dir });
    cleanups.push(() => pair.close());
    const hotplug = watchDevicePaths({ dirs: [dir], accept: () => true, debounceMs: 10 });
    cleanups.push(() => hotplug.close());
    const link = new ReconnectingTransport({
      create: () => new SerialTransport({ path: pair.devicePath }),
      // Long enough that only the hotplug event can explain a quick reconnect.
      backoff: { baseMs: 20_000, capMs: 20_000 },
      hotplug,
      devicePath: pair.devicePath,
    });
    cleanups.push(() => link.close());
    const statuses: LinkStatus[] = [];
    link.onStatus((s) => statuses.push(s));
    expect((await link.open()).ok).toBe(true);

    await pair.unplug();
    await until(() => link.status.state === 'disconnected');
    const down = link.status;
    expect(down.state === 'disconnected' ? down.reason.kind : '').toBe('disconnected');

    const replugged = Date.now();
    await pair.replug();
    await until(() => link.status.state === 'connected');
    expect(Date.now() - replugged).toBeLessThan(3000);

    // The new link carries data.
    const sim = new SerialTransport({ path: pair.simulatorPath });
    expect((await sim.open()).ok).toBe(true);
    cleanups.push(() => sim.close());
    const got: number[] = [];
    link.onData((c) => got.push(...c));
    await sim.write(Uint8Array.of(0x42));
    await until(() => got.length === 1);
    expect(statuses.map((s) => s.state)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });
});
