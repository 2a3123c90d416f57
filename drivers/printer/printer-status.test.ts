import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  STATUS_QUERIES,
  StatusStreamParser,
  decodeAutoStatus,
  encodeAutoStatus,
  encodeRealtime,
  isRealtimeReply,
  statusFromRealtime,
  type PrinterStatus,
} from './printer-status';

const statusArb = fc.record({
  online: fc.boolean(),
  paper: fc.constantFrom('ok' as const, 'near-end' as const, 'out' as const),
  coverOpen: fc.boolean(),
  error: fc.constantFrom(null, 'cutter' as const, 'unrecoverable' as const, 'auto-recoverable' as const),
});

describe('real-time status (DLE EOT n)', () => {
  it('reads an idle printer (all four replies 0x12) as ready', () => {
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 })).toEqual({
      online: true,
      paper: 'ok',
      coverOpen: false,
      error: null,
    });
  });

  it('decodes each documented bit', () => {
    expect(statusFromRealtime({ 1: 0x1a, 2: 0x12, 3: 0x12, 4: 0x12 }).online).toBe(false);
    expect(statusFromRealtime({ 1: 0x12, 2: 0x16, 3: 0x12, 4: 0x12 }).coverOpen).toBe(true);
    expect(statusFromRealtime({ 1: 0x12, 2: 0x32, 3: 0x12, 4: 0x12 }).paper).toBe('out'); // stopped by paper end
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x1a, 4: 0x12 }).error).toBe('cutter');
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x32, 4: 0x12 }).error).toBe('unrecoverable');
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x52, 4: 0x12 }).error).toBe('auto-recoverable');
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1e }).paper).toBe('near-end');
    expect(statusFromRealtime({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x72 }).paper).toBe('out');
  });

  it('property: every encoded reply byte is a valid reply and decodes back to the status', () => {
    fc.assert(
      fc.property(statusArb, (status: PrinterStatus) => {
        const replies = {
          1: encodeRealtime(1, status),
          2: encodeRealtime(2, status),
          3: encodeRealtime(3, status),
          4: encodeRealtime(4, status),
        };
        for (const n of STATUS_QUERIES) expect(isRealtimeReply(replies[n])).toBe(true);
        expect(statusFromRealtime(replies)).toEqual(status);
      }),
    );
  });
});

describe('automatic status back', () => {
  it('property: frames round-trip', () => {
    fc.assert(
      fc.property(statusArb, (status) => {
        expect(decodeAutoStatus([...encodeAutoStatus(status)] as [number, number, number, number])).toEqual(status);
      }),
    );
  });

  it('decodes an Epson frame with paper near end', () => {
    expect(decodeAutoStatus([0x10, 0x00, 0x03, 0x00])).toEqual({
      online: true,
      paper: 'near-end',
      coverOpen: false,
      error: null,
    });
  });
});

describe('StatusStreamParser', () => {
  it('separates a real-time reply from an automatic frame it interrupts, across chunks', () => {
    const parser = new StatusStreamParser();
    const events = [...parser.push(Uint8Array.of(0x00, 0x30, 0x00)), ...parser.push(Uint8Array.of(0x12, 0x0c, 0x00))];
    expect(events).toEqual([
      { kind: 'noise', byte: 0x00 },
      { kind: 'realtime', byte: 0x12 },
      { kind: 'auto-status', status: { online: true, paper: 'out', coverOpen: true, error: null } },
    ]);
  });

  it('drops a broken frame as noise and starts over on a new first byte', () => {
    const parser = new StatusStreamParser();
    expect(parser.push(Uint8Array.of(0x10, 0x00, 0x10, 0x00, 0x00, 0x00)).map((e) => e.kind)).toEqual([
      'noise',
      'noise',
      'auto-status',
    ]);
  });

  it('property: any byte stream gives one event per real-time byte outside frames and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 7 }), (bytes, chunk) => {
        const parser = new StatusStreamParser();
        let count = 0;
        for (let i = 0; i < bytes.length; i += chunk) {
          for (const e of parser.push(bytes.subarray(i, i + chunk))) {
            if (e.kind === 'realtime') expect(isRealtimeReply(e.byte)).toBe(true);
            count += e.kind === 'auto-status' ? 4 : 1;
          }
        }
        expect(count).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });
});
