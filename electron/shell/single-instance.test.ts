import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { claimSingleInstance, focusWindow } from './single-instance';

function fakeApp(lock: boolean) {
  return Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => lock), quit: vi.fn() });
}

describe('claimSingleInstance', () => {
  it('quits when another instance holds the lock', () => {
    const app = fakeApp(false);
    const focus = vi.fn();
    expect(claimSingleInstance(app as unknown as App, focus, recordingLog())).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('keeps running with the lock and focuses the window on a second launch', () => {
    const app = fakeApp(true);
    const focus = vi.fn();
    expect(claimSingleInstance(app as unknown as App, focus, recordingLog())).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance', {}, ['electron', '--data', '/x'], '/');
    expect(focus).toHaveBeenCalledTimes(1);
  });
});

describe('focusWindow', () => {
  const window = (minimized: boolean, destroyed = false) => ({
    isDestroyed: () => destroyed,
    isMinimized: () => minimized,
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  });

  it('restores a minimized window, then shows and focuses it', () => {
    const w = window(true);
    focusWindow(w);
    expect(w.restore).toHaveBeenCalled();
    expect(w.show).toHaveBeenCalled();
    expect(w.focus).toHaveBeenCalled();
  });

  it('does nothing without a live window', () => {
    const w = window(false, true);
    focusWindow(w);
    focusWindow(null);
    expect(w.focus).not.toHaveBeenCalled();
  });
});
