import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { KioskBridge } from '../api/bridge';
import { EVENT_CHANNEL, RPC_CHANNEL } from './ipc-channels';

/**
 * What the preload exposes as `window.kiosk`: two functions and nothing else. The page never sees
 * `ipcRenderer` nor an IPC event object (both would let it reach beyond the contract).
 */
export function createKioskBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): KioskBridge {
  return Object.freeze({
    call(message: unknown): Promise<unknown> {
      return ipc.invoke(RPC_CHANNEL, message) as Promise<unknown>;
    },
    subscribe(listener: (notification: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('kiosk.subscribe expects a function');
      const forward = (_event: IpcRendererEvent, notification: unknown) => listener(notification);
      ipc.on(EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, forward);
      };
    },
  });
}
