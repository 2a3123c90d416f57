import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { ErrorCode, type JsonRpcNotification, type JsonRpcResponse } from '../api/jsonrpc';
import { forbiddenResponse, installRpcBridge, isTrustedSender } from './ipc-bridge';

type Handler = (event: unknown, message: unknown) => Promise<JsonRpcResponse>;

function fakeRpc() {
  const listeners = new Set<(n: JsonRpcNotification) => void>();
  const rpc = {
    handle: vi.fn((raw: unknown): Promise<JsonRpcResponse> =>
      Promise.resolve({ jsonrpc: '2.0', id: (raw as { id: number }).id, result: { served: true } }),
    ),
    onNotification: vi.fn((listener: (n: JsonRpcNotification) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit: vi.fn(),
  };
  const notify = (n: JsonRpcNotification) => listeners.forEach((listener) => listener(n));
  return { rpc, notify, listeners };
}

function bridge() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const { rpc, notify, listeners } = fakeRpc();
  const target = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
  let current: typeof target | null = target;
  const log = recordingLog();
  const dispose = installRpcBridge(ipcMain, rpc, () => current, log);
  const call = (event: unknown, message: unknown) => {
    const handler = handlers.get('kiosk:rpc');
    if (handler === undefined) throw new Error('no handler');
    return handler(event, message);
  };
  return { call, rpc, notify, listeners, target, dropTarget: () => (current = null), dispose, ipcMain, handlers, log };
}

const request = { jsonrpc: '2.0', id: 7, method: 'kiosk.info', params: {} };
const fromApp = { senderFrame: { url: 'app://kiosk/index.html' } };

describe('isTrustedSender', () => {
  it('trusts only a frame showing the app origin', () => {
    expect(isTrustedSender({ url: 'app://kiosk/index.html#/x' })).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender({ url: 'app://kiosk.evil/' })).toBe(false);
    expect(isTrustedSender({ url: '' })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('kiosk:rpc handler', () => {
  it('passes calls from the app to the RPC server as electron-ipc', async () => {
    const { call, rpc } = bridge();
    await expect(call(fromApp, request)).resolves.toEqual({ jsonrpc: '2.0', id: 7, result: { served: true } });
    expect(rpc.handle).toHaveBeenCalledWith(request, { transport: 'electron-ipc' });
  });

  it.each([
    ['no frame', { senderFrame: null }],
    ['a foreign page', { senderFrame: { url: 'https://evil.example/x' } }],
    ['another app host', { senderFrame: { url: 'app://other/index.html' } }],
    ['a file page', { senderFrame: { url: 'file:///tmp/x.html' } }],
  ])('answers a call from %s with forbidden (-32001), not a throw', async (_name, event) => {
    const { call, rpc, log } = bridge();
    const response = await call(event, request);
    expect(response).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: ErrorCode.forbidden, message: 'forbidden', data: { kind: 'forbidden-sender' } },
    });
    expect(rpc.handle).not.toHaveBeenCalled();
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'ipc call refused: untrusted sender' }),
    );
  });

  it('treats a frame that is already gone (Electron throws) as untrusted', async () => {
    const { call, rpc } = bridge();
    const gone = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    await expect(call(gone, request)).resolves.toMatchObject({ error: { code: -32001 } });
    expect(rpc.handle).not.toHaveBeenCalled();
  });

  it('echoes only a valid id in the refusal', () => {
    expect(forbiddenResponse({ id: 'abc' })).toMatchObject({ id: 'abc' });
    expect(forbiddenResponse({ id: { evil: true } })).toMatchObject({ id: null });
    expect(forbiddenResponse('garbage')).toMatchObject({ id: null });
  });

  it('answers with an internal error if the server ever throws', async () => {
    const { call, rpc } = bridge();
    rpc.handle.mockRejectedValueOnce(new Error('boom'));
    await expect(call(fromApp, request)).resolves.toMatchObject({ id: 7, error: { code: ErrorCode.internalError } });
  });
});

describe('event forwarding', () => {
  const notification: JsonRpcNotification = { jsonrpc: '2.0', method: 'session.ended', params: { reason: 'timeout' } };

  it('sends notifications to the window on kiosk:event', () => {
    const { notify, target } = bridge();
    notify(notification);
    expect(target.send).toHaveBeenCalledWith('kiosk:event', notification);
  });

  it('drops notifications while there is no live window', () => {
    const { notify, target, dropTarget } = bridge();
    target.isDestroyed.mockReturnValue(true);
    notify(notification);
    dropTarget();
    notify(notification);
    expect(target.send).not.toHaveBeenCalled();
  });

  it('dispose removes the handler and the subscription', () => {
    const { dispose, handlers, listeners, ipcMain } = bridge();
    dispose();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith('kiosk:rpc');
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
