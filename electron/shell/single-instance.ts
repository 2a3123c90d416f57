import type { App, BrowserWindow } from 'electron';
import type { Log } from '../../foundation/log';

/**
 * One kiosk process per terminal: a second one would fight over the serial devices and the
 * database. A second launch (e.g. a technician double-clicking) just brings the window forward.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  onSecondInstance: () => void,
  log: Log,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    log.warn({}, 'another kiosk instance is running: quitting');
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    log.info({}, 'second instance started: focusing the kiosk window');
    onSecondInstance();
  });
  return true;
}

export function focusWindow(
  window: Pick<BrowserWindow, 'isDestroyed' | 'isMinimized' | 'restore' | 'show' | 'focus'> | null,
): void {
  if (window === null || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
