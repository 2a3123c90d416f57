import { describe, expect, it } from 'vitest';
import type { Timers } from '../../foundation/clock';
import { encodeBootReport, Usage } from './keypad-codec';
import { KeypadDriver, type KeypadPress } from './keypad-driver';

/** Timers a test moves by hand: `advance(ms)` fires what falls due, in order. */
function steppedTimers(): Timers & { advance(ms: number): void; readonly pending: number } {
  let now = 0;
  let next = 1;
  const waiting = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      waiting.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout(handle) {
      waiting.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...waiting].filter(([, w]) => w.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        waiting.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    get pending() {
      return waiting.size;
    },
  };
}

function setup(framing: 'report' | 'stream' = 'report') {
  const timers = steppedTimers();
  const presses: KeypadPress[] = [];
  const errors: string[] = [];
  const driver = new KeypadDriver({
    framing,
    timers,
    repeat: { delayMs: 800, intervalMs: 500 },
    onPress: (p) => presses.push(p),
    onReportError: (e) => errors.push(e.message),
  });
  const hold = (...usages: number[]) => driver.push(encodeBootReport(usages));
  const keys = () => presses.map((p) => `${p.key ?? p.name}${p.repeat ? '*' : ''}`);
  return { driver, timers, presses, errors, hold, keys };
}

describe('KeypadDriver', () => {
  it('turns a press and release into one key, with its name', () => {
    const { hold, presses } = setup();
    hold(Usage.keypad8);
    hold();
    expect(presses).toEqual([{ key: 'up', usage: 0x60, name: 'keypad 8', repeat: false }]);
  });

  it('never repeats up or down, however long they are held', () => {
    const { hold, timers, keys } = setup();
    hold(Usage.keypad2);
    timers.advance(10_000);
    expect(keys()).toEqual(['down']);
    expect(timers.pending).toBe(0);
  });

  it('repeats a held volume key slowly and stops on release', () => {
    const { hold, timers, keys } = setup();
    hold(Usage.keypadPlus);
    timers.advance(799);
    expect(keys()).toEqual(['volume-up']);
    timers.advance(1); // 800 ms: first repeat
    timers.advance(1000); // 1300, 1800
    expect(keys()).toEqual(['volume-up', 'volume-up*', 'volume-up*', 'volume-up*']);
    hold();
    timers.advance(5000);
    expect(keys()).toHaveLength(4);
    expect(timers.pending).toBe(0);
  });

  it('ends a repeat when another key goes down, and on reset (unplug)', () => {
    const { hold, timers, keys, driver } = setup();
    hold(Usage.keypadMultiply);
    hold(Usage.keypadMultiply, Usage.keypad5);
    timers.advance(5000);
    expect(keys()).toEqual(['rate-up', 'repeat']);
    hold(Usage.keypadMinus);
    driver.reset();
    timers.advance(5000);
    expect(keys()).toEqual(['rate-up', 'repeat', 'volume-down']);
    // After a reset, a key still held on the next report counts as a new press.
    hold(Usage.keypadMinus);
    expect(keys()).toEqual(['rate-up', 'repeat', 'volume-down', 'volume-down']);
  });

  it('reports a key with no job by name, so the self-test can say which it was', () => {
    const { hold, presses } = setup();
    hold(Usage.keypad7);
    expect(presses).toEqual([{ key: null, usage: 0x5f, name: 'keypad 7', repeat: false }]);
  });

  it('says nothing for a rollover report and goes on afterwards', () => {
    const { hold, keys, driver } = setup();
    hold(Usage.keypad8);
    driver.push(Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1]));
    hold(Usage.keypad8);
    hold(Usage.keypad2);
    expect(keys()).toEqual(['up', 'down']);
  });

  it('stops a held volume key repeating at a rollover or an unreadable report', () => {
    const { driver, hold, timers, keys } = setup();
    hold(Usage.keypadPlus);
    driver.push(Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1]));
    timers.advance(5000);
    expect(keys()).toEqual(['volume-up']);
    hold();
    hold(Usage.keypadMinus);
    driver.push(Uint8Array.from([1, 0, 0, 0x56, 0, 0, 0, 0, 0]));
    timers.advance(5000);
    expect(keys()).toEqual(['volume-up', 'volume-down']);
    expect(timers.pending).toBe(0);
  });

  it('reports a report of another layout and keeps reading', () => {
    const { driver, errors, hold, keys } = setup();
    driver.push(Uint8Array.from([1, 0, 0, 0x60, 0, 0, 0, 0, 0]));
    expect(errors).toEqual(['unsupported keypad report: 9 bytes (expected an 8-byte boot keyboard report)']);
    hold(Usage.keypad8);
    expect(keys()).toEqual(['up']);
  });

  it('cuts reports out of a stream (the PTY link), split anywhere', () => {
    const { driver, keys } = setup('stream');
    const all = Uint8Array.from([
      ...encodeBootReport([Usage.keypad0]),
      ...encodeBootReport([]),
      ...encodeBootReport([Usage.keypadEnter]),
      ...encodeBootReport([]),
    ]);
    driver.push(all.subarray(0, 3));
    driver.push(all.subarray(3, 19));
    driver.push(all.subarray(19));
    expect(keys()).toEqual(['help', 'enter']);
  });
});
