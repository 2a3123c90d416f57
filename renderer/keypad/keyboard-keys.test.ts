import { describe, expect, it } from 'vitest';
import { keypadKeys } from '../../electron/api/keypad-keys';
import { keyboardKeysOf, keypadKeyFor } from './keyboard-keys';

const press = (code: string, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) =>
  keypadKeyFor({ code, ctrlKey: false, altKey: false, metaKey: false, ...modifiers });

describe('keypadKeyFor', () => {
  it('maps the numeric keypad around the bump on 5, whatever Num Lock says; the bump only repeats', () => {
    expect(['Numpad8', 'Numpad2', 'Numpad4', 'Numpad6', 'Numpad5', 'NumpadEnter'].map((c) => press(c))).toEqual([
      'up',
      'down',
      'back',
      'enter',
      'repeat',
      'enter',
    ]);
    // The corner keys, hit when reaching for 8 or 2, do nothing.
    expect(['Numpad7', 'Numpad9', 'Numpad1', 'Numpad3', 'NumLock'].map((c) => press(c))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(press('NumpadAdd')).toBe('volume-up');
    expect(press('NumpadSubtract')).toBe('volume-down');
    expect(press('Numpad0')).toBe('help');
  });

  it('maps an EZ Access-style keypad (arrows, Enter, the F-keys) as the keypad device does', () => {
    expect(
      [
        'ArrowUp',
        'ArrowDown',
        'ArrowLeft',
        'ArrowRight',
        'Enter',
        'Backspace',
        'Space',
        'F1',
        'F2',
        'F3',
        'F4',
        'F5',
      ].map((c) => press(c)),
    ).toEqual([
      'up',
      'down',
      'back',
      'enter',
      'enter',
      'back',
      'repeat',
      'help',
      'repeat',
      'privacy',
      'rate-down',
      'rate-up',
    ]);
  });

  it('leaves letters, digits of the main row and modified keys alone (typing, scanners, shortcuts)', () => {
    expect(press('KeyA')).toBeNull();
    expect(press('Digit8')).toBeNull();
    expect(press('Tab')).toBeNull();
    expect(press('ArrowUp', { ctrlKey: true })).toBeNull();
    expect(press('F1', { altKey: true })).toBeNull();
    expect(press('Numpad8', { metaKey: true })).toBeNull();
  });

  it('reaches every key of the tactile keypad from the keyboard', () => {
    for (const key of keypadKeys) expect(keyboardKeysOf(key).length, key).toBeGreaterThan(0);
  });
});
