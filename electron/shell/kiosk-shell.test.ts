import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { err, ok } from '../../foundation/result';
import type { JsonRpcNotification } from '../api/jsonrpc';
import { createFakeElectron, fakeEvent, fakeSafeStorage, type FakeElectron } from './fake-electron';
import { runKioskShell, shellPaths, type ShellOutcome } from './kiosk-shell';

const holder = vi.hoisted(() => ({
  current: undefined as unknown as FakeElectron,
  startServices: undefined as unknown as (options: unknown) => Promise<unknown>,
}));
vi.mock('electron', async () => (await import('./fake-electron')).delegatingElectronModule(() => holder.current));
vi.mock('../services/kiosk-services', () => ({
  startKioskServices: (options: unknown) => holder.startServices(options),
}));

let base: string;
let electron: FakeElectron;
let rendererDir: string;
let dataDir: string;
let notify: (n: JsonRpcNotification) => void;
let windowsWhenServicesStarted: number;
const services = {
  rpc: {
    handle: vi.fn((raw: unknown) => Promise.resolve({ jsonrpc: '2.0', id: (raw as { id: number }).id, result: {} })),
    onNotification: vi.fn((listener: (n: JsonRpcNotification) => void) => {
      notify = listener;
      return () => {};
    }),
    emit: vi.fn(),
  },
  sessions: { end: vi.fn() },
  close: vi.fn(async () => {}),
};
const startServices = vi.fn((_options: unknown): Promise<unknown> => {
  windowsWhenServicesStarted = electron.BrowserWindow.instances.length;
  return Promise.resolve(ok(services));
});

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kiosk-shell-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  dataDir = join(base, 'data');
  electron = createFakeElectron();
  electron.app.userData = join(base, 'user-data');
  holder.current = electron;
  holder.startServices = startServices;
  vi.clearAllMocks();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(base, { recursive: true, force: true });
});

function launch(
  args: string[] = ['--data', dataDir, '--config', join(base, 'kiosk.json')],
  env: Record<string, string> = {},
) {
  const log = recordingLog();
  const outcome = runKioskShell({
    argv: ['/opt/electron', '/app/dist/electron/main.js', ...args],
    env,
    paths: { preload: '/app/dist/electron/preload.cjs', rendererDir },
    log,
  });
  return { outcome, log };
}

async function started(
  args?: string[],
  env?: Record<string, string>,
): Promise<{ outcome: ShellOutcome; log: ReturnType<typeof recordingLog> }> {
  const run = launch(args, env);
  electron.app.readyResolve();
  return { outcome: await run.outcome, log: run.log };
}

function theWindow() {
  expect(electron.BrowserWindow.instances).toHaveLength(1);
  const window = electron.BrowserWindow.instances[0];
  if (window === undefined) throw new Error('no window');
  return window;
}

describe('before Electron is ready', () => {
  it('starts the local crash reporter, takes the single-instance lock and registers app://, and nothing more', async () => {
    const run = launch();
    await Promise.resolve();
    expect(electron.crashReporter.start).toHaveBeenCalledWith(expect.objectContaining({ uploadToServer: false }));
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app' }),
    ]);
    expect(startServices).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(0);
    electron.app.readyResolve();
    await run.outcome;
  });
});

describe('a normal start', () => {
  it('starts the services with the parsed paths and a safeStorage key, before any window', async () => {
    const { outcome } = await started();
    expect(outcome).toBe('running');
    expect(startServices).toHaveBeenCalledTimes(1);
    const options = startServices.mock.calls[0]?.[0] as {
      configPath: string;
      dataDir: string;
      keyProvider: { getDataKey(): Buffer };
      log: unknown;
    };
    expect(options).toMatchObject({ configPath: join(base, 'kiosk.json'), dataDir });
    expect(options.keyProvider.getDataKey()).toHaveLength(32);
    expect(electron.safeStorage.encryptString).toHaveBeenCalled();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(windowsWhenServicesStarted).toBe(0);
  });

  it('removes the menu, serves app://, installs the permission handlers, the IPC bridge and keeps the display awake', async () => {
    await started();
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledWith(expect.any(Function));
    expect(electron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledWith(expect.any(Function));
    expect(electron.ipcHandlers.has('kiosk:rpc')).toBe(true);
    expect(electron.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
  });

  it('opens exactly one secure window on app://kiosk/index.html', async () => {
    await started();
    const window = theWindow();
    expect(window.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        preload: '/app/dist/electron/preload.cjs',
        devTools: false,
      },
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
  });

  it('guards navigation of every web contents it creates', async () => {
    await started();
    const contents = theWindow().webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const navigation = fakeEvent({ url: 'https://example.com' });
    contents.emit('will-navigate', navigation, navigation.url);
    expect(navigation.defaultPrevented).toBe(true);
  });

  it('carries calls from the page to the services and events back to the window', async () => {
    await started();
    const handler = electron.ipcHandlers.get('kiosk:rpc');
    const message = { jsonrpc: '2.0', id: 3, method: 'kiosk.info', params: {} };
    await expect(handler?.({ senderFrame: { url: 'app://kiosk/index.html' } }, message)).resolves.toEqual({
      jsonrpc: '2.0',
      id: 3,
      result: {},
    });
    expect(services.rpc.handle).toHaveBeenCalledWith(message, { transport: 'electron-ipc' });
    const notification: JsonRpcNotification = { jsonrpc: '2.0', method: 'session.ended', params: {} };
    notify(notification);
    expect(theWindow().webContents.send).toHaveBeenCalledWith('kiosk:event', notification);
  });

  it('focuses the one window on a second launch instead of opening another', async () => {
    await started();
    const window = theWindow();
    window.minimized = true;
    electron.app.emit('second-instance', fakeEvent(), [], '/');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(1);
  });

  it('allows DevTools in the window only in technician mode', async () => {
    await started(['--data', dataDir], { KIOSK_TECHNICIAN: '1' });
    expect(theWindow().options).toMatchObject({ webPreferences: { devTools: true } });
  });

  it('uses the one default data folder of every entry point when --data is not given', async () => {
    await started([], { KIOSK_DATA_DIR: join(base, 'from-env') });
    expect(startServices.mock.calls[0]?.[0]).toMatchObject({ dataDir: join(base, 'from-env') });
  });

  it('is named village-kiosk, with its profile in the data folder and speech on, all before ready', async () => {
    const run = launch();
    expect(electron.app.setName).toHaveBeenCalledWith('village-kiosk');
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', join(dataDir, 'electron-profile'));
    expect(electron.app.switches).toContain('enable-speech-dispatcher');
    expect(electron.app.isReady()).toBe(false);
    electron.app.readyResolve();
    expect(await run.outcome).toBe('running');
  });
});

describe('shutdown and recovery', () => {
  it('closes the services, the IPC bridge and the display blocker before quitting', async () => {
    await started();
    electron.app.quit();
    expect(electron.app.quitted).toBe(false);
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
    expect(services.close).toHaveBeenCalledTimes(1);
    expect(electron.ipcHandlers.has('kiosk:rpc')).toBe(false);
    expect(electron.powerSaveBlocker.stop).toHaveBeenCalledWith(7);
  });

  it('quits when the window is closed', async () => {
    await started();
    electron.app.emit('window-all-closed');
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true));
  });

  it('ends the resident session when the page crashes: the services keep nothing of a person no page shows', async () => {
    await started();
    services.sessions.end.mockClear();
    theWindow().webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(services.sessions.end).toHaveBeenCalledWith('cancelled');
  });

  it('relaunches the app after repeated renderer crashes, and logs it', async () => {
    const { log } = await started();
    vi.useFakeTimers();
    const contents = theWindow().webContents;
    for (let i = 0; i < 5; i += 1)
      contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(electron.app.relaunch).toHaveBeenCalledTimes(1);
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(log.lines.some((line) => line.level === 'error' && line.message.includes('relaunching'))).toBe(true);
  });
});

describe('startup failures', () => {
  function expectFailure(outcome: ShellOutcome, log: ReturnType<typeof recordingLog>, exitCode: number, text: RegExp) {
    expect(outcome).toBe('failed');
    expect(electron.app.exit).toHaveBeenCalledWith(exitCode);
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(expect.any(String), expect.stringMatching(text));
    expect(log.lines.find((line) => line.message === 'kiosk cannot start')).toMatchObject({
      level: 'error',
      fields: { exitCode },
    });
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  }

  it('a service failure is shown, logged, and exits with 1 without a window', async () => {
    holder.startServices = () => Promise.resolve(err({ kind: 'config', message: 'kiosk.json: terminal.id: required' }));
    const { outcome, log } = await started();
    expectFailure(outcome, log, 1, /^config: kiosk\.json: terminal\.id: required$/);
  });

  it('a bad command line exits with 2 before doing anything', async () => {
    const { outcome, log } = await started(['--data']);
    expectFailure(outcome, log, 2, /--data: expected a path/);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
  });

  it('no secure storage means no start (exit 1), and no services', async () => {
    electron.safeStorage = fakeSafeStorage({ available: false });
    const { outcome, log } = await started();
    expectFailure(outcome, log, 1, /^data-key: .*secure storage/);
    expect(startServices).not.toHaveBeenCalled();
  });

  it('a missing renderer build is named with the fix', async () => {
    rmSync(join(rendererDir, 'index.html'));
    const { outcome, log } = await started();
    expectFailure(outcome, log, 1, /npm run build/);
  });

  it('a second instance quits quietly without starting anything', async () => {
    electron.app.lockAvailable = false;
    const { outcome } = await started();
    expect(outcome).toBe('not-first-instance');
    expect(electron.app.quit).toHaveBeenCalled();
    expect(startServices).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(0);
  });

  it('an unexpected exception still ends in the failure dialog, not a hang', async () => {
    holder.startServices = () =>
      Promise.reject(new Error('native module was compiled against a different Node.js version'));
    const { outcome, log } = await started();
    expectFailure(outcome, log, 1, /^internal: native module/);
  });
});

describe('shellPaths', () => {
  it('finds the preload beside main.js and the renderer beside dist/electron', () => {
    expect(shellPaths('/app/dist/electron')).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      rendererDir: '/app/dist/renderer',
    });
  });
});
