import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KeypadKey } from '../../foundation/keypad-keys';
import { recordingLog } from '../../foundation/log';
import { startKeypadSimulator } from '../../drivers/keypad/keypad-simulator';
import { Usage } from '../../drivers/keypad/keypad-codec';
import { messageText } from '../../electron/host/browser-host';
import { startKioskRuntime, type KioskRuntime } from '../../electron/host/kiosk-runtime';
import { createDeviceManager, type DeviceManager } from '../../electron/services/devices/device-manager';
import { noDevicesConfig } from '../support/services-fixture';

/**
 * The tactile keypad end to end below the page: the simulator writes real boot keyboard reports on
 * a PTY, the device manager's keypad service reads them through the serial transport, and each key
 * arrives as a `keypad.key` notification on the browser host's socket.
 */
const keypadOnly = {
  ...noDevicesConfig,
  devices: { ...noDevicesConfig.devices, keypad: { kind: 'simulated' } },
} as const;

describe('keypad through the device manager', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function manager(): Promise<{ devices: DeviceManager; keys: KeypadKey[]; statuses: string[] }> {
    const devices = createDeviceManager({ config: keypadOnly, log: recordingLog() });
    const keys: KeypadKey[] = [];
    const statuses: string[] = [];
    devices.subscribe((event) => {
      if (event.kind === 'keypad-key') keys.push(event.key);
      if (event.kind === 'status' && event.role === 'keypad') statuses.push(event.status.state);
    });
    cleanups.push(() => devices.stop());
    await devices.start();
    await expect.poll(() => devices.states().find((s) => s.role === 'keypad')?.status.state).toBe('ready');
    return { devices, keys, statuses };
  }

  it('delivers each key pressed on the simulated keypad, in order', async () => {
    const { devices, keys } = await manager();
    for (const key of ['help', 'down', 'down', 'enter', 'back'] as const) devices.dock.pressKey(key);
    await expect.poll(() => keys).toEqual(['help', 'down', 'down', 'enter', 'back']);
  });

  it('self-test names the key the technician pressed', async () => {
    const { devices } = await manager();
    const test = devices.selfTest('keypad');
    // The self-test listens from the call on; press once it is waiting.
    await new Promise<void>((resolve) => setImmediate(resolve));
    void devices.dock.running.keypad?.press({ usage: Usage.keypad7 });
    expect(await test).toEqual({ ok: true, value: 'keypad 7 (no job on the kiosk)' });
  });

  it('shows an unplugged keypad as no-device and takes keys again once it is back', async () => {
    const { devices, keys } = await manager();
    const simulator = devices.dock.running.keypad;
    if (simulator === null) throw new Error('keypad not simulated');
    await simulator.unplug();
    await expect.poll(() => devices.states().find((s) => s.role === 'keypad')?.status.state).toBe('no-device');
    await simulator.replug();
    await expect
      .poll(() => devices.states().find((s) => s.role === 'keypad')?.status.state, { timeout: 10_000 })
      .toBe('ready');
    devices.dock.pressKey('repeat');
    await expect.poll(() => keys).toEqual(['repeat']);
  });

  it('moves the keypad to another port at run time', async () => {
    const { devices, keys } = await manager();
    const other = await startKeypadSimulator();
    cleanups.push(() => other.stop());
    expect((await devices.assign('keypad', { kind: 'serial', path: other.devicePath, baudRate: 9600 })).ok).toBe(true);
    await expect.poll(() => devices.states().find((s) => s.role === 'keypad')?.status.state).toBe('ready');
    await other.press('volume-up');
    await expect.poll(() => keys).toEqual(['volume-up']);
  });
});

describe('keypad.key on the browser host socket', () => {
  let runtime: KioskRuntime;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiosk-keypad-'));
    const started = await startKioskRuntime({ config: keypadOnly, dataDir, port: 0, log: recordingLog() });
    if (!started.ok) throw new Error(started.error.message);
    runtime = started.value;
  });
  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const dock = (path: string, body: unknown, token = runtime.host.token) =>
    fetch(`${runtime.host.url}dock${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify(body),
    });

  it('sends a notification per key pressed through the dock', async () => {
    const ws = new WebSocket(`${runtime.host.url.replace('http', 'ws')}rpc`, {
      headers: { Origin: runtime.host.url.replace(/\/$/, ''), Cookie: `kiosk-session=${runtime.host.token}` },
    });
    const notes: unknown[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(messageText(data)) as { method?: string };
      if (message.method === 'keypad.key') notes.push(message);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await expect
      .poll(async () => {
        const health = (await (await fetch(`${runtime.host.url}healthz`)).json()) as {
          devices: Record<string, string>;
        };
        return health.devices['keypad'];
      })
      .toBe('ready');
    expect(await (await dock('/keypad/press', { key: 'help' })).json()).toEqual({ ok: true });
    expect(await (await dock('/keypad/press', { key: 'volume-down' })).json()).toEqual({ ok: true });
    await expect
      .poll(() => notes)
      .toEqual([
        { jsonrpc: '2.0', method: 'keypad.key', params: { key: 'help' } },
        { jsonrpc: '2.0', method: 'keypad.key', params: { key: 'volume-down' } },
      ]);
    ws.close();
  });

  it('refuses a press without the token and a key that does not exist', async () => {
    expect((await dock('/keypad/press', { key: 'help' }, 'guess')).status).toBe(401);
    const bad = await dock('/keypad/press', { key: 'self-destruct' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('key must be one of up, down');
  });
});
