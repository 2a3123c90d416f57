import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * Test doubles for the parts of Electron the shell uses (the Electron binary cannot run here).
 * Tests install them with `vi.mock('electron', () => import('./fake-electron').then((m) => m.createFakeElectron()))`
 * or pass single fakes to the small modules. Only what the shell calls is modelled.
 *
 * Strict where Electron is: calls that only work before `ready` (scheme privileges, userData,
 * Chromium switches) throw after it, calls that need `ready` (windows, sessions, the protocol
 * handler, safeStorage) throw before it, and a kiosk window never emits 'ready-to-show' (as on
 * Linux in some versions), so the shell cannot rely on it.
 */
export class ElectronOrderError extends Error {}

function needsReady(isReady: () => boolean, what: string): void {
  if (!isReady()) throw new ElectronOrderError(`${what} cannot be used before the app is ready`);
}
function beforeReadyOnly(isReady: () => boolean, what: string): void {
  if (isReady()) throw new ElectronOrderError(`${what} can only be used before the app is ready`);
}
export interface FakeEvent {
  preventDefault(): void;
  readonly defaultPrevented: boolean;
}

export function fakeEvent<T extends object>(extra: T = {} as T): T & FakeEvent {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  readonly setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
  readonly closeDevTools = vi.fn();
  readonly send = vi.fn();
  readonly forcefullyCrashRenderer = vi.fn();
  readonly reloadIgnoringCache = vi.fn();
  readonly toggleDevTools = vi.fn();
  readonly isDestroyed = vi.fn(() => this.destroyed);
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn((_channel: string, message: unknown): Promise<unknown> =>
    Promise.resolve({ echoed: message }),
  );
}

export function createFakeElectron(options: { ready?: boolean } = {}) {
  let ready = options.ready ?? false;
  const isReady = () => ready;
  const paths = new Map<string, string>();
  const app = Object.assign(new EventEmitter(), {
    lockAvailable: true,
    userData: '/tmp/kiosk-fake-user-data',
    appData: '/tmp/kiosk-fake-app-data',
    name: 'Electron',
    switches: [] as string[],
    readyResolve: () => {},
    readyPromise: Promise.resolve(),
    isReady: vi.fn(isReady),
    requestSingleInstanceLock: vi.fn((): boolean => app.lockAvailable),
    whenReady: vi.fn((): Promise<void> => app.readyPromise),
    setName: vi.fn((name: string) => {
      app.name = name;
    }),
    getName: vi.fn(() => app.name),
    setPath: vi.fn((name: string, path: string) => {
      if (name === 'userData') beforeReadyOnly(isReady, "app.setPath('userData')");
      paths.set(name, path);
    }),
    getPath: vi.fn((name: string): string => paths.get(name) ?? (name === 'appData' ? app.appData : app.userData)),
    commandLine: {
      appendSwitch: vi.fn((name: string) => {
        beforeReadyOnly(isReady, 'app.commandLine.appendSwitch');
        app.switches.push(name);
      }),
    },
    relaunch: vi.fn(),
    exit: vi.fn(),
    /** Like Electron: 'before-quit', then 'will-quit', which a listener may hold back. */
    quit: vi.fn(() => {
      app.emit('before-quit', fakeEvent());
      const event = fakeEvent();
      app.emit('will-quit', event);
      if (!event.defaultPrevented) app.quitted = true;
    }),
    quitted: false,
  });
  app.readyPromise = ready
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        app.readyResolve = () => {
          ready = true;
          app.emit('ready');
          resolve();
        };
      });

  class BrowserWindow extends EventEmitter {
    static readonly instances: BrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    destroyed = false;
    minimized = false;
    visible = false;
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly removeMenu = vi.fn();
    readonly show = vi.fn(() => {
      this.visible = true;
    });
    readonly isVisible = vi.fn(() => this.visible);
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => this.minimized);
    readonly isDestroyed = vi.fn(() => this.destroyed);
    /** Like a user's or the compositor's close request: 'close' may be prevented. */
    readonly close = vi.fn(() => {
      const event = fakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.emit('closed');
    });
    constructor(readonly options: Record<string, unknown>) {
      needsReady(isReady, 'BrowserWindow');
      super();
      BrowserWindow.instances.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    /** Electron never emits it for kiosk windows on Linux in some versions: the fake never does. */
    override emit(name: string | symbol, ...args: unknown[]): boolean {
      if (name === 'ready-to-show' && this.options['kiosk'] === true) return false;
      return super.emit(name, ...args);
    }
  }

  const defaultSession = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  const storage = fakeSafeStorage();
  const safeStorage = {
    ...storage,
    encryptString: vi.fn((plain: string) => {
      needsReady(isReady, 'safeStorage');
      return storage.encryptString(plain);
    }),
    decryptString: vi.fn((wrapped: Buffer) => {
      needsReady(isReady, 'safeStorage');
      return storage.decryptString(wrapped);
    }),
  };
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    app,
    BrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn((_schemes: unknown) =>
        beforeReadyOnly(isReady, 'protocol.registerSchemesAsPrivileged'),
      ),
      handle: vi.fn((_scheme: string, _handler: unknown) => needsReady(isReady, 'protocol.handle')),
    },
    session: {
      get defaultSession() {
        needsReady(isReady, 'session.defaultSession');
        return defaultSession;
      },
    },
    ipcHandlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        ipcHandlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
    },
    powerSaveBlocker: { start: vi.fn((_type: string) => 7), stop: vi.fn() },
    crashReporter: { start: vi.fn() },
    safeStorage,
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: new FakeIpcRenderer(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** Reversible "encryption" marked with a prefix, so tests see that what is stored is not the plain value. */
export function fakeSafeStorage(options: { available?: boolean; backend?: 'basic_text' | 'gnome_libsecret' } = {}) {
  return {
    isEncryptionAvailable: vi.fn(() => options.available ?? true),
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
    encryptString: vi.fn((plain: string) =>
      Buffer.from(`wrapped:${Buffer.from(plain).reverse().toString('latin1')}`, 'latin1'),
    ),
    decryptString: vi.fn((wrapped: Buffer) => {
      const text = wrapped.toString('latin1');
      if (!text.startsWith('wrapped:'))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice('wrapped:'.length), 'latin1').reverse().toString();
    }),
  };
}

/**
 * A module object whose exports always read the *current* fake, so one `vi.mock('electron')`
 * (whose factory runs once per file) can serve a fresh fake to every test.
 */
export function delegatingElectronModule(current: () => FakeElectron): FakeElectron {
  const module = {} as FakeElectron;
  for (const key of Object.keys(createFakeElectron()) as Array<keyof FakeElectron>) {
    Object.defineProperty(module, key, { enumerable: true, get: () => current()[key] });
  }
  return module;
}
