import { WebSocket } from 'ws';

/**
 * A JSON-RPC client speaking the browser host's bridge exactly as the renderer does: the launch URL
 * hands over the socket cookie, the socket opens from the page's origin, calls carry ids, and the
 * kiosk's notifications arrive on the same socket.
 */
export interface RpcClient {
  /** The socket's secret from the launch cookie (the dock takes it as a header). */
  readonly token: string;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** Resolves on the next notification `method` (call before the action that causes it). */
  next(method: string, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

export class RpcFailure extends Error {
  constructor(
    readonly method: string,
    readonly error: { code: number; message: string; data?: unknown },
  ) {
    super(`${method}: ${error.message} ${JSON.stringify(error.data ?? null)}`);
  }
}

export async function connectRpc(baseUrl: string, launchUrl: string): Promise<RpcClient> {
  const launched = await fetch(launchUrl, { redirect: 'manual' });
  const cookie = launched.headers.get('set-cookie')?.split(';')[0];
  if (cookie === undefined) throw new Error(`launch gave no cookie (HTTP ${launched.status})`);
  const origin = new URL(baseUrl).origin;
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { cookie, origin } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiters = new Set<{ method: string; resolve: (params: unknown) => void }>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as {
      id?: number;
      method?: string;
      params?: unknown;
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (message.method !== undefined) {
      for (const waiter of waiters)
        if (waiter.method === message.method) {
          waiters.delete(waiter);
          waiter.resolve(message.params);
        }
      return;
    }
    const call = message.id === undefined ? undefined : pending.get(message.id);
    if (call === undefined || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) call.reject(new RpcFailure(call.method, message.error));
    else call.resolve(message.result);
  });
  return {
    token: decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)),
    call<T>(method: string, params: unknown = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
    next(method, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const waiter = {
          method,
          resolve: (params: unknown) => {
            clearTimeout(timer);
            resolve(params);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
}
