import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());

let electron: FakeElectron;
let kiosk: Record<string, unknown>;

beforeEach(async () => {
  // The preload runs once per import: reload it against a clean fake each time.
  vi.resetModules();
  electron = (await import('electron')) as unknown as FakeElectron;
  electron.ipcRenderer.removeAllListeners();
  vi.clearAllMocks();
  await import('./preload');
  kiosk = electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as Record<string, unknown>;
});
afterEach(() => vi.resetModules());

const bridge = () =>
  kiosk as unknown as { call(m: unknown): Promise<unknown>; subscribe(l: (...args: unknown[]) => void): () => void };

describe('preload', () => {
  it('exposes exactly one global, window.kiosk', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[0]).toBe('kiosk');
  });

  it('window.kiosk has exactly call and subscribe, both functions, and cannot be changed', () => {
    expect(Object.getOwnPropertyNames(kiosk).sort()).toEqual(['call', 'subscribe']);
    expect(typeof kiosk['call']).toBe('function');
    expect(typeof kiosk['subscribe']).toBe('function');
    expect(Object.isFrozen(kiosk)).toBe(true);
    expect(Object.values(kiosk)).not.toContain(electron.ipcRenderer);
  });

  it('call sends the message on kiosk:rpc and returns only the answer', async () => {
    const message = { jsonrpc: '2.0', id: 1, method: 'kiosk.info', params: {} };
    await expect(bridge().call(message)).resolves.toEqual({ echoed: message });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('kiosk:rpc', message);
  });

  it('subscribe hands the listener the notification alone, never the IPC event', () => {
    const listener = vi.fn();
    bridge().subscribe(listener);
    const notification = { jsonrpc: '2.0', method: 'session.ended', params: {} };
    electron.ipcRenderer.emit('kiosk:event', { sender: electron.ipcRenderer, ports: [] }, notification);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([notification]);
  });

  it('subscribe returns an unsubscribe function (not ipcRenderer) that stops delivery', () => {
    const listener = vi.fn();
    const unsubscribe = bridge().subscribe(listener);
    expect(typeof unsubscribe).toBe('function');
    expect(unsubscribe).not.toBe(electron.ipcRenderer);
    expect(unsubscribe()).toBeUndefined();
    electron.ipcRenderer.emit('kiosk:event', {}, { method: 'x' });
    expect(listener).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.listenerCount('kiosk:event')).toBe(0);
  });

  it('listens on no other channel', () => {
    bridge().subscribe(vi.fn());
    expect(electron.ipcRenderer.eventNames()).toEqual(['kiosk:event']);
  });
});
