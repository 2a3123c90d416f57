import type { App } from 'electron';
import type { Log } from '../../foundation/log';

/**
 * Quitting waits for the services to close (database, devices, outbox) before the process ends:
 * the first 'will-quit' is held back, `close` runs, then the quit is repeated. SIGINT/SIGTERM
 * (a supervisor stopping the kiosk) take the same path instead of killing the process outright.
 */
export interface CleanShutdown {
  /** True from 'before-quit' on: renderer loss after that is expected, not a crash. */
  readonly isQuitting: () => boolean;
}

type Signals = { once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown };

export function installCleanShutdown(
  app: Pick<App, 'on' | 'quit'>,
  close: () => Promise<void>,
  log: Log,
  signals: Signals = process,
): CleanShutdown {
  let quitting = false;
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    quitting = true;
    log.info({}, 'kiosk shell stopping');
    void close()
      .catch((error: unknown) =>
        log.error({ error: error instanceof Error ? error.message : String(error) }, 'closing services failed'),
      )
      .finally(() => {
        state = 'closed';
        log.info({}, 'kiosk shell stopped');
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    signals.once(signal, () => {
      log.info({ signal }, 'signal received: quitting');
      app.quit();
    });
  }
  return { isQuitting: () => quitting };
}
