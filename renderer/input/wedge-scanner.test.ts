import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WedgeScanner, type KeyVerdict } from './wedge-scanner';

/** Feeds keys at the given times; returns scans and the text that reached the page as typing. */
function run(keys: ReadonlyArray<readonly [string, number]>, scanner = new WedgeScanner()) {
  const scans: string[] = [];
  let typed = '';
  const passed: string[] = [];
  const take = (v: KeyVerdict, key: string) => {
    if (v.release !== undefined) typed += v.release;
    if (v.scan !== undefined) scans.push(v.scan);
    if (!v.consume) passed.push(key);
  };
  let last = 0;
  for (const [key, at] of keys) {
    const due = scanner.flushDue(at);
    if (due !== null) typed += due;
    take(scanner.key(key, at), key);
    last = at;
  }
  const rest = scanner.flushDue(last + 1000);
  if (rest !== null) typed += rest;
  return { scans, typed, passed };
}

const burst = (text: string, start: number, gap: number, enter = true): Array<[string, number]> => {
  const keys: Array<[string, number]> = [...text].map((c, i) => [c, start + i * gap]);
  if (enter) keys.push(['Enter', start + text.length * gap]);
  return keys;
};

describe('WedgeScanner', () => {
  it('takes a fast burst ending in Enter as a scan and lets none of its keys through', () => {
    const { scans, typed, passed } = run(burst('KQ2026ABC', 1000, 8));
    expect(scans).toEqual(['KQ2026ABC']);
    expect(typed).toBe('');
    expect(passed).toEqual([]);
  });

  it('ignores Shift between the characters of a burst', () => {
    const keys: Array<[string, number]> = [
      ['Shift', 0],
      ['A', 3],
      ['b', 9],
      ['Shift', 12],
      ['C', 14],
      ['1', 20],
      ['Enter', 26],
    ];
    expect(run(keys).scans).toEqual(['AbC1']);
  });

  it('treats slow typing as typing: every character is released, Enter passes', () => {
    const { scans, typed, passed } = run(burst('1234', 0, 120));
    expect(scans).toEqual([]);
    expect(typed).toBe('1234');
    expect(passed).toEqual(['Enter']);
  });

  it('does not take a burst shorter than four characters', () => {
    const { scans, typed, passed } = run(burst('123', 0, 5));
    expect(scans).toEqual([]);
    expect(typed).toBe('123');
    expect(passed).toEqual(['Enter']);
  });

  it('a pause inside a burst makes the first part typing, then a following fast burst still scans', () => {
    const keys = [...burst('ab', 0, 5, false), ...burst('WXYZ9', 200, 5)];
    const { scans, typed } = run(keys);
    expect(scans).toEqual(['WXYZ9']);
    expect(typed).toBe('ab');
  });

  it('a slow Enter after a fast run is typing', () => {
    const keys: Array<[string, number]> = [...burst('12345', 0, 5, false), ['Enter', 25 + 60]];
    expect(run(keys)).toEqual({ scans: [], typed: '12345', passed: ['Enter'] });
  });

  it('releases held keys when a non-character key arrives, before that key', () => {
    const scanner = new WedgeScanner();
    expect(scanner.key('a', 0)).toEqual({ consume: true });
    expect(scanner.holding).toBe(true);
    expect(scanner.key('Backspace', 5)).toEqual({ consume: false, release: 'a' });
    expect(scanner.holding).toBe(false);
  });

  it('flushDue releases held keys only after a full gap', () => {
    const scanner = new WedgeScanner();
    scanner.key('x', 100);
    expect(scanner.flushDue(129)).toBeNull();
    expect(scanner.flushDue(130)).toBe('x');
    expect(scanner.flushDue(500)).toBeNull();
  });

  it('property: a sequence typed at human speed (every gap ≥ 30 ms) is never a scan and loses no character', () => {
    const key = fc.oneof(
      fc.constantFrom('Enter', 'Backspace', 'Shift', 'Tab'),
      fc.string({ minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 30, max: 2000 })), { maxLength: 60 }), (steps) => {
        let at = 0;
        const keys = steps.map(([k, gap]): [string, number] => [k, (at += gap)]);
        const { scans, typed, passed } = run(keys);
        expect(scans).toEqual([]);
        expect(typed + passed.join('')).toHaveLength(keys.reduce((n, [k]) => n + k.length, 0));
        expect(typed).toBe(
          keys
            .filter(([k]) => k.length === 1)
            .map(([k]) => k)
            .join(''),
        );
      }),
    );
  });

  it('property: any code of ≥ 4 characters sent faster than 30 ms a key is scanned exactly', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 80 }).filter((s) => [...s].length === s.length),
        fc.integer({ min: 0, max: 29 }),
        (code, gap) => {
          const { scans, typed } = run(burst(code, 5000, gap));
          expect(scans).toEqual([code]);
          expect(typed).toBe('');
        },
      ),
    );
  });
});
