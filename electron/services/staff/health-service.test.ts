import { describe, expect, it } from 'vitest';
import { adviceFor } from './staff-queue';
import { tmpdir } from 'node:os';
import { defaultConfig } from '../../../kiosk-config/default-config';
import type { A4PrinterView } from '../../api/staff-contract';
import { clockOffMinutes, createHealthService, problemsOf } from './health-service';

const calm = {
  reachable: true,
  failed: 0,
  depth: 0,
  oldestUnsentAt: null,
  freeBytes: 10e9,
  now: Date.parse('2026-11-24T08:00:00Z'),
};

describe('health problems', () => {
  it('names each problem once, with printers by their state and unattached devices ignored', () => {
    expect(problemsOf([], calm)).toEqual([]);
    expect(
      problemsOf(
        [
          { role: 'printer', link: { kind: 'simulated' }, status: { state: 'paper-out' } },
          {
            role: 'id-reader',
            link: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 },
            status: { state: 'no-device', detail: 'ENOENT' },
          },
          { role: 'scanner', link: { kind: 'none' }, status: { state: 'no-device' } },
        ],
        {
          ...calm,
          reachable: false,
          failed: 2,
          depth: 3,
          oldestUnsentAt: '2026-11-24T06:00:00Z',
          freeBytes: 100e6,
        },
      ),
    ).toEqual([
      'printer-paper-out',
      'id-reader-offline',
      'platform-unreachable',
      'outbox-failed',
      'outbox-backlog',
      'disk-low',
    ]);
    expect(
      problemsOf([{ role: 'printer', link: { kind: 'simulated' }, status: { state: 'paper-near-end' } }], calm),
    ).toEqual(['printer-paper-low']);
    expect(problemsOf([{ role: 'printer', link: { kind: 'simulated' }, status: { state: 'busy' } }], calm)).toEqual([]);
  });

  it('says applications are refused instead of the early disk warning once space is too short to take one', () => {
    expect(problemsOf([], { ...calm, freeBytes: 100e6, applicationsRefused: true })).toEqual(['storage-full']);
    expect(problemsOf([], { ...calm, applicationsRefused: true })).toEqual(['storage-full']);
    expect(problemsOf([], { ...calm, freeBytes: 100e6, applicationsRefused: false })).toEqual(['disk-low']);
  });

  it('names each unplugged device by its own problem (a keypad is not a scanner)', () => {
    const hid = { kind: 'hid', vendorId: 0x05a4, productId: 0x9759 } as const;
    expect(
      problemsOf(
        [
          { role: 'keypad', link: hid, status: { state: 'no-device', detail: 'unplugged' } },
          { role: 'scanner', link: { kind: 'simulated' }, status: { state: 'error', detail: 'busy' } },
        ],
        calm,
      ),
    ).toEqual(['keypad-offline', 'scanner-offline']);
    expect(problemsOf([{ role: 'keypad', link: hid, status: { state: 'ready' } }], calm)).toEqual([]);
  });

  it('names an A4 printer that is set up but cannot print, never one that is not set up', () => {
    const ipp = { kind: 'ipp', uri: 'ipp://printer.local/ipp/print' } as const;
    expect(problemsOf([], { ...calm, a4Printer: { link: ipp, state: 'media-empty' } })).toEqual([
      'a4-printer-attention',
    ]);
    expect(problemsOf([], { ...calm, a4Printer: { link: ipp, state: 'offline' } })).toEqual(['a4-printer-attention']);
    expect(problemsOf([], { ...calm, a4Printer: { link: ipp, state: 'busy' } })).toEqual([]);
    expect(problemsOf([], { ...calm, a4Printer: { link: { kind: 'none' }, state: 'not-configured' } })).toEqual([]);
  });

  it('says the platform refuses the terminal’s clock or enrolment rather than "unreachable"', () => {
    const since = '2026-11-24T07:00:00Z';
    const clockHold = { kind: 'clock' as const, offsetMs: -610_000, since };
    expect(problemsOf([], { ...calm, reachable: false, hold: clockHold })).toEqual(['terminal-clock-off']);
    expect(problemsOf([], { ...calm, reachable: false, hold: { kind: 'not-enrolled', since } })).toEqual([
      'terminal-not-enrolled',
    ]);
    expect(clockOffMinutes(clockHold)).toBe(10);
    expect(clockOffMinutes({ ...clockHold, offsetMs: 20_000 })).toBe(1);
    expect(clockOffMinutes({ ...clockHold, offsetMs: null })).toBeNull();
    expect(clockOffMinutes(null)).toBeNull();
  });

  it('says the database was restored from a backup, for a week', () => {
    const restoredAt = '2026-11-20T08:00:00Z';
    expect(problemsOf([], { ...calm, restoredAt })).toEqual(['database-restored']);
    expect(problemsOf([], { ...calm, restoredAt, now: Date.parse('2026-11-27T08:00:01Z') })).toEqual([]);
  });
});

describe('advice for a failed send', () => {
  it('tells staff what to do from the platform’s answer', () => {
    expect(adviceFor(null, false)).toBeNull();
    expect(adviceFor('connect ECONNREFUSED 127.0.0.1:1', false)).toBe('check-network');
    expect(adviceFor('422 Invalid application; answers.phone: bad', true)).toBe('fix-and-retry');
    expect(adviceFor('401 Unauthorized: unknown key', true)).toBe('call-technician');
    expect(adviceFor('stored application unreadable: decrypt-failed', true)).toBe('call-technician');
    expect(adviceFor('500 Internal error', true)).toBe('retry-later');
    expect(adviceFor('401 Request signature refused: request is 610 s old', false, 'clock')).toBe('terminal-clock-off');
    expect(adviceFor('401 Request signature refused: unknown terminal key', false, 'not-enrolled')).toBe(
      'terminal-not-enrolled',
    );
  });
});

describe('staff health', () => {
  const a4View: A4PrinterView = {
    link: { kind: 'none' },
    state: 'not-configured',
    warnings: [],
    model: null,
    detail: null,
  };
  const service = (probes: { ping: number; a4: number }) =>
    createHealthService({
      config: defaultConfig,
      devices: { states: () => [] },
      outbox: {
        status: () => ({
          depth: 0,
          oldestUnsentAt: null,
          failed: 0,
          sending: 0,
          lastSuccessfulContactAt: null,
          hold: null,
        }),
      },
      pingPlatform: () => (probes.ping++, Promise.resolve(true)),
      a4Printer: () => (probes.a4++, Promise.resolve(a4View)),
      dataDir: tmpdir(),
      storage: { state: () => ({ accepting: true, freeBytes: 10e9, reserveHeld: true }) },
      now: () => new Date('2026-12-03T08:00:00Z'),
    });

  it('asks the platform and the A4 printer at most once per 15 s, however often staff look', async () => {
    const probes = { ping: 0, a4: 0 };
    const health = service(probes);
    const answers = await Promise.all([health.health(), health.health(), health.health()]);
    await health.health();
    expect(probes).toEqual({ ping: 1, a4: 1 });
    // When the platform was asked, in wall time (shown to staff).
    expect(answers[0]?.ok && answers[0].value.platform.checkedAt).toBe('2026-12-03T08:00:00.000Z');
  });
});
