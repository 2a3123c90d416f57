import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import type { Log } from '../../foundation/log';
import { ErrorCode, type JsonRpcResponse, type RequestId } from '../api/jsonrpc';
import type { RpcServer } from '../api/rpc-server';
import { APP_ORIGIN, isAppUrl, originForLog } from './app-origin';
import { EVENT_CHANNEL, RPC_CHANNEL } from './ipc-channels';

/**
 * The main-process end of `window.kiosk`: JSON-RPC messages in over `kiosk:rpc`, event
 * notifications out over `kiosk:event`. A message is served only if it comes from a frame showing
 * the app's own origin; anything else (a frame that navigated away, a foreign frame) gets a
 * JSON-RPC "forbidden" error, never an exception across IPC.
 */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url'> | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  return isAppUrl(frame.url);
}

function requestIdOf(message: unknown): RequestId | null {
  if (typeof message !== 'object' || message === null || !('id' in message)) return null;
  const id = message.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export function forbiddenResponse(message: unknown): JsonRpcResponse {
  return {
    jsonrpc: '2.0',
    id: requestIdOf(message),
    error: { code: ErrorCode.forbidden, message: 'forbidden', data: { kind: 'forbidden-sender' } },
  };
}

interface InvokeEvent {
  readonly senderFrame: Pick<WebFrameMain, 'url'> | null;
}

function checkSender(event: InvokeEvent): { trusted: boolean; seen: string } {
  try {
    const frame = event.senderFrame;
    return { trusted: isTrustedSender(frame), seen: originForLog(frame?.url) };
  } catch {
    return { trusted: false, seen: '(frame gone)' }; // Electron throws once the frame is disposed
  }
}

/** Registers the handler and the event forwarding; returns the undo for shutdown. */
export function installRpcBridge(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  rpc: RpcServer,
  target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
  log: Log,
): () => void {
  ipcMain.handle(RPC_CHANNEL, async (event, message: unknown): Promise<JsonRpcResponse> => {
    const sender = checkSender(event);
    if (!sender.trusted) {
      log.warn({ sender: sender.seen, expected: APP_ORIGIN }, 'ipc call refused: untrusted sender');
      return forbiddenResponse(message);
    }
    try {
      return await rpc.handle(message, { transport: 'electron-ipc' });
    } catch (error) {
      // RpcServer.handle promises never to throw; if it ever does, the page still gets an answer.
      log.error({ error: error instanceof Error ? error.message : String(error) }, 'ipc call failed');
      return {
        jsonrpc: '2.0',
        id: requestIdOf(message),
        error: { code: ErrorCode.internalError, message: 'internal error', data: { kind: 'bridge-failed' } },
      };
    }
  });
  const unsubscribe = rpc.onNotification((notification) => {
    const contents = target();
    if (contents === null || contents.isDestroyed()) return;
    contents.send(EVENT_CHANNEL, notification);
  });
  log.info({ channel: RPC_CHANNEL }, 'ipc bridge installed');
  return () => {
    unsubscribe();
    ipcMain.removeHandler(RPC_CHANNEL);
  };
}
