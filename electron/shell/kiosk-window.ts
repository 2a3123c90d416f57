import { BrowserWindow } from 'electron';
import type { Log } from '../../foundation/log';
import { APP_START_URL } from './app-origin';
import { guardDevTools } from './devtools-guard';
import {
  createRendererRecovery,
  defaultRecoveryPolicy,
  watchRenderer,
  type RecoveryPolicy,
  type RendererRecovery,
} from './renderer-recovery';
import { kioskWindowOptions } from './window-options';

/** Opens the kiosk window with its per-window guards (shortcuts, DevTools, crash recovery). */
export interface KioskWindowOptions {
  readonly preloadPath: string;
  readonly technician: boolean;
  readonly log: Log;
  readonly isQuitting: () => boolean;
  /** What recovery does after too many renderer failures. */
  readonly relaunch: () => void;
  /** The page's process died (a crash, or killed when it hung): see RecoveryActions.pageGone. */
  readonly pageGone: () => void;
  readonly policy?: RecoveryPolicy;
}

export interface KioskWindow {
  readonly window: BrowserWindow;
  readonly recovery: RendererRecovery;
}

/** Waits between attempts to load the start page: quick at first, then every 30 s until it loads. */
export const startPageRetryMs = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/**
 * Loads the start page; a failed load (the app protocol not answering yet, a broken build being
 * replaced) is retried instead of leaving a blank screen at the service point.
 */
export function loadStartPage(window: BrowserWindow, log: Log, attempt = 0): void {
  if (window.isDestroyed()) return;
  window.loadURL(APP_START_URL).then(
    () => log.info({ url: APP_START_URL, attempt }, 'renderer loaded'),
    (error: unknown) => {
      const waitMs = startPageRetryMs[Math.min(attempt, startPageRetryMs.length - 1)] ?? 30_000;
      log.error(
        {
          url: APP_START_URL,
          attempt,
          retryInMs: waitMs,
          error: error instanceof Error ? error.message : String(error),
        },
        'renderer failed to load',
      );
      setTimeout(() => loadStartPage(window, log, attempt + 1), waitMs);
    },
  );
}

export function openKioskWindow(options: KioskWindowOptions): KioskWindow {
  const { log } = options;
  const window = new BrowserWindow(kioskWindowOptions(options.preloadPath, options.technician));
  window.removeMenu();
  const contents = window.webContents;
  guardDevTools(contents, options.technician, log);
  const recovery = createRendererRecovery(
    options.policy ?? defaultRecoveryPolicy,
    {
      reload: () => loadStartPage(window, log),
      relaunch: options.relaunch,
      killRenderer: () => contents.forcefullyCrashRenderer(),
      pageGone: options.pageGone,
    },
    log,
  );
  watchRenderer(contents, recovery, options.isQuitting);
  // Electron does not emit 'ready-to-show' for kiosk windows on Linux in some versions: the first
  // finished load shows and focuses the window as well, whichever comes first.
  const showAndFocus = () => {
    if (window.isDestroyed()) return;
    if (!window.isVisible()) window.show();
    window.focus();
  };
  window.once('ready-to-show', showAndFocus);
  contents.on('did-finish-load', showAndFocus);
  // No one closes the kiosk (Alt+F4, a compositor's close request): only the app quitting does.
  window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    log.warn({}, 'window close refused: the kiosk closes only when the app quits');
  });
  window.on('closed', () => recovery.dispose());
  log.info({ technician: options.technician }, 'kiosk window opened');
  return { window, recovery };
}
