import { Socket } from 'node:net';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError, TransportErrorKind } from './transport';
import { TransportBase } from './transport-base';

export interface TcpTransportOptions {
  readonly host: string;
  /** 9100 is the raw printing port of network receipt printers. */
  readonly port?: number;
  readonly connectTimeoutMs?: number;
  readonly log?: Log;
  /** Tests pass a socket that never connects, to exercise the connect timeout. */
  readonly createSocket?: () => Socket;
}

/** Sorts a socket error code into a TransportError kind. */
export function classifySocketError(code: string | undefined): TransportErrorKind {
  switch (code ?? '') {
    case 'ECONNREFUSED': // host up, nothing listening: the printer is off or it is the wrong port
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
      return 'not-found';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'disconnected';
    default:
      return 'io-error';
  }
}

/** A Transport over a TCP connection (network printers on port 9100). */
export class TcpTransport extends TransportBase implements Transport {
  readonly description: string;
  private socket: Socket | null = null;
  private closing = false;
  private readonly log: Log;
  private readonly port: number;

  constructor(private readonly options: TcpTransportOptions) {
    super();
    this.port = options.port ?? 9100;
    this.description = `tcp:${options.host}:${this.port}`;
    this.log = (options.log ?? silentLog).child({ transport: this.description });
  }

  get isOpen(): boolean {
    return this.socket !== null;
  }

  private error(kind: TransportErrorKind, detail: string): TransportError {
    return { kind, message: `${this.description}: ${detail}` };
  }

  async open(): Promise<Result<void, TransportError>> {
    if (this.socket !== null) return ok();
    const timeoutMs = this.options.connectTimeoutMs ?? 3000;
    const socket = this.options.createSocket?.() ?? new Socket();
    const connected = await new Promise<TransportError | null>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(this.error('timeout', `no connection within ${timeoutMs} ms (printer off or unreachable?)`));
      }, timeoutMs);
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(this.error(classifySocketError(e.code), `cannot connect (${e.code ?? e.message})`));
      });
      socket.connect(this.port, this.options.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(null);
      });
    });
    if (connected !== null) {
      this.log.warn({ kind: connected.kind }, connected.message);
      return err(connected);
    }
    socket.setNoDelay(true);
    // Keep-alive notices a printer that lost power while the link is idle.
    socket.setKeepAlive(true, 10_000);
    this.socket = socket;
    let failure: TransportError | undefined;
    socket.on('data', (chunk: Buffer) => this.emitData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      failure = this.error(
        classifySocketError(e.code) === 'io-error' ? 'io-error' : 'disconnected',
        `connection failed (${e.code ?? e.message})`,
      );
    });
    // The peer closing its side means the printer went away (or rebooted).
    socket.on('end', () => socket.end());
    socket.once('close', () => {
      this.socket = null;
      const closedByUs = this.closing;
      this.closing = false;
      const error = closedByUs
        ? undefined
        : (failure ?? this.error('disconnected', 'the connection was closed by the device'));
      this.emitClosed(this.log, error);
    });
    this.log.info({}, 'connected');
    return ok();
  }

  async write(data: Uint8Array): Promise<Result<void, TransportError>> {
    const socket = this.socket;
    if (socket === null) return err(this.error('disconnected', 'not connected'));
    const failure = await new Promise<Error | null>((resolve) => socket.write(data, (e) => resolve(e ?? null)));
    if (failure === null) return ok();
    const code = (failure as NodeJS.ErrnoException).code;
    return err(
      this.error(
        classifySocketError(code) === 'io-error' ? 'io-error' : 'disconnected',
        `write failed (${code ?? failure.message})`,
      ),
    );
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (socket === null) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end();
    // A peer that never acknowledges the FIN must not hold us up.
    const timer = setTimeout(() => socket.destroy(), 1000);
    await closed;
    clearTimeout(timer);
  }
}
