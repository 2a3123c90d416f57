/**
 * The one bridge between the page and the services: JSON-RPC messages in, responses and
 * notifications out. The Electron preload exposes it as `window.kiosk`; the browser host's
 * WebSocket plays the same part (renderer/api/kiosk-client.ts).
 */
export interface KioskBridge {
  call(message: unknown): Promise<unknown>;
  subscribe(listener: (notification: unknown) => void): () => void;
}
