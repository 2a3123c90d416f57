import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildShell, projectRoot } from './build';

/**
 * Builds the real bundles into a temporary tree shaped like the project (package.json and
 * node_modules beside, renderer next to electron/) and checks what Electron will load:
 * the preload under sandbox rules, and main.js booted under plain Node with a stand-in 'electron'.
 */
let base: string;
let out: { main: string; preload: string };

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'kiosk-shell-build-'));
  symlinkSync(join(projectRoot, 'node_modules'), join(base, 'node_modules'));
  symlinkSync(join(projectRoot, 'package.json'), join(base, 'package.json'));
  mkdirSync(join(base, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(base, 'dist', 'renderer', 'index.html'), '<!doctype html><title>kiosk</title>');
  out = await buildShell(join(base, 'dist', 'electron'));
}, 30_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('preload bundle', () => {
  it('is CommonJS that requires nothing but electron (sandboxed preload rules)', () => {
    const code = readFileSync(out.preload, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required: string[] = [];
    const exposeInMainWorld = vi.fn();
    const ipcRenderer = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`module not found: ${name}`);
      return { contextBridge: { exposeInMainWorld }, ipcRenderer };
    };
    const module = { exports: {} };
    // The bundle as Electron's sandboxed preload runs it: a CommonJS function body with only `require`.
    const preload = compileFunction(code, ['require', 'module', 'exports']) as (
      require: typeof sandboxRequire,
      module: { exports: object },
      exports: object,
    ) => void;
    preload(sandboxRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposeInMainWorld.mock.calls[0] as [string, object];
    expect(name).toBe('kiosk');
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
  });
});

describe('main bundle', () => {
  const bareImports = () =>
    [...readFileSync(out.main, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1] ?? '');

  it('is an ES module whose only non-builtin imports are electron and runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const packages = new Set(
      bareImports()
        .filter((spec) => !spec.startsWith('node:'))
        .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? ''))),
    );
    expect(packages.has('electron')).toBe(true);
    for (const name of packages) if (name !== 'electron') expect(Object.keys(pkg.dependencies), name).toContain(name);
    expect(bareImports().some((spec) => spec.startsWith('.'))).toBe(false);
  });

  it('boots under Node with a stand-in electron: services, protocol, IPC, window, clean quit', () => {
    const fake = join(base, 'fake-electron-runtime.mjs');
    writeFileSync(fake, fakeElectronRuntime);
    const hooks = join(base, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {\n  if (specifier === 'electron') return { url: ${JSON.stringify(pathToFileURL(fake).href)}, shortCircuit: true };\n  return next(specifier, context);\n}\n`,
    );
    const register = join(base, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const dataDir = join(base, 'data');
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, out.main, '--data', dataDir], {
      encoding: 'utf8',
      // A guard against a hang, not a speed limit: on a loaded 2-core machine the boot takes >20 s.
      timeout: 90_000,
      env: { ...process.env, KIOSK_LOG_LEVEL: 'info' },
    });
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { what: string; data: unknown });
    const find = (what: string) => events.find((e) => e.what === what)?.data;
    expect(run.status, run.stderr).toBe(0);
    expect(find('scheme')).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(find('window')).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      preload: join(base, 'dist', 'electron', 'preload.cjs'),
    });
    expect(find('loadURL')).toBe('app://kiosk/index.html');
    expect(find('name')).toBe('village-kiosk');
    expect(find('userData')).toBe(join(dataDir, 'electron-profile'));
    expect(find('switch')).toBe('enable-speech-dispatcher');
    const page = find('page') as { status: number; csp: string } | undefined;
    expect(page?.status).toBe(200);
    expect(page?.csp).toContain("default-src 'self'");
    const rpc = find('rpc') as { jsonrpc: string; id: number; result: { terminalId: unknown } } | undefined;
    expect(rpc).toMatchObject({ jsonrpc: '2.0', id: 1 });
    expect(typeof rpc?.result.terminalId).toBe('string');
    expect(find('rpc-foreign')).toMatchObject({ id: 2, error: { code: -32001 } });
    expect(events.map((e) => e.what)).toContain('quitted');
    expect(run.stderr).toContain('services stopped');
  }, 120_000);
});

/** Just enough of Electron's main-process API, as plain ESM, reporting what the shell does on stdout. */
const fakeElectronRuntime = String.raw`
import { EventEmitter } from 'node:events';
const report = (what, data) => process.stdout.write(JSON.stringify({ what, data }) + '\n');
const event = () => { const e = { defaultPrevented: false, preventDefault() { e.defaultPrevented = true; } }; return e; };
const handlers = new Map();
let protocolHandler;
class FakeApp extends EventEmitter {
  requestSingleInstanceLock() { return true; }
  whenReady() { return Promise.resolve(); }
  getPath(name) { return name === 'appData' ? '/nonexistent' : this.userData ?? '/nonexistent'; }
  setName(name) { report('name', name); }
  setPath(name, path) { if (name === 'userData') { this.userData = path; report('userData', path); } }
  commandLine = { appendSwitch(name) { report('switch', name); } };
  relaunch() { report('relaunch'); }
  exit(code) { report('exit', code); process.exit(code); }
  quit() {
    this.emit('before-quit', event());
    const e = event();
    this.emit('will-quit', e);
    if (!e.defaultPrevented) { report('quitted'); process.exit(0); }
  }
}
export const app = new FakeApp();
class WebContents extends EventEmitter {
  setWindowOpenHandler() {}
  send(channel, n) { report('send', { channel, n }); }
  isDestroyed() { return false; }
  closeDevTools() {}
  forcefullyCrashRenderer() {}
}
async function drive() {
  const page = await protocolHandler(new Request('app://kiosk/index.html'));
  report('page', { status: page.status, csp: page.headers.get('content-security-policy') });
  const rpc = handlers.get('kiosk:rpc');
  report('rpc', await rpc({ senderFrame: { url: 'app://kiosk/index.html' } }, { jsonrpc: '2.0', id: 1, method: 'kiosk.info', params: {} }));
  report('rpc-foreign', await rpc({ senderFrame: { url: 'https://evil.example/' } }, { jsonrpc: '2.0', id: 2, method: 'kiosk.info', params: {} }));
  app.quit();
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    report('window', options.webPreferences);
    this.webContents = new WebContents();
    app.emit('web-contents-created', event(), this.webContents);
  }
  loadURL(url) { report('loadURL', url); setTimeout(() => void drive(), 0); return Promise.resolve(); }
  removeMenu() {}
  isDestroyed() { return false; }
  isMinimized() { return false; }
  isVisible() { return false; }
  show() {} focus() {} restore() {}
}
export const Menu = { setApplicationMenu(menu) { report('menu', menu); } };
export const dialog = { showErrorBox(title, text) { report('error-box', text); } };
export const protocol = {
  registerSchemesAsPrivileged(schemes) { report('scheme', schemes); },
  handle(scheme, handler) { protocolHandler = handler; },
};
export const session = { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {} } };
export const ipcMain = { handle(channel, handler) { handlers.set(channel, handler); }, removeHandler(channel) { handlers.delete(channel); } };
export const powerSaveBlocker = { start() { return 1; }, stop() {} };
export const crashReporter = { start(options) { report('crash-reporter', options); } };
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text) => Buffer.from('w:' + text),
  decryptString: (buffer) => buffer.toString().slice(2),
};
`;
