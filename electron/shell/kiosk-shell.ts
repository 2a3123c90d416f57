import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  app,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  type BrowserWindow,
} from 'electron';
import type { Log } from '../../foundation/log';
import { defaultDataDir } from '../services/config/data-folder';
import { startKioskServices } from '../services/kiosk-services';
import { settleAppIdentity } from './app-identity';
import { installAppProtocol, registerAppScheme } from './app-protocol';
import { installCleanShutdown } from './clean-shutdown';
import { startLocalCrashReporter } from './crash-reporter';
import { keepDisplayAwake } from './display-awake';
import { installRpcBridge } from './ipc-bridge';
import { loadStartPage, openKioskWindow } from './kiosk-window';
import { guardNavigation } from './navigation-guard';
import { installPermissionHandlers } from './permissions';
import { createSafeStorageKeyProvider, describeSafeStorageKeyError } from './safe-storage-key-provider';
import { parseShellArgs } from './shell-args';
import { claimSingleInstance, focusWindow } from './single-instance';

/**
 * The Electron main process, start to finish: process-wide hardening before `ready`, then the
 * services, then the one window. Electron-free work (services, RPC) lives in electron/services and
 * electron/api; this only connects it to Electron.
 */
export interface ShellPaths {
  readonly preload: string;
  readonly rendererDir: string;
}

/** Where build.ts puts things: dist/electron/{main.js,preload.cjs} next to dist/renderer/. */
export function shellPaths(bundleDir: string): ShellPaths {
  return { preload: join(bundleDir, 'preload.cjs'), rendererDir: resolve(bundleDir, '..', 'renderer') };
}

export interface ShellFailure {
  readonly kind: string;
  readonly message: string;
}

export const shellExitCode = { usage: 2, startup: 1, relaunch: 1 } as const;

export type ShellOutcome = 'running' | 'not-first-instance' | 'failed';

export interface ShellOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly paths: ShellPaths;
  readonly log: Log;
}

/** One log line and one dialog a technician can act on, then a non-zero exit. */
function failStartup(log: Log, failure: ShellFailure, exitCode: number): ShellOutcome {
  log.error({ kind: failure.kind, reason: failure.message, exitCode }, 'kiosk cannot start');
  dialog.showErrorBox('村级自助服务终端无法启动 / Kiosk cannot start', `${failure.kind}: ${failure.message}`);
  app.exit(exitCode);
  return 'failed';
}

export async function runKioskShell(options: ShellOptions): Promise<ShellOutcome> {
  try {
    return await run(options);
  } catch (error) {
    return failStartup(
      options.log,
      { kind: 'internal', message: error instanceof Error ? error.message : String(error) },
      shellExitCode.startup,
    );
  }
}

async function run({ argv, env, paths, log }: ShellOptions): Promise<ShellOutcome> {
  const args = parseShellArgs(argv, env);
  if (!args.ok) return failStartup(log, { kind: 'usage', message: args.error }, shellExitCode.usage);
  const { technician } = args.value;

  // Everything up to `whenReady` must stay synchronous: scheme privileges and the crash
  // reporter only take effect when set before Electron is ready.
  settleAppIdentity(app, args.value.dataDir);
  startLocalCrashReporter(crashReporter, log);
  let window: BrowserWindow | null = null;
  if (!claimSingleInstance(app, () => focusWindow(window), log)) return 'not-first-instance';
  registerAppScheme(protocol);
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, log));
  app.on('window-all-closed', () => app.quit());
  app.on('child-process-gone', (_event, details) =>
    log.error({ type: details.type, reason: details.reason, exitCode: details.exitCode }, 'child process gone'),
  );
  await app.whenReady();
  Menu.setApplicationMenu(null);

  try {
    await access(join(paths.rendererDir, 'index.html'));
  } catch {
    return failStartup(
      log,
      { kind: 'renderer', message: `${paths.rendererDir}/index.html is missing: run \`npm run build\`` },
      shellExitCode.startup,
    );
  }
  // The same default as `kiosk start` and every `kiosk` command (docs/cli.md).
  const dataDir = args.value.dataDir ?? defaultDataDir(env);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return failStartup(
      log,
      {
        kind: 'data-dir',
        message: `${dataDir}: cannot create the data folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      },
      shellExitCode.startup,
    );
  }
  const keyProvider = createSafeStorageKeyProvider(safeStorage, dataDir, log, {
    allowBasicText: args.value.allowBasicTextKey,
  });
  if (!keyProvider.ok)
    return failStartup(
      log,
      { kind: 'data-key', message: describeSafeStorageKeyError(keyProvider.error) },
      shellExitCode.startup,
    );
  const services = await startKioskServices({
    configPath: args.value.configPath,
    dataDir,
    keyProvider: keyProvider.value,
    crashDumpsDir: app.getPath('crashDumps'),
    log,
  });
  if (!services.ok) return failStartup(log, services.error, shellExitCode.startup);

  installAppProtocol(protocol, paths.rendererDir, log);
  installPermissionHandlers(session.defaultSession, log);
  const stopBridge = installRpcBridge(
    ipcMain,
    services.value.rpc,
    () => (window === null || window.isDestroyed() ? null : window.webContents),
    log,
  );
  const allowSleep = keepDisplayAwake(powerSaveBlocker, log);

  const shutdown = installCleanShutdown(
    app,
    async () => {
      stopBridge();
      allowSleep();
      await services.value.close();
    },
    log,
  );

  const opened = openKioskWindow({
    preloadPath: paths.preload,
    technician,
    log,
    isQuitting: shutdown.isQuitting,
    relaunch: () => {
      app.relaunch();
      app.exit(shellExitCode.relaunch);
    },
    pageGone: () => services.value.sessions.end('cancelled'),
  });
  window = opened.window;
  opened.window.on('closed', () => {
    window = null;
  });
  loadStartPage(opened.window, log);
  return 'running';
}
