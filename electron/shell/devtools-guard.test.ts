import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { guardDevTools, isBlockedShortcut, type ShortcutInput } from './devtools-guard';
import { FakeWebContents, fakeEvent } from './fake-electron';

function key(key: string, mods: Partial<Omit<ShortcutInput, 'key' | 'code'>> = {}, code = ''): ShortcutInput {
  return { key, code, control: false, meta: false, shift: false, alt: false, ...mods };
}

const blocked: Array<[string, ShortcutInput]> = [
  ['F5', key('F5', {}, 'F5')],
  ['Ctrl+F5', key('F5', { control: true }, 'F5')],
  ['F12', key('F12', {}, 'F12')],
  ['Ctrl+R', key('r', { control: true }, 'KeyR')],
  ['Cmd+R', key('r', { meta: true }, 'KeyR')],
  ['Ctrl+Shift+R', key('R', { control: true, shift: true }, 'KeyR')],
  ['Ctrl+Shift+I', key('I', { control: true, shift: true }, 'KeyI')],
  ['Ctrl+Shift+J', key('J', { control: true, shift: true }, 'KeyJ')],
  ['Ctrl+Shift+C', key('C', { control: true, shift: true }, 'KeyC')],
  ['Cmd+Alt+I', key('ˆ', { meta: true, alt: true }, 'KeyI')],
];

const allowed: Array<[string, ShortcutInput]> = [
  ['r', key('r', {}, 'KeyR')],
  ['Shift+I', key('I', { shift: true }, 'KeyI')],
  ['Ctrl+C (copy)', key('c', { control: true }, 'KeyC')],
  ['Ctrl+V (paste)', key('v', { control: true }, 'KeyV')],
  ['Enter', key('Enter', {}, 'Enter')],
  ['1', key('1', {}, 'Digit1')],
];

describe('isBlockedShortcut', () => {
  it.each(blocked)('blocks %s', (_name, input) => expect(isBlockedShortcut(input)).toBe(true));
  it.each(allowed)('lets %s through', (_name, input) => expect(isBlockedShortcut(input)).toBe(false));
});

function guarded(technician: boolean) {
  const contents = new FakeWebContents();
  const log = recordingLog();
  guardDevTools(contents as unknown as WebContents, technician, log);
  return { contents, log };
}

describe('guardDevTools', () => {
  it.each(blocked)('prevents %s in the page', (_name, input) => {
    const { contents } = guarded(false);
    const event = fakeEvent();
    contents.emit('before-input-event', event, { type: 'keyDown', ...input });
    expect(event.defaultPrevented).toBe(true);
  });

  it('leaves ordinary typing alone', () => {
    const { contents } = guarded(false);
    const event = fakeEvent();
    contents.emit('before-input-event', event, { type: 'keyDown', ...key('r', {}, 'KeyR') });
    expect(event.defaultPrevented).toBe(false);
  });

  it('closes DevTools if they open anyway', () => {
    const { contents, log } = guarded(false);
    contents.emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalledTimes(1);
    expect(log.lines.some((line) => line.level === 'warn' && line.message.includes('DevTools opened'))).toBe(true);
  });

  it('lets a technician reload and open DevTools', () => {
    const { contents, log } = guarded(true);
    const event = fakeEvent();
    contents.emit('before-input-event', event, { type: 'keyDown', ...key('F12', {}, 'F12') });
    contents.emit('devtools-opened');
    expect(event.defaultPrevented).toBe(true); // handled here: F12 toggles DevTools itself
    expect(contents.toggleDevTools).toHaveBeenCalledTimes(1);
    expect(contents.closeDevTools).not.toHaveBeenCalled();
    expect(log.lines[0]?.message).toContain('technician mode');
  });
});
