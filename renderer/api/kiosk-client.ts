import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf } from '../../electron/api/contract';
import type { JsonRpcErrorObject, JsonRpcNotification, JsonRpcResponse } from '../../electron/api/jsonrpc';

/**
 * The renderer's one way to reach the services. It speaks JSON-RPC 2.0 over whichever bridge the
 * page has: `window.kiosk` (Electron preload) or a WebSocket to the browser host. Only contract
 * *types* are imported, so no schema code ships in the page; the service side validates.
 */
export interface KioskBridge {
  call(message: unknown): Promise<unknown>;
  subscribe(listener: (notification: unknown) => void): () => void;
}

declare global {
  interface Window {
    kiosk?: KioskBridge;
  }
}

export class KioskCallError extends Error {
  constructor(
    readonly method: string,
    readonly error: JsonRpcErrorObject,
  ) {
    super(`${method}: ${error.message}`);
  }
  get kind(): string {
    return this.error.data?.kind ?? 'unknown';
  }
}

export interface KioskClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

let nextId = 1;

export function createKioskClient(bridge: KioskBridge): KioskClient {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  bridge.subscribe((raw) => {
    const notification = raw as JsonRpcNotification;
    for (const listener of listeners.get(notification.method) ?? []) listener(notification.params as never);
  });
  return {
    async call(method, params) {
      const response = (await bridge.call({ jsonrpc: '2.0', id: nextId++, method, params })) as JsonRpcResponse;
      if ('error' in response) throw new KioskCallError(method, response.error);
      return response.result as ResultOf<typeof method>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/**
 * The browser host's bridge: one socket, requests matched to responses by id, reconnecting
 * (with backoff) if the host restarts, so a blip never strands the resident.
 */
export function webSocketBridge(url: string): KioskBridge {
  const pending = new Map<number | string, (response: unknown) => void>();
  const subscribers = new Set<(n: unknown) => void>();
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  let backoffMs = 250;

  function connect(): Promise<WebSocket> {
    ready ??= new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        backoffMs = 250;
        socket = ws;
        resolve(ws);
      };
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { id?: number | string | null; method?: string };
        if (message.method !== undefined) {
          for (const subscriber of subscribers) subscriber(message);
        } else if (message.id !== undefined && message.id !== null) {
          pending.get(message.id)?.(message);
          pending.delete(message.id);
        }
      };
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [id, settle] of pending)
          settle({
            jsonrpc: '2.0',
            id,
            error: { code: -32603, message: 'connection lost', data: { kind: 'connection-lost' } },
          });
        pending.clear();
        setTimeout(
          () =>
            void connect().then(
              () => undefined,
              () => undefined,
            ),
          backoffMs,
        );
        backoffMs = Math.min(backoffMs * 2, 5000);
      };
    });
    return ready;
  }

  return {
    async call(message) {
      const ws = socket ?? (await connect());
      const id = (message as { id: number }).id;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify(message));
      });
    },
    subscribe(listener) {
      subscribers.add(listener);
      void connect();
      return () => subscribers.delete(listener);
    },
  };
}

/** Picks the bridge the page was given: Electron's preload, else the host's socket with its token. */
export function connectKiosk(): KioskClient {
  if (window.kiosk !== undefined) return createKioskClient(window.kiosk);
  const token = document.querySelector('meta[name="kiosk-token"]')?.getAttribute('content') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  return createKioskClient(webSocketBridge(url));
}
