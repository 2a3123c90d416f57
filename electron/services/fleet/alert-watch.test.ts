import { describe, expect, it } from 'vitest';
import { conditionsOf, defaultThresholds, type Observation } from './alert-watch';

const now = Date.parse('2026-11-24T08:00:00.000Z');
const healthy: Observation = {
  devices: { printer: { state: 'ready' }, 'id-reader': { state: 'ready' }, scanner: { state: 'ready' } },
  outbox: { depth: 0, oldestUnsentAt: null },
  diskFreeBytes: 10e9,
  applicationsRefused: false,
  clockOffsetMs: 0,
  now,
};
const codes = (observation: Partial<Observation>) => [
  ...conditionsOf({ ...healthy, ...observation }, defaultThresholds).keys(),
];

describe('which alert conditions hold', () => {
  it('none on a healthy terminal', () => {
    expect(codes({})).toEqual([]);
  });

  it('paper out wins over near-end, and near-end alone is a warning condition', () => {
    expect(codes({ devices: { printer: { state: 'paper-out' } } })).toEqual(['printer-paper-out']);
    expect(codes({ devices: { printer: { state: 'paper-near-end' } } })).toEqual(['printer-paper-near-end']);
  });

  it('unplugged devices wait to settle; faults do not', () => {
    const found = conditionsOf(
      { ...healthy, devices: { printer: { state: 'no-device' }, 'id-reader': { state: 'error', detail: 'CRC' } } },
      defaultThresholds,
    );
    expect(found.get('printer-unplugged')?.settle).toBe(true);
    expect(found.get('id-reader-fault')).toEqual({ detail: 'CRC', settle: false });
  });

  it('a role it does not know (a camera) raises nothing', () => {
    expect(codes({ devices: { camera: { state: 'no-device' } } })).toEqual([]);
  });

  it('outbox stuck only past the threshold', () => {
    const at = (ms: number) => new Date(now - ms).toISOString();
    expect(codes({ outbox: { depth: 2, oldestUnsentAt: at(defaultThresholds.outboxStuckMs) } })).toEqual([]);
    expect(codes({ outbox: { depth: 2, oldestUnsentAt: at(defaultThresholds.outboxStuckMs + 1) } })).toEqual([
      'outbox-stuck',
    ]);
  });

  it('disk low below the threshold and clock skew either way; unknown values raise nothing', () => {
    expect(codes({ diskFreeBytes: defaultThresholds.diskLowBytes - 1 })).toEqual(['disk-low']);
    expect(codes({ clockOffsetMs: -defaultThresholds.clockSkewMs - 1 })).toEqual(['clock-skew']);
    expect(codes({ diskFreeBytes: null, clockOffsetMs: null })).toEqual([]);
  });

  it('disk low, saying so, whenever the terminal refuses applications for want of space — below any threshold of its own', () => {
    const found = conditionsOf(
      { ...healthy, diskFreeBytes: 7 * 1024 * 1024, applicationsRefused: true },
      {
        ...defaultThresholds,
        diskLowBytes: 1024 * 1024,
      },
    );
    expect([...found.keys()]).toEqual(['disk-low']);
    expect(found.get('disk-low')?.detail).toBe('7 MB free; new applications refused');
  });
});
