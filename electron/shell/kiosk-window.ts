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
  readonly policy?: RecoveryPolicy;
}

export interface KioskWindow {
  readonly window: BrowserWindow;
  readonly recovery: RendererRecovery;
}

export function loadStartPage(window: BrowserWindow, log: Log): void {
  if (window.isDestroyed()) return;
  window.loadURL(APP_START_URL).then(
    () => log.info({ url: APP_START_URL }, 'renderer loaded'),
    (error: unknown) =>
      log.error(
        { url: APP_START_URL, error: error instanceof Error ? error.message : String(error) },
        'renderer failed to load',
      ),
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
    },
    log,
  );
  watchRenderer(contents, recovery, options.isQuitting);
  window.once('ready-to-show', () => {
    window.show();
    window.focus();
  });
  window.on('closed', () => recovery.dispose());
  log.info({ technician: options.technician }, 'kiosk window opened');
  return { window, recovery };
}
