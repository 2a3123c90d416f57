import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keypadKeys } from '../../foundation/keypad-keys';
import {
  BootKeyboardState,
  BootReportStream,
  encodeBootReport,
  keypadKeyForUsage,
  parseBootReport,
  repeatsWhileHeld,
  Usage,
  usageName,
  usagesForKey,
} from './keypad-codec';

const bytes = (...values: number[]) => Uint8Array.from(values);

/** Up to six distinct real key usages (no error codes, no modifiers). */
const heldKeys = fc.uniqueArray(fc.integer({ min: 0x04, max: 0xdd }), { maxLength: 6 });

describe('parseBootReport', () => {
  it('reads the usages held, ignoring empty slots and the modifier byte', () => {
    expect(parseBootReport(bytes(0, 0, 0x60, 0, 0, 0, 0, 0))).toEqual({
      ok: true,
      value: { kind: 'keys', modifiers: 0, usages: [0x60] },
    });
    expect(parseBootReport(bytes(0x02, 0, 0x5d, 0x58, 0, 0, 0, 0))).toEqual({
      ok: true,
      value: { kind: 'keys', modifiers: 0x02, usages: [0x5d, 0x58] },
    });
    expect(parseBootReport(bytes(0, 0, 0, 0, 0, 0, 0, 0))).toEqual({
      ok: true,
      value: { kind: 'keys', modifiers: 0, usages: [] },
    });
  });

  it('treats ErrorRollOver (and POST fail, undefined error) as "held keys unknown"', () => {
    expect(parseBootReport(bytes(0, 0, 1, 1, 1, 1, 1, 1))).toEqual({ ok: true, value: { kind: 'rollover' } });
    expect(parseBootReport(bytes(0, 0, 2, 2, 2, 2, 2, 2))).toEqual({ ok: true, value: { kind: 'rollover' } });
    expect(parseBootReport(bytes(0, 0, 3, 3, 3, 3, 3, 3))).toEqual({ ok: true, value: { kind: 'rollover' } });
  });

  it('refuses any other size with a sentence naming it', () => {
    const nine = parseBootReport(bytes(1, 0, 0, 0x60, 0, 0, 0, 0, 0));
    expect(nine.ok).toBe(false);
    expect(!nine.ok && nine.error).toEqual({
      kind: 'unknown-report-layout',
      message: 'unsupported keypad report: 9 bytes (expected an 8-byte boot keyboard report)',
    });
    expect(parseBootReport(new Uint8Array(0)).ok).toBe(false);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (report) => {
        const parsed = parseBootReport(report);
        expect(parsed.ok).toBe(report.length === 8);
      }),
    );
  });
});

describe('encodeBootReport', () => {
  it('writes the bytes a keyboard sends', () => {
    expect([...encodeBootReport([Usage.keypad8])]).toEqual([0, 0, 0x60, 0, 0, 0, 0, 0]);
    expect([...encodeBootReport([Usage.keypad5, Usage.keypadEnter], 0x20)]).toEqual([0x20, 0, 0x5d, 0x58, 0, 0, 0, 0]);
    expect([...encodeBootReport([])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Seven keys held: the keyboard can only say "too many".
    expect([...encodeBootReport([4, 5, 6, 7, 8, 9, 10])]).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('round-trips through parseBootReport', () => {
    fc.assert(
      fc.property(heldKeys, fc.integer({ min: 0, max: 255 }), (usages, modifiers) => {
        expect(parseBootReport(encodeBootReport(usages, modifiers))).toEqual({
          ok: true,
          value: { kind: 'keys', modifiers, usages },
        });
      }),
    );
  });
});

describe('BootKeyboardState', () => {
  it('derives presses and releases from successive reports', () => {
    const state = new BootKeyboardState();
    const step = (...usages: number[]) => {
      const applied = state.apply(encodeBootReport(usages));
      if (!applied.ok) throw new Error(applied.error.message);
      return applied.value.transitions;
    };
    expect(step(0x60)).toEqual([{ usage: 0x60, down: true }]);
    expect(step(0x60)).toEqual([]); // still held: no second press
    expect(step(0x60, 0x5a)).toEqual([{ usage: 0x5a, down: true }]);
    expect(step(0x5a)).toEqual([{ usage: 0x60, down: false }]);
    expect(step()).toEqual([{ usage: 0x5a, down: false }]);
  });

  it('keeps the held keys through a rollover report and settles on the next proper one', () => {
    const state = new BootKeyboardState();
    state.apply(encodeBootReport([0x60]));
    expect(state.apply(encodeBootReport([1, 2, 3, 4, 5, 6, 7]))).toEqual({
      ok: true,
      value: { transitions: [], rollover: true },
    });
    expect(state.heldUsages).toEqual([0x60]);
    expect(state.apply(encodeBootReport([0x5a]))).toEqual({
      ok: true,
      value: {
        transitions: [
          { usage: 0x60, down: false },
          { usage: 0x5a, down: true },
        ],
        rollover: false,
      },
    });
  });

  it('releases every held key when the link goes away', () => {
    const state = new BootKeyboardState();
    state.apply(encodeBootReport([0x57, 0x55]));
    expect(state.releaseAll()).toEqual([
      { usage: 0x57, down: false },
      { usage: 0x55, down: false },
    ]);
    expect(state.heldUsages).toEqual([]);
  });

  it('property: replaying the transitions always reaches the keys the report says are held', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(heldKeys, fc.constant(null)), { maxLength: 30 }), (steps) => {
        const state = new BootKeyboardState();
        let replayed = new Set<number>();
        let downs = 0;
        let ups = 0;
        for (const usages of steps) {
          // null: a rollover report in between
          const applied = state.apply(usages === null ? bytes(0, 0, 1, 1, 1, 1, 1, 1) : encodeBootReport(usages));
          if (!applied.ok) throw new Error(applied.error.message);
          for (const t of applied.value.transitions) {
            // a key goes down only when up, and up only when down
            expect(replayed.has(t.usage)).toBe(!t.down);
            replayed = new Set(replayed);
            if (t.down) replayed.add(t.usage);
            else replayed.delete(t.usage);
            if (t.down) downs++;
            else ups++;
          }
          expect([...replayed].sort()).toEqual([...state.heldUsages].sort());
        }
        expect(downs - ups).toBe(state.heldUsages.length);
      }),
    );
  });
});

describe('BootReportStream', () => {
  it('cuts a stream into reports whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(heldKeys, { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1 }),
        (held, cuts) => {
          const reports = held.map((usages) => encodeBootReport(usages));
          const all = Uint8Array.from(reports.flatMap((r) => [...r]));
          const stream = new BootReportStream();
          const out: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < all.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            const pushed = stream.push(all.subarray(at, at + size));
            expect(pushed.error).toBeNull();
            out.push(...pushed.reports);
            at += size;
          }
          expect(out).toEqual(reports);
        },
      ),
    );
  });

  it('drops what it buffered when a report is out of step, and reads the next whole report', () => {
    const stream = new BootReportStream();
    const good = encodeBootReport([0x60]);
    // two stray bytes shift the stream: the next "report" has a non-zero reserved byte
    const pushed = stream.push(Uint8Array.from([...good, 0x02, 0x5d, ...good]));
    expect(pushed.reports).toEqual([good]);
    expect(pushed.error?.message).toBe('keypad stream out of step: reserved byte 0x5d (expected 0x00)');
    expect(stream.push(good)).toEqual({ reports: [good], error: null });
  });
});

describe('the key mapping', () => {
  it('maps the numeric keypad around the 5 with its bump', () => {
    expect(keypadKeyForUsage(Usage.keypad8)).toBe('up');
    expect(keypadKeyForUsage(Usage.keypad2)).toBe('down');
    expect(keypadKeyForUsage(Usage.keypad4)).toBe('back');
    expect(keypadKeyForUsage(Usage.keypad6)).toBe('enter');
    expect(keypadKeyForUsage(Usage.keypad5)).toBe('repeat');
    expect(keypadKeyForUsage(Usage.keypadEnter)).toBe('enter');
    expect(keypadKeyForUsage(Usage.keypad0)).toBe('help');
    expect(keypadKeyForUsage(Usage.keypadDecimal)).toBe('privacy');
    expect(keypadKeyForUsage(Usage.keypadPlus)).toBe('volume-up');
    expect(keypadKeyForUsage(Usage.keypadMinus)).toBe('volume-down');
    expect(keypadKeyForUsage(Usage.keypadMultiply)).toBe('rate-up');
    expect(keypadKeyForUsage(Usage.keypadDivide)).toBe('rate-down');
  });

  it('maps the EZ Access-style keys', () => {
    expect(keypadKeyForUsage(Usage.arrowUp)).toBe('up');
    expect(keypadKeyForUsage(Usage.arrowDown)).toBe('down');
    expect(keypadKeyForUsage(Usage.arrowLeft)).toBe('back');
    expect(keypadKeyForUsage(Usage.enter)).toBe('enter');
    expect(keypadKeyForUsage(Usage.f1)).toBe('help');
    expect(keypadKeyForUsage(Usage.volumeUp)).toBe('volume-up');
    expect(keypadKeyForUsage(Usage.volumeDown)).toBe('volume-down');
  });

  it('gives the keys easily hit by accident no job', () => {
    for (const usage of [Usage.keypad1, Usage.keypad3, Usage.keypad7, Usage.keypad9, Usage.numLock, 0x04])
      expect(keypadKeyForUsage(usage)).toBeNull();
  });

  it('reaches every kiosk key from the numeric keypad alone', () => {
    for (const key of keypadKeys) {
      const usages = usagesForKey(key);
      expect(usages.some((u) => u >= Usage.keypadDivide && u <= Usage.keypadDecimal)).toBe(true);
      for (const usage of usages) expect(keypadKeyForUsage(usage)).toBe(key);
    }
  });

  it('repeats only volume and rate while held', () => {
    expect(keypadKeys.filter(repeatsWhileHeld)).toEqual(['volume-up', 'volume-down', 'rate-up', 'rate-down']);
  });

  it('names keys for technicians', () => {
    expect(usageName(Usage.keypad5)).toBe('keypad 5');
    expect(usageName(Usage.arrowUp)).toBe('arrow up');
    expect(usageName(Usage.f1)).toBe('f1');
    expect(usageName(Usage.keypadEnter)).toBe('keypad enter');
    expect(usageName(0x1e)).toBe('usage 0x1e');
  });
});
