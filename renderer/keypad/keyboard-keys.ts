import type { KeypadKey } from '../../electron/api/keypad-keys';

/**
 * The browser host's keyboard fallback for the tactile keypad: a USB numeric keypad (or a plain
 * keyboard) stands in for the EZ Access-style keys. The same keys mean the same as on the keypad
 * device (docs/devices/tactile-keypad.md on the keypad's branch; docs/accessibility.md has the table). Keys are
 * matched by `code`, the physical key, so Num Lock on or off makes no difference; modified keys
 * (Ctrl, Alt, Meta) are never ours.
 */
const byCode: Readonly<Record<string, KeypadKey>> = {
  // The numeric keypad, told by touch from the bump on the 5: above goes up, below down, left back,
  // right chooses; the bump itself only repeats (a resting finger may press it). The corner keys
  // 7, 9, 1, 3 do nothing: they are the ones hit when reaching for 8 or 2.
  Numpad8: 'up',
  Numpad2: 'down',
  Numpad4: 'back',
  Numpad6: 'enter',
  NumpadEnter: 'enter',
  Numpad5: 'repeat',
  Numpad0: 'help',
  NumpadDecimal: 'privacy',
  NumpadAdd: 'volume-up',
  NumpadSubtract: 'volume-down',
  NumpadMultiply: 'rate-up',
  NumpadDivide: 'rate-down',
  // An EZ Access-style keypad or a plain keyboard.
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'back',
  ArrowRight: 'enter',
  Enter: 'enter',
  Escape: 'back',
  Backspace: 'back',
  Space: 'repeat',
  F1: 'help',
  F2: 'repeat',
  F3: 'privacy',
  F4: 'rate-down',
  F5: 'rate-up',
  AudioVolumeUp: 'volume-up',
  AudioVolumeDown: 'volume-down',
};

export interface KeyLike {
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

export function keypadKeyFor(event: KeyLike): KeypadKey | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  return byCode[event.code] ?? null;
}

/** The keyboard keys that act as `key`, for the help text and docs/accessibility.md. */
export function keyboardKeysOf(key: KeypadKey): string[] {
  return Object.entries(byCode)
    .filter(([, k]) => k === key)
    .map(([code]) => code);
}
