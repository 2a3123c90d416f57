import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { memoryLink } from '../transport/memory-link';
import { encodeBootReport, Usage } from './keypad-codec';
import type { KeypadPress } from './keypad-driver';
import { KeypadService, type KeypadStatus } from './keypad-service';

// Bytes cross the memory link asynchronously: each test waits for what it expects to see.
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000 });

function setup() {
  const link = memoryLink();
  const log = recordingLog();
  const service = new KeypadService({
    connect: () => link.device,
    framing: 'report',
    log,
    backoff: { baseMs: 5, capMs: 10, jitter: 0 },
  });
  const statuses: KeypadStatus[] = [];
  const presses: KeypadPress[] = [];
  service.on('status', (s) => statuses.push(s));
  service.on('press', (p) => presses.push(p));
  const tap = async (usage: number) => {
    await link.reader.write(encodeBootReport([usage]));
    await link.reader.write(encodeBootReport([]));
  };
  return { link, log, service, statuses, presses, tap };
}

describe('KeypadService', () => {
  it('is ready once the link opens and emits each key press', async () => {
    const { link, service, presses, tap, statuses } = setup();
    await link.reader.open();
    await service.start();
    expect(service.status).toEqual({ state: 'ready' });
    await tap(Usage.keypad8);
    await tap(Usage.keypadEnter);
    await eventually(() => expect(presses.map((p) => p.key)).toEqual(['up', 'enter']));
    expect(statuses).toEqual([{ state: 'ready' }]);
    await service.stop();
    expect(service.status).toEqual({ state: 'no-device', reason: 'stopped' });
  });

  it('reports no-device on unplug, forgets held keys, and recovers on replug', async () => {
    const { link, service, presses, statuses, tap } = setup();
    await link.reader.open();
    await service.start();
    await link.reader.write(encodeBootReport([Usage.keypad2])); // held while unplugged
    await eventually(() => expect(presses.map((p) => p.key)).toEqual(['down']));
    link.unplug();
    await eventually(() => expect(service.status.state).toBe('no-device'));
    link.replug();
    await link.reader.open();
    await eventually(() => expect(service.status).toEqual({ state: 'ready' }));
    await tap(Usage.keypad2);
    await eventually(() => expect(presses.map((p) => p.key)).toEqual(['down', 'down']));
    expect(statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'ready',
      'no-device',
      'ready',
    ]);
    await service.stop();
  });

  it('starts in no-device when nothing is plugged in', async () => {
    const { link, service } = setup();
    link.unplug();
    await service.start();
    expect(service.status.state).toBe('no-device');
    expect('reason' in service.status && service.status.reason).toContain('unplugged');
    await service.stop();
  });

  it('shows a report of another layout as an error until a good report comes', async () => {
    const { link, service, presses, tap } = setup();
    await link.reader.open();
    await service.start();
    await link.reader.write(Uint8Array.from([0x01, 0, 0, 0x60, 0, 0, 0, 0, 0]));
    await eventually(() =>
      expect(service.status).toEqual({
        state: 'error',
        reason: 'unsupported keypad report: 9 bytes (expected an 8-byte boot keyboard report)',
      }),
    );
    await tap(Usage.keypad5);
    await eventually(() => expect(service.status).toEqual({ state: 'ready' }));
    expect(presses.map((p) => p.key)).toEqual(['repeat']);
    await service.stop();
  });

  it('self-test: names the key pressed, mapped or not', async () => {
    const { link, service, tap } = setup();
    await link.reader.open();
    await service.start();
    const test = service.selfTest(5000);
    await tap(Usage.keypad7);
    expect(await test).toEqual({ ok: true, value: { key: null, usage: 0x5f, name: 'keypad 7', repeat: false } });
    await service.stop();
  });

  it('self-test: fails in time without a press, and at once without a keypad', async () => {
    const { link, service } = setup();
    link.unplug();
    await service.start();
    const absent = await service.selfTest(5000);
    expect(!absent.ok && absent.error.message).toMatch(/^keypad not ready: /);
    link.replug();
    await link.reader.open();
    await eventually(() => expect(service.status.state).toBe('ready'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const waiting = service.selfTest(15_000);
      await vi.advanceTimersByTimeAsync(15_000);
      expect(await waiting).toEqual({ ok: false, error: { message: 'no key pressed within 15 s' } });
    } finally {
      vi.useRealTimers();
    }
    await service.stop();
  });
});
