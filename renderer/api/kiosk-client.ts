import type { EventName, EventPayload, FailureOf, MethodName, ParamsOf, ResultOf } from '../../electron/api/contract';
import type { KioskBridge } from '../../electron/api/bridge';
import type { JsonRpcNotification, JsonRpcResponse } from '../../electron/api/jsonrpc';
import type { Result } from '../../foundation/result';

/**
 * The renderer's one way to reach the services. It speaks JSON-RPC 2.0 over whichever bridge the
 * page has: `window.kiosk` (Electron preload) or a WebSocket to the browser host. Only contract
 * *types* are imported, so no schema code ships in the page; the service side validates.
 *
 * A call never throws: it answers its result, or one of the failures the contract declares for
 * that method, or `unavailable` when the services could not answer at all (the connection broke,
 * a bug on the service side). Screens switch over the kinds; the compiler checks they name each.
 */
declare global {
  interface Window {
    kiosk?: KioskBridge;
  }
}

/** The services could not answer (connection lost, an internal error): nothing the resident did wrong. */
export interface Unavailable {
  readonly kind: 'unavailable';
}

export type CallFailure<M extends MethodName> = FailureOf<M> | Unavailable;
export type CallResult<M extends MethodName> = Result<ResultOf<M>, CallFailure<M>>;

/** JSON-RPC's code for a refusal the contract declares (electron/api/jsonrpc.ts `serviceError`). */
const serviceError = -32000;

export interface KioskClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<CallResult<M>>;
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
    async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<CallResult<M>> {
      let response: JsonRpcResponse;
      try {
        response = (await bridge.call({ jsonrpc: '2.0', id: nextId++, method, params })) as JsonRpcResponse;
      } catch {
        return { ok: false, error: { kind: 'unavailable' } };
      }
      if (!('error' in response)) return { ok: true, value: response.result as ResultOf<M> };
      // The service side validated a declared failure before sending it; anything else is not the caller's to handle.
      if (response.error.code === serviceError && response.error.data !== undefined)
        return { ok: false, error: response.error.data as FailureOf<M> };
      return { ok: false, error: { kind: 'unavailable' } };
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
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

/**
 * Picks the bridge the page was given: Electron's preload, else the host's socket (its token
 * travels in the HttpOnly cookie the launch URL set; the page never sees it).
 */
export function connectKiosk(): KioskClient {
  if (window.kiosk !== undefined) return createKioskClient(window.kiosk);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  return createKioskClient(webSocketBridge(url));
}
