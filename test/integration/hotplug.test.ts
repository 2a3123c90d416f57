import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair } from '../../drivers/simulators/pty';
import { isDeviceNode, watchDevicePaths, watchForRemoval, type HotplugEvent } from '../../drivers/transport/hotplug';
import { until } from '../support/until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hotplug-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A second watcher on the same folder, with the same debounce, that sees everything: once it has
 * reported a change, the watcher under test has had the same chance to react. That is how a test
 * shows something did NOT happen without sleeping for a guessed while.
 */
function witness(dir: string): HotplugEvent[] {
  const seen: HotplugEvent[] = [];
  const watcher = watchDevicePaths({ dirs: [dir], accept: () => true, debounceMs: 20 });
  watcher.onChange((event) => seen.push(event));
  cleanups.push(() => watcher.close());
  return seen;
}

describe('watchDevicePaths', () => {
  it('reports PTY links appearing on plug and disappearing on unplug', async () => {
    const dir = await tempDir();
    const watcher = watchDevicePaths({ dirs: [dir], accept: () => true, debounceMs: 20 });
    cleanups.push(() => watcher.close());
    const events: HotplugEvent[] = [];
    watcher.onChange((e) => events.push(e));
    expect(watcher.present()).toEqual([]);

    const pair = await openPtyPair({ dir });
    cleanups.push(() => pair.close());
    await until(() => events.length === 2);
    expect(events.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
      `added ${pair.devicePath}`,
      `added ${pair.simulatorPath}`,
    ]);
    expect([...watcher.present()].sort()).toEqual([pair.devicePath, pair.simulatorPath]);

    events.length = 0;
    await pair.unplug();
    await until(() => events.length === 2);
    expect(events.every((e) => e.type === 'removed')).toBe(true);

    events.length = 0;
    await pair.replug();
    await until(() => events.length === 2);
    expect(events.filter((e) => e.type === 'added' && e.path === pair.devicePath)).toHaveLength(1);
  });

  it('filters entries and picks up a watched folder created later', async () => {
    const root = await tempDir();
    const byId = join(root, 'by-id');
    const watcher = watchDevicePaths({
      dirs: [root, byId],
      accept: (p) => p.endsWith('ttyUSB0') || p.includes('/by-id/'),
      debounceMs: 20,
    });
    cleanups.push(() => watcher.close());
    const events: HotplugEvent[] = [];
    watcher.onChange((e) => events.push(e));
    await writeFile(join(root, 'notes.txt'), 'x'); // not a device: no event
    await writeFile(join(root, 'ttyUSB0'), '');
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ type: 'added', path: join(root, 'ttyUSB0') });
    // No wait needed: a file made before the rescan attaches by-id is found by that rescan's listing,
    // one made after it by the new watch.
    await mkdir(byId);
    await writeFile(join(byId, 'usb-Scanner_123-if00'), '');
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'added', path: join(byId, 'usb-Scanner_123-if00') });
  });

  it('closes quietly and stops reporting', async () => {
    const dir = await tempDir();
    const watcher = watchDevicePaths({ dirs: [dir], accept: () => true, debounceMs: 10 });
    const events: HotplugEvent[] = [];
    watcher.onChange((e) => events.push(e));
    watcher.close();
    const seen = witness(dir);
    await writeFile(join(dir, 'ttyUSB1'), '');
    await until(() => seen.length === 1, 10_000, 'the witness watcher to see the new node');
    expect(events).toEqual([]);
  });
});

describe('watchForRemoval', () => {
  it('calls back once when the path goes away', async () => {
    const dir = await tempDir();
    const path = join(dir, 'lp0');
    await writeFile(path, '');
    let gone = 0;
    const stop = watchForRemoval(path, () => gone++);
    cleanups.push(stop);
    const seen = witness(dir);
    await writeFile(join(dir, 'other'), '');
    await until(() => seen.length === 1, 10_000, 'the witness watcher to see the other file');
    expect(gone).toBe(0);
    await rm(path);
    await until(() => gone === 1);
  });
});

describe('isDeviceNode', () => {
  it('accepts serial and HID nodes and by-id links, not other /dev entries', () => {
    expect(
      [
        '/dev/ttyUSB0',
        '/dev/ttyACM1',
        '/dev/ttyS0',
        '/dev/hidraw2',
        '/dev/kiosk-idreader',
        '/dev/serial/by-id/usb-X-if00',
      ].every(isDeviceNode),
    ).toBe(true);
    expect(['/dev/tty', '/dev/tty1', '/dev/null', '/dev/sda'].some(isDeviceNode)).toBe(false);
  });
});
