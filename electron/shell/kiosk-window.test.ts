import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { createFakeElectron, fakeEvent, type FakeElectron } from './fake-electron';
import { openKioskWindow } from './kiosk-window';
import { secureWebPreferences } from './window-options';

const holder = vi.hoisted(() => ({ current: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => (await import('./fake-electron')).delegatingElectronModule(() => holder.current));

beforeEach(() => {
  holder.current = createFakeElectron();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function open(technician = false) {
  const relaunch = vi.fn();
  const log = recordingLog();
  const opened = openKioskWindow({
    preloadPath: '/dist/electron/preload.cjs',
    technician,
    log,
    isQuitting: () => false,
    relaunch,
  });
  const window = holder.current.BrowserWindow.instances[0];
  if (window === undefined) throw new Error('no window');
  return { opened, window, relaunch, log };
}

describe('openKioskWindow', () => {
  it('creates one window with the secure options and no menu bar', () => {
    const { window } = open();
    expect(holder.current.BrowserWindow.instances).toHaveLength(1);
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window.options['webPreferences']).toEqual(secureWebPreferences('/dist/electron/preload.cjs', false));
    expect(window.removeMenu).toHaveBeenCalled();
  });

  it('shows the window only when it is ready to show', () => {
    const { window } = open();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('blocks DevTools shortcuts in the window unless technician mode', () => {
    const { window } = open();
    const event = fakeEvent();
    window.webContents.emit('before-input-event', event, {
      type: 'keyDown',
      key: 'F12',
      code: 'F12',
      control: false,
      meta: false,
      shift: false,
      alt: false,
    });
    expect(event.defaultPrevented).toBe(true);

    holder.current = createFakeElectron();
    const technician = open(true).window;
    const allowed = fakeEvent();
    technician.webContents.emit('before-input-event', allowed, {
      type: 'keyDown',
      key: 'F12',
      code: 'F12',
      control: false,
      meta: false,
      shift: false,
      alt: false,
    });
    expect(allowed.defaultPrevented).toBe(false);
  });

  it('reloads the start page 1 s after the renderer crashes', () => {
    const { window } = open();
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    vi.advanceTimersByTime(999);
    expect(window.loadURL).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(window.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
  });

  it('relaunches after repeated crashes', () => {
    const { window, relaunch } = open();
    for (let i = 0; i < 5; i += 1) {
      window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
      vi.advanceTimersByTime(20_000);
    }
    expect(relaunch).toHaveBeenCalledTimes(1);
  });

  it('kills a renderer that stays unresponsive', () => {
    const { window } = open();
    window.webContents.emit('unresponsive');
    vi.advanceTimersByTime(15_000);
    expect(window.webContents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
  });
});
