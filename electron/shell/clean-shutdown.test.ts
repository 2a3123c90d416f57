import { EventEmitter } from 'node:events';
import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { installCleanShutdown } from './clean-shutdown';
import { fakeEvent } from './fake-electron';

function fakeApp() {
  const app = Object.assign(new EventEmitter(), {
    exited: false,
    quit: vi.fn(() => {
      app.emit('before-quit', fakeEvent());
      const event = fakeEvent();
      app.emit('will-quit', event);
      if (!event.defaultPrevented) app.exited = true;
    }),
  });
  return app;
}

async function settle() {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('installCleanShutdown', () => {
  it('holds the quit until the services are closed, then quits for real', async () => {
    const app = fakeApp();
    let finishClose = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const shutdown = installCleanShutdown(app as unknown as App, close, recordingLog(), new EventEmitter());
    expect(shutdown.isQuitting()).toBe(false);
    app.quit();
    expect(shutdown.isQuitting()).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.exited).toBe(false);
    app.quit(); // a second quit while closing neither closes twice nor slips through
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.exited).toBe(false);
    finishClose();
    await settle();
    expect(app.exited).toBe(true);
  });

  it('still quits when closing fails, and logs it', async () => {
    const app = fakeApp();
    const log = recordingLog();
    installCleanShutdown(
      app as unknown as App,
      () => Promise.reject(new Error('database busy')),
      log,
      new EventEmitter(),
    );
    app.quit();
    await settle();
    expect(app.exited).toBe(true);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'closing services failed',
        fields: { error: 'database busy' },
      }),
    );
  });

  it.each(['SIGTERM', 'SIGINT'])('%s quits through the same clean path', async (signal) => {
    const app = fakeApp();
    const signals = new EventEmitter();
    const close = vi.fn(async () => {});
    installCleanShutdown(app as unknown as App, close, recordingLog(), signals);
    signals.emit(signal);
    await settle();
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.exited).toBe(true);
  });
});
