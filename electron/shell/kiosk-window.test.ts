import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { createFakeElectron, fakeEvent, type FakeElectron } from './fake-electron';
import { loadStartPage, openKioskWindow } from './kiosk-window';
import { secureWebPreferences } from './window-options';

const holder = vi.hoisted(() => ({ current: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => (await import('./fake-electron')).delegatingElectronModule(() => holder.current));

beforeEach(() => {
  holder.current = createFakeElectron({ ready: true });
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function open(technician = false, isQuitting = () => false) {
  const relaunch = vi.fn();
  const pageGone = vi.fn();
  const log = recordingLog();
  const opened = openKioskWindow({
    preloadPath: '/dist/electron/preload.cjs',
    technician,
    log,
    isQuitting,
    relaunch,
    pageGone,
  });
  const window = holder.current.BrowserWindow.instances[0];
  if (window === undefined) throw new Error('no window');
  return { opened, window, relaunch, pageGone, log };
}

describe('openKioskWindow', () => {
  it('creates one window with the secure options and no menu bar', () => {
    const { window } = open();
    expect(holder.current.BrowserWindow.instances).toHaveLength(1);
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window.options['webPreferences']).toEqual(secureWebPreferences('/dist/electron/preload.cjs', false));
    expect(window.removeMenu).toHaveBeenCalled();
  });

  it('shows and focuses the window after the page loads, though a kiosk window never says ready-to-show', () => {
    const { window } = open();
    window.emit('ready-to-show'); // the strict fake, like Electron on Linux, drops it
    expect(window.show).not.toHaveBeenCalled();
    window.webContents.emit('did-finish-load');
    expect(window.show).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(1);
    window.webContents.emit('did-finish-load'); // a reload focuses again, without a second show
    expect(window.show).toHaveBeenCalledTimes(1);
    expect(window.focus).toHaveBeenCalledTimes(2);
  });

  it('refuses to close unless the app is quitting', () => {
    let quitting = false;
    const { window, log } = open(false, () => quitting);
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(log.lines.some((line) => line.message.includes('close refused'))).toBe(true);
    quitting = true;
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });

  it('retries a failed start page load until it loads', async () => {
    const { window, log } = open();
    window.loadURL.mockRejectedValueOnce(new Error('ERR_FAILED')).mockRejectedValueOnce(new Error('ERR_FAILED'));
    loadStartPage(window as never, log);
    await vi.advanceTimersByTimeAsync(0);
    expect(window.loadURL).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(window.loadURL).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(window.loadURL).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(window.loadURL).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(window.loadURL).toHaveBeenCalledTimes(3);
  });

  it('gives a technician reload and DevTools on the keyboard (there is no menu)', () => {
    const { window } = open(true);
    const key = (key: string, extra: Record<string, boolean> = {}) => {
      const event = fakeEvent();
      window.webContents.emit('before-input-event', event, {
        type: 'keyDown',
        key,
        code: key.length === 1 ? `Key${key.toUpperCase()}` : key,
        control: false,
        meta: false,
        shift: false,
        alt: false,
        ...extra,
      });
      return event;
    };
    expect(key('F5').defaultPrevented).toBe(true);
    expect(key('r', { control: true }).defaultPrevented).toBe(true);
    expect(window.webContents.reloadIgnoringCache).toHaveBeenCalledTimes(2);
    expect(key('F12').defaultPrevented).toBe(true);
    expect(key('i', { control: true, shift: true }).defaultPrevented).toBe(true);
    expect(window.webContents.toggleDevTools).toHaveBeenCalledTimes(2);
    expect(key('a').defaultPrevented).toBe(false);
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

    holder.current = createFakeElectron({ ready: true });
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
    expect(allowed.defaultPrevented).toBe(true);
    expect(technician.webContents.toggleDevTools).toHaveBeenCalledTimes(1);
  });

  it('reloads the start page 1 s after the renderer crashes', () => {
    const { window } = open();
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    vi.advanceTimersByTime(999);
    expect(window.loadURL).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(window.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
  });

  it('tells the services at once that the person on a crashed page is gone, but not while quitting', () => {
    let quitting = false;
    const { window, pageGone } = open(false, () => quitting);
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(pageGone).toHaveBeenCalledTimes(1);
    quitting = true;
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'killed', exitCode: 9 });
    expect(pageGone).toHaveBeenCalledTimes(1);
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
