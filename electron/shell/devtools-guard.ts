import type { Input, WebContents } from 'electron';
import type { Log } from '../../foundation/log';

/**
 * A resident must not be able to reload the page (losing the session mid-form) or open DevTools.
 * With no application menu the default accelerators are already gone; this also catches the keys
 * themselves, and closes DevTools if anything opens them. A technician flag lifts both.
 */
export type ShortcutInput = Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'shift' | 'alt'>;

function letter(input: ShortcutInput, which: string): boolean {
  return input.key.toLowerCase() === which || input.code === `Key${which.toUpperCase()}`;
}

export function isBlockedShortcut(input: ShortcutInput): boolean {
  if (input.key === 'F5' || input.key === 'F12' || input.code === 'F5' || input.code === 'F12') return true;
  const command = input.control || input.meta;
  if (!command) return false;
  if (letter(input, 'r')) return true; // reload, hard reload (with Shift)
  // Ctrl+Shift+I/J/C on Windows/Linux, Cmd+Alt+I/J/C on macOS: DevTools, console, inspector.
  return (input.shift || input.alt) && ['i', 'j', 'c'].some((key) => letter(input, key));
}

/** What a technician's shortcut does: F5/Ctrl+R reload, F12/Ctrl+Shift+I DevTools (there is no menu to do it). */
export type TechnicianAction = 'reload' | 'devtools' | null;

export function technicianAction(input: ShortcutInput): TechnicianAction {
  if (!isBlockedShortcut(input)) return null;
  if (input.key === 'F5' || input.code === 'F5' || letter(input, 'r')) return 'reload';
  return 'devtools';
}

export function guardDevTools(contents: WebContents, technician: boolean, log: Log): void {
  if (technician) {
    log.warn({}, 'technician mode: F5/Ctrl+R reload, F12/Ctrl+Shift+I DevTools');
    contents.on('before-input-event', (event, input) => {
      if (input.type !== 'keyDown') return;
      const action = technicianAction(input);
      if (action === null) return;
      event.preventDefault();
      log.info({ action }, 'technician shortcut');
      if (action === 'reload') contents.reloadIgnoringCache();
      else contents.toggleDevTools();
    });
    return;
  }
  contents.on('before-input-event', (event, input) => {
    if (!isBlockedShortcut(input)) return;
    event.preventDefault();
    log.info(
      { key: input.key, control: input.control, meta: input.meta, shift: input.shift, alt: input.alt },
      'shortcut blocked',
    );
  });
  contents.on('devtools-opened', () => {
    contents.closeDevTools();
    log.warn({}, 'DevTools opened without technician mode: closed');
  });
}
