import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseTable, chooseCandidate, lengthOf, matchCandidates, pressKey, type KeyboardState } from './pinyin-input';

const table = chineseTable;
const start: KeyboardState = { value: '', composing: '', mode: 'pinyin', upper: false };
const type = (keys: string[], state = start, max = 20) => keys.reduce((s, k) => pressKey(s, k, table, max), state);

describe('pinyin input', () => {
  it('collects pinyin letters outside the value and offers candidates, most frequent first', () => {
    const state = type(['z', 'h', 'o', 'n', 'g']);
    expect(state).toMatchObject({ value: '', composing: 'zhong' });
    expect(matchCandidates(state.composing, table)?.characters.slice(0, 3)).toEqual(['中', '重', '种']);
  });

  it('choosing a candidate puts the character in the value and keeps the rest of the letters', () => {
    const state = type([...'zhongguo']);
    const match = matchCandidates(state.composing, table);
    expect(match?.syllable).toBe('zhong');
    if (match === null) return;
    const after = chooseCandidate(state, match, '中', 20);
    expect(after).toMatchObject({ value: '中', composing: 'guo' });
  });

  it('space takes the first candidate for every syllable typed', () => {
    expect(type([...'nihao', '{space}'])).toMatchObject({ value: '你好', composing: '' });
  });

  it('backspace removes a pinyin letter first, then whole characters', () => {
    const state = type([...'ni', '{space}', 'h', 'a']);
    expect(type(['{bksp}'], state)).toMatchObject({ value: '你', composing: 'h' });
    expect(type(['{bksp}', '{bksp}', '{bksp}'], state)).toMatchObject({ value: '', composing: '' });
  });

  it('digits and punctuation end the composing first', () => {
    expect(type([...'cun', '3', '号'])).toMatchObject({ value: '村3号' });
  });

  it('latin mode types letters (capitals with shift) and digits straight into the value', () => {
    const state = type(['{lang}', 'a', '{shift}', 'b', '1', '{space}']);
    expect(state).toMatchObject({ value: 'aB1 ', mode: 'latin', upper: true });
    expect(type(['{lang}'], state)).toMatchObject({ mode: 'pinyin', upper: false });
  });

  it('clear empties everything', () => {
    expect(type([...'ni', '{space}', 'h', '{clear}'])).toMatchObject({ value: '', composing: '' });
  });

  it('letters that are no syllable are kept as letters when committed', () => {
    expect(matchCandidates('vvv', table)).toBeNull();
    expect(type([...'vvv', '{space}'])).toMatchObject({ value: 'vvv', composing: '' });
  });

  it('property: the value never exceeds maxLength characters and never holds stray pinyin while composing', () => {
    const key = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyz',
      '1',
      '，',
      '{bksp}',
      '{space}',
      '{lang}',
      '{shift}',
      '{clear}',
      '{unknown}',
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 80 }), fc.integer({ min: 1, max: 10 }), (keys, max) => {
        let state = start;
        for (const k of keys) {
          state = pressKey(state, k, table, max);
          expect(lengthOf(state.value)).toBeLessThanOrEqual(max);
          expect(state.composing).toMatch(/^[a-z]*$/);
        }
      }),
    );
  });
});
