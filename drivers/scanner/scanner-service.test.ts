import { describe, expect, it, vi } from 'vitest';
import { memoryLink } from '../transport/memory-link';
import { recordingLog } from '../../foundation/log';
import { encodeHidPosReports, type ScanTimers } from './scanner-codec';
import { ScannerService, statusForLinkError, type ScannedCode, type ScannerStatus } from './scanner-service';
import { scanBytes } from './scanner-simulator';

// Bytes cross the memory link asynchronously: each test waits for what it expects to see.
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000 });

function setup(kind: 'serial' | 'hid', timers?: ScanTimers) {
  const link = memoryLink();
  const log = recordingLog();
  const service = new ScannerService({
    connect: () => link.device,
    kind,
    log,
    backoff: { baseMs: 5, capMs: 10, jitter: 0 },
    ...(timers === undefined ? {} : { timers }),
  });
  const statuses: ScannerStatus[] = [];
  const scans: ScannedCode[] = [];
  service.on('status', (s) => statuses.push(s));
  service.on('scanned', (c) => scans.push(c));
  return { link, log, service, statuses, scans, send: (bytes: Uint8Array) => link.reader.write(bytes) };
}

describe('ScannerService', () => {
  it('is ready once the link opens and emits each scanned line', async () => {
    const { link, service, statuses, scans, send, log } = setup('serial');
    await link.reader.open();
    await service.start();
    expect(service.status).toEqual({ state: 'ready' });
    await send(scanBytes('RCPT-2024-000123'));
    await send(scanBytes('申报回执', { encoding: 'gbk' }));
    await eventually(() => expect(scans).toEqual([{ text: 'RCPT-2024-000123' }, { text: '申报回执' }]));
    expect(statuses).toEqual([{ state: 'ready' }]);
    // Logs say that something was scanned, never what.
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain('RCPT-2024');
    expect(text).not.toContain('申报回执');
    expect(log.lines.filter((l) => l.message === 'code scanned').map((l) => l.fields['length'])).toEqual([16, 4]);
    await service.stop();
  });

  it('reports no-device on unplug, drops a half-sent code, and recovers on replug', async () => {
    const { link, service, statuses, scans, send } = setup('serial');
    await link.reader.open();
    await service.start();
    await send(scanBytes('HALF', { suffix: '' }));
    await eventually(() => expect(service.status).toEqual({ state: 'ready' }));
    link.unplug();
    await eventually(() => expect(service.status.state).toBe('no-device'));
    link.replug();
    await link.reader.open();
    await eventually(() => expect(service.status).toEqual({ state: 'ready' }));
    await send(scanBytes('AFTER'));
    await eventually(() => expect(scans).toEqual([{ text: 'AFTER' }]));
    // The reason may change while it is away (disconnected, then not found on retry).
    expect(statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'ready',
      'no-device',
      'ready',
    ]);
    await service.stop();
  });

  it('starts in no-device when nothing is plugged in', async () => {
    const { link, service } = setup('serial');
    link.unplug();
    await service.start();
    expect(service.status.state).toBe('no-device');
    expect('reason' in service.status && service.status.reason).toContain('unplugged');
    await service.stop();
    expect(service.status).toEqual({ state: 'no-device', reason: 'stopped' });
  });

  it('reads HID POS reports with their symbology and flags an unknown layout as an error', async () => {
    const { link, service, scans, send } = setup('hid');
    await link.reader.open();
    await service.start();
    for (const r of encodeHidPosReports(
      Buffer.from('https://example.gov.cn/p?id=12345678901234567890123456789012345678901234567890'),
      ']Q1',
    ))
      await send(r);
    await eventually(() =>
      expect(scans).toEqual([
        { text: 'https://example.gov.cn/p?id=12345678901234567890123456789012345678901234567890', symbology: 'qr' },
      ]),
    );
    await send(Uint8Array.of(0x01, 0x00, 0x04)); // a keyboard-style report: not HID POS
    await eventually(() => {
      expect(service.status.state).toBe('error');
      expect('reason' in service.status && service.status.reason).toContain('unsupported HID POS report');
    });
    const first = encodeHidPosReports(Buffer.from('OK'))[0];
    if (first !== undefined) await send(first);
    await eventually(() => expect(service.status).toEqual({ state: 'ready' }));
    await service.stop();
  });

  it('self-test passes on a scan and fails after the timeout or when not ready', async () => {
    const { link, service, send } = setup('serial');
    await link.reader.open();
    await service.start();
    const waiting = service.selfTest(1000);
    await send(scanBytes('TEST'));
    const passed = await waiting;
    expect(passed.ok ? passed.value.text : passed.error.message).toBe('TEST');
    const timedOut = await service.selfTest(20);
    expect(timedOut.ok ? 'ok' : timedOut.error.message).toBe('no code scanned within 0 s');
    expect(service.listenerCount('scanned')).toBe(1); // the test's own listener only
    link.unplug();
    await eventually(() => expect(service.status.state).toBe('no-device'));
    const notReady = await service.selfTest(1000);
    expect(notReady.ok ? 'ok' : notReady.error.message).toContain('scanner not ready');
    await service.stop();
  });

  it('maps link errors: absent devices are no-device, setup problems are errors', () => {
    expect(statusForLinkError({ kind: 'not-found', message: 'x' }).state).toBe('no-device');
    expect(statusForLinkError({ kind: 'disconnected', message: 'x' }).state).toBe('no-device');
    expect(statusForLinkError({ kind: 'permission-denied', message: 'x' })).toEqual({ state: 'error', reason: 'x' });
    expect(statusForLinkError({ kind: 'busy', message: 'x' }).state).toBe('error');
  });
});
