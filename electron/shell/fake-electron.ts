import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * Test doubles for the parts of Electron the shell uses (the Electron binary cannot run here).
 * Tests install them with `vi.mock('electron', () => import('./fake-electron').then((m) => m.createFakeElectron()))`
 * or pass single fakes to the small modules. Only what the shell calls is modelled.
 */
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
  readonly isDestroyed = vi.fn(() => this.destroyed);
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn((_channel: string, message: unknown): Promise<unknown> =>
    Promise.resolve({ echoed: message }),
  );
}

export function createFakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    lockAvailable: true,
    userData: '/tmp/kiosk-fake-user-data',
    readyResolve: () => {},
    readyPromise: Promise.resolve(),
    requestSingleInstanceLock: vi.fn((): boolean => app.lockAvailable),
    whenReady: vi.fn((): Promise<void> => app.readyPromise),
    getPath: vi.fn((_name: string): string => app.userData),
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
  app.readyPromise = new Promise<void>((resolve) => {
    app.readyResolve = resolve;
  });

  class BrowserWindow extends EventEmitter {
    static readonly instances: BrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    destroyed = false;
    minimized = false;
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly removeMenu = vi.fn();
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isMinimized = vi.fn(() => this.minimized);
    readonly isDestroyed = vi.fn(() => this.destroyed);
    constructor(readonly options: Record<string, unknown>) {
      super();
      BrowserWindow.instances.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
  }

  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    app,
    BrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
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
    safeStorage: fakeSafeStorage(),
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
