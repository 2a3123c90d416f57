/**
 * What the on-screen Chinese keyboard does with each key, as a pure state machine. Pinyin letters
 * are "composing" and never enter the value: the value only ever holds what the resident chose,
 * so the length limit counts real characters. Candidates come from simple-keyboard-layouts'
 * Chinese table (syllable → characters, most frequent first).
 */
import chinese from 'simple-keyboard-layouts/build/layouts/chinese';

export type CandidateTable = Readonly<Record<string, string>>;

/** The layout's typings know only `layout`; its Chinese layout also carries the candidate table. */
export const chineseTable: CandidateTable = (chinese as { layoutCandidates?: CandidateTable }).layoutCandidates ?? {};
export type KeyboardMode = 'pinyin' | 'latin';

export interface KeyboardState {
  readonly value: string;
  readonly composing: string;
  readonly mode: KeyboardMode;
  readonly upper: boolean;
}

export interface CandidateMatch {
  /** The leading syllable of the composing letters that the characters stand for. */
  readonly syllable: string;
  readonly characters: ReadonlyArray<string>;
}

/** Longest syllable at the start of what was typed (so "zhongguo" offers 中… for "zhong"). */
export function matchCandidates(composing: string, table: CandidateTable): CandidateMatch | null {
  for (let end = composing.length; end > 0; end--) {
    const syllable = composing.slice(0, end);
    const characters = Object.hasOwn(table, syllable) ? table[syllable] : undefined;
    if (characters !== undefined) return { syllable, characters: characters.split(' ').filter((c) => c !== '') };
  }
  return null;
}

export const lengthOf = (text: string): number => [...text].length;

/** A longer run of letters is no syllable (the longest is "zhuang"): stop collecting there. */
const maxComposing = 12;

function append(state: KeyboardState, text: string, maxLength: number): KeyboardState {
  const room = maxLength - lengthOf(state.value);
  if (room <= 0) return state;
  return { ...state, value: state.value + [...text].slice(0, room).join('') };
}

/** Ends composing: the best candidate for what was typed, or the letters themselves if none fits. */
function commit(state: KeyboardState, table: CandidateTable, maxLength: number): KeyboardState {
  let next = state;
  while (next.composing !== '') {
    const match = matchCandidates(next.composing, table);
    const chosen = match?.characters[0];
    if (match === null || chosen === undefined) return { ...append(next, next.composing, maxLength), composing: '' };
    next = { ...append(next, chosen, maxLength), composing: next.composing.slice(match.syllable.length) };
  }
  return next;
}

export function chooseCandidate(
  state: KeyboardState,
  match: CandidateMatch,
  character: string,
  maxLength: number,
): KeyboardState {
  return { ...append(state, character, maxLength), composing: state.composing.slice(match.syllable.length) };
}

/** One key from the layout (simple-keyboard's names: "{bksp}", "{space}", …, or the character). */
export function pressKey(state: KeyboardState, key: string, table: CandidateTable, maxLength: number): KeyboardState {
  switch (key) {
    case '{bksp}':
      if (state.composing !== '') return { ...state, composing: state.composing.slice(0, -1) };
      return { ...state, value: [...state.value].slice(0, -1).join('') };
    case '{clear}':
      return { ...state, value: '', composing: '' };
    case '{shift}':
      return { ...state, upper: !state.upper };
    case '{lang}':
      return { ...commit(state, table, maxLength), mode: state.mode === 'pinyin' ? 'latin' : 'pinyin', upper: false };
    case '{space}':
      // While composing, space takes the first candidate, as in every pinyin input method.
      if (state.composing !== '') return commit(state, table, maxLength);
      return append(state, ' ', maxLength);
    default: {
      if (key.startsWith('{')) return state;
      const letter = /^[a-z]$/i.test(key);
      if (state.mode === 'pinyin' && letter) {
        if (lengthOf(state.value) >= maxLength || state.composing.length >= maxComposing) return state;
        return { ...state, composing: state.composing + key.toLowerCase() };
      }
      const text = state.mode === 'latin' && letter ? (state.upper ? key.toUpperCase() : key.toLowerCase()) : key;
      return append(commit(state, table, maxLength), text, maxLength);
    }
  }
}
