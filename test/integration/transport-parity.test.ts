import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recordingLog } from '../../foundation/log';
import { defaultConfig } from '../../kiosk-config/default-config';
import type { JsonRpcResponse } from '../../electron/api/jsonrpc';
import { messageText } from '../../electron/host/browser-host';
import { startKioskRuntime, type KioskRuntime } from '../../electron/host/kiosk-runtime';
import { installRpcBridge } from '../../electron/shell/ipc-bridge';
import { RPC_CHANNEL } from '../../electron/shell/ipc-channels';

/**
 * The same JSON-RPC messages through both transports — the Electron IPC bridge (with a stand-in
 * ipcMain, since no Electron binary runs here) and the browser host's WebSocket — against the same
 * services must get the same answers, errors included.
 */
let runtime: KioskRuntime;
let dataDir: string;
let ipcHandler: (event: unknown, message: unknown) => Promise<JsonRpcResponse>;
let socket: WebSocket;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-parity-'));
  const started = await startKioskRuntime({ config: defaultConfig, dataDir, port: 0, log: recordingLog() });
  if (!started.ok) throw new Error(started.error.message);
  runtime = started.value;
  const ipcMain = {
    handle: (channel: string, handler: typeof ipcHandler) => {
      if (channel === RPC_CHANNEL) ipcHandler = handler;
    },
    removeHandler: () => undefined,
  };
  installRpcBridge(ipcMain as never, runtime.services.rpc, () => null, recordingLog());
  const origin = runtime.host.url.replace(/\/$/, '');
  socket = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, {
    headers: { Origin: origin, Cookie: `kiosk-session=${runtime.host.token}` },
  });
  await new Promise((resolve) => socket.once('open', resolve));
});

afterAll(async () => {
  socket?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function overSocket(message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(messageText(data))));
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

function overIpc(message: unknown): Promise<unknown> {
  return ipcHandler({ senderFrame: { url: 'app://kiosk/index.html' } }, message);
}

const messages: Array<[string, unknown]> = [
  ['a valid call', { jsonrpc: '2.0', id: 1, method: 'catalogue.get', params: {} }],
  ['invalid params', { jsonrpc: '2.0', id: 2, method: 'session.end', params: { reason: 'bored' } }],
  ['an unknown method', { jsonrpc: '2.0', id: 3, method: 'kiosk.format', params: {} }],
  ['a malformed envelope', { jsonrpc: '1.0', id: 4, method: 'kiosk.info' }],
  ['a service failure', { jsonrpc: '2.0', id: 5, method: 'journey.cards', params: {} }],
  ['text that is not JSON', '{"jsonrpc": "2.0", "id": 6,'],
];

describe('Electron IPC and the browser host WebSocket', () => {
  it.each(messages)('answer %s identically', async (_what, message) => {
    const viaIpc = await overIpc(message);
    const viaSocket = await overSocket(message);
    expect(viaSocket).toEqual(viaIpc);
    expect(viaIpc).toHaveProperty('jsonrpc', '2.0');
  });
});
