/**
 * An HTTP proxy for tests that sits between a client and a real server and misbehaves on
 * purpose, request by request: connections closed at once, resets in the middle of a response
 * body, 5xx and 429 answers with Retry-After, slow or never-ending responses, and the nasty one
 * for exactly-once delivery — the server processes the request but the answer never arrives.
 * `down()`/`up()` make the port refuse connections outright (ECONNREFUSED) and accept them again.
 *
 * Headers pass unchanged (Host included), so signatures over the proxy's URL verify upstream.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  | { readonly kind: 'pass' }
  /** Close the connection as soon as the request arrives, without forwarding it. */
  | { readonly kind: 'close' }
  /** Answer with this status without forwarding (e.g. 500, 503, or 429 with retryAfter). */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Forward, and hold the response back this long. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answer (until the proxy closes). */
  | { readonly kind: 'hang' }
  /** Forward, then send the head and only `afterBytes` of the body before resetting the connection. */
  | { readonly kind: 'reset-mid-body'; readonly afterBytes?: number }
  /** Forward so the server acts on it, then reset before any of the answer reaches the client. */
  | { readonly kind: 'drop-after-forward' };

export interface ProxiedRequest {
  readonly n: number;
  readonly method: string;
  readonly path: string;
}

export interface FaultProxyOptions {
  /** Chooses a fault per request; consulted when no queued fault is waiting. */
  readonly plan?: (request: ProxiedRequest) => Fault | undefined;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Queue faults for the next requests, in order; later requests pass (or follow the plan). */
  next(...faults: Fault[]): void;
  /** Every request seen, with the fault it got. */
  readonly log: Array<ProxiedRequest & { readonly fault: Fault['kind'] }>;
  /** Stop listening: new connections are refused (ECONNREFUSED) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

interface Upstream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (res) => {
        readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function reset(socket: Socket): void {
  // RST rather than FIN: the client sees ECONNRESET, as with a dropped mobile link.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startFaultProxy(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const queue: Fault[] = [];
  const log: FaultProxy['log'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seen: ProxiedRequest = { n: ++count, method: req.method ?? 'GET', path: req.url ?? '/' };
    const fault = queue.shift() ?? options.plan?.(seen) ?? { kind: 'pass' };
    log.push({ ...seen, fault: fault.kind });
    const body = await readAll(req);
    switch (fault.kind) {
      case 'close':
        reset(req.socket);
        return;
      case 'hang':
        return;
      case 'status': {
        const text =
          fault.body ??
          JSON.stringify({ type: 'about:blank', title: `injected ${fault.status}`, status: fault.status });
        res.writeHead(fault.status, {
          'content-type': 'application/problem+json',
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
        });
        res.end(text);
        return;
      }
      case 'pass':
      case 'delay':
      case 'reset-mid-body':
      case 'drop-after-forward':
        break;
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
    let upstream: Upstream;
    try {
      upstream = await forward(target, req, body);
    } catch {
      res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'upstream unreachable', status: 502 }));
      return;
    }
    if (fault.kind === 'drop-after-forward') {
      reset(req.socket);
      return;
    }
    if (fault.kind === 'delay') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.ms);
        timers.add(timer);
      });
      if (req.socket.destroyed) return;
    }
    const headers = { ...upstream.headers, 'content-length': String(upstream.body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(upstream.status, headers);
    if (fault.kind === 'reset-mid-body') {
      const part = upstream.body.subarray(
        0,
        Math.min(fault.afterBytes ?? Math.floor(upstream.body.length / 2), Math.max(0, upstream.body.length - 1)),
      );
      res.write(part, () => reset(req.socket));
      return;
    }
    res.end(upstream.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => reset(req.socket));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Longer than the client's own idle timeout (undici: 4 s), so the client always drops an idle
  // connection first; otherwise a request sent as the proxy closes it meets ECONNRESET on a busy machine.
  server.keepAliveTimeout = 10_000;

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    next: (...faults) => queue.push(...faults),
    down: () => stop(),
    up: async () => {
      await listen(port);
    },
    close: async () => {
      if (server.listening) await stop();
      else for (const socket of sockets) socket.destroy();
    },
  };
}
