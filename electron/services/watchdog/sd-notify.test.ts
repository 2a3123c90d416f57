import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNotification, notifySocketAddress, openServiceNotifier, watchdogPeriodMs } from './sd-notify';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sd_notify', () => {
  it('encodes one assignment per line and cannot be made to forge a second one', () => {
    expect(encodeNotification({ READY: '1', STATUS: 'serving' }).toString()).toBe('READY=1\nSTATUS=serving\n');
    expect(encodeNotification({ STATUS: 'bad\nREADY=1' }).toString()).toBe('STATUS=bad READY=1\n');
    expect(() => encodeNotification({ 'READY=1\nX': '1' })).toThrow(/bad key/);
  });

  it('reads the watchdog period only when it is meant for this process', () => {
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '20000000' }, 42)).toBe(20_000);
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '20000000', WATCHDOG_PID: '42' }, 42)).toBe(20_000);
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '20000000', WATCHDOG_PID: '7' }, 42)).toBeNull();
    expect(watchdogPeriodMs({}, 42)).toBeNull();
  });

  it('maps the abstract namespace', () => {
    expect(notifySocketAddress('@/org/freedesktop/systemd1/notify')).toBe('\0/org/freedesktop/systemd1/notify');
    expect(notifySocketAddress('/run/systemd/notify')).toBe('/run/systemd/notify');
  });

  it('is a no-op without NOTIFY_SOCKET', async () => {
    const notifier = openServiceNotifier({});
    expect(notifier.active).toBe(false);
    await notifier.send({ READY: '1' });
    notifier.close();
  });

  it('delivers a datagram to the socket systemd names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-notify-'));
    dirs.push(dir);
    const path = join(dir, 'notify');
    const receiver = new DgramSocket();
    receiver.bind(path);
    const received = new Promise<string>((resolve) =>
      receiver.once('data', (data: Buffer) => resolve(data.toString())),
    );
    const notifier = openServiceNotifier({ NOTIFY_SOCKET: path });
    await notifier.send({ READY: '1', STATUS: 'serving' });
    expect(await received).toBe('READY=1\nSTATUS=serving\n');
    notifier.close();
    receiver.close();
  });
});
