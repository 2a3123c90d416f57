import { read as fsRead } from 'node:fs';
import {
  autoDetect,
  type BindingInterface,
  type BindingPortInterface,
  type OpenOptions,
} from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError, TransportErrorKind } from './transport';
import { TransportBase } from './transport-base';

export interface SerialTransportOptions {
  readonly path: string;
  /** Default 9600 (scanners); ID-card readers usually want 115200. */
  readonly baudRate?: number;
  readonly dataBits?: 5 | 6 | 7 | 8;
  readonly stopBits?: 1 | 2;
  readonly parity?: 'none' | 'even' | 'odd';
  readonly log?: Log;
}

type Binding = BindingInterface<BindingPortInterface, OpenOptions>;
type PortRead = (buffer: Buffer, offset: number, length: number) => Promise<{ buffer: Buffer; bytesRead: number }>;

/** What the Linux/macOS port binding of bindings-cpp carries besides its interface. */
interface UnixPortInternals {
  readonly fd: number | null;
  readonly isOpen: boolean;
  readonly poller: { once(event: 'readable', listener: (error: Error | null) => void): unknown };
}

function bindingError(message: string, flags: { canceled?: boolean; disconnect?: boolean }): Error {
  return Object.assign(new Error(message), flags);
}

/**
 * bindings-cpp retries a read that returns 0 bytes forever. On Linux a tty read returns 0 once
 * the line is hung up (USB-serial adapter pulled out, PTY master closed), so serialport would spin
 * at 100% CPU and never report the disconnect. This read treats 0 bytes as the hang-up it is
 * (the port is opened with VMIN=1, so an idle line gives EAGAIN, never 0).
 */
function hangupAwareRead(port: UnixPortInternals): PortRead {
  return async (buffer, offset, length) => {
    for (;;) {
      const fd = port.fd;
      if (!port.isOpen || fd === null) throw bindingError('Port is not open', { canceled: true });
      try {
        const bytesRead = await new Promise<number>((resolve, reject) =>
          fsRead(fd, buffer, offset, length, null, (error, n) => (error ? reject(error) : resolve(n))),
        );
        if (bytesRead === 0) throw bindingError('the serial line was hung up (device removed)', { disconnect: true });
        return { buffer, bytesRead };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
        // Polling a closed port's destroyed poller segfaults: the port may have closed while the read ran.
        if (!port.isOpen) throw bindingError('Port is not open', { canceled: true });
        await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
      }
    }
  };
}

// The platform's binding (serialport's own choice), with the hang-up aware read on Unix ports.
const baseBinding: Binding = autoDetect();
const hangupAwareBinding: Binding = {
  list: () => baseBinding.list(),
  async open(options) {
    const port = await baseBinding.open(options);
    const internals = port as unknown as Partial<UnixPortInternals>;
    if (typeof internals.fd === 'number' && internals.poller !== undefined) {
      port.read = hangupAwareRead(port as unknown as UnixPortInternals);
    }
    return port;
  },
};

/**
 * Sorts an error from serialport / the OS into a TransportError kind. bindings-cpp reports open
 * failures as text ("Error: No such file or directory, cannot open /dev/ttyUSB0") without a code,
 * so both the errno code and the strerror text are checked.
 */
export function classifySerialError(error: unknown): TransportErrorKind {
  const e = error as { code?: unknown; message?: unknown; disconnected?: unknown; disconnect?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const text = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.disconnected === true || e?.disconnect === true) return 'disconnected';
  if (
    code === 'ENOENT' ||
    code === 'ENODEV' ||
    code === 'ENXIO' ||
    code === 'ENOTDIR' ||
    /No such file or directory|No such device|Not a directory/i.test(text)
  ) {
    return 'not-found';
  }
  if (code === 'EACCES' || code === 'EPERM' || /Permission denied|Operation not permitted/i.test(text))
    return 'permission-denied';
  if (code === 'EBUSY' || /Cannot lock port|Device or resource busy|Resource temporarily unavailable/i.test(text))
    return 'busy';
  if (code === 'EIO' || /Input\/output error|i\/o error/i.test(text)) return 'disconnected';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'io-error';
}

function describeError(kind: TransportErrorKind, path: string, detail: string): string {
  switch (kind) {
    case 'not-found':
      return `serial port ${path} does not exist (unplugged or wrong path)`;
    case 'permission-denied':
      return `no permission to open serial port ${path} (is the kiosk user in the dialout group / udev rule installed?)`;
    case 'busy':
      return `serial port ${path} is in use by another program`;
    case 'disconnected':
      return `serial port ${path} went away (${detail})`;
    case 'timeout':
      return `serial port ${path} timed out (${detail})`;
    case 'io-error':
      return `serial port ${path} failed: ${detail}`;
  }
}

export function serialError(error: unknown, path: string): TransportError {
  const kind = classifySerialError(error);
  const detail = error instanceof Error ? error.message : String(error);
  return { kind, message: describeError(kind, path, detail) };
}

/** A Transport over a serial port (real tty, USB-CDC, or one end of a PTY pair). */
export class SerialTransport extends TransportBase implements Transport {
  readonly description: string;
  private port: SerialPortStream<Binding> | null = null;
  private closingByUs = false;
  private readonly log: Log;

  constructor(private readonly options: SerialTransportOptions) {
    super();
    this.description = `serial:${options.path}@${options.baudRate ?? 9600}`;
    this.log = (options.log ?? silentLog).child({ transport: this.description });
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<Result<void, TransportError>> {
    if (this.port !== null) return ok();
    const { path } = this.options;
    const port = new SerialPortStream({
      path,
      baudRate: this.options.baudRate ?? 9600,
      dataBits: this.options.dataBits ?? 8,
      stopBits: this.options.stopBits ?? 1,
      parity: this.options.parity ?? 'none',
      autoOpen: false,
      binding: hangupAwareBinding,
    });
    const opened = await new Promise<Error | null>((resolve) => port.open((error) => resolve(error ?? null)));
    if (opened !== null) {
      const error = serialError(opened, path);
      this.log.warn({ kind: error.kind }, error.message);
      return err(error);
    }
    this.port = port;
    this.closingByUs = false;
    port.on('data', (chunk: Buffer) => {
      this.emitData(chunk);
    });
    // serialport emits 'error' for failures it also reports through close/write callbacks; log it
    // so an unexpected one is visible, and never let it crash the process.
    port.on('error', (error: Error) =>
      this.log.warn({ kind: classifySerialError(error) }, `serial port error: ${error.message}`),
    );
    port.once('close', (closeError: Error | null) => {
      this.port = null;
      port.removeAllListeners('data');
      const error = this.closingByUs
        ? undefined
        : serialError(closeError ?? bindingError('closed by the system', { disconnect: true }), path);
      this.emitClosed(this.log, error);
    });
    this.log.info({}, 'serial port open');
    return ok();
  }

  async write(data: Uint8Array): Promise<Result<void, TransportError>> {
    const port = this.port;
    if (port === null || !port.isOpen)
      return err({ kind: 'disconnected', message: `serial port ${this.options.path} is not open` });
    const failure = await new Promise<Error | null>((resolve) =>
      port.write(Buffer.from(data), (error) => resolve(error ?? null)),
    );
    if (failure === null) return ok();
    const error = serialError(failure, this.options.path);
    return err(error);
  }

  async close(): Promise<void> {
    const port = this.port;
    if (port === null || !port.isOpen) return;
    this.closingByUs = true;
    await new Promise<void>((resolve) => {
      port.once('close', () => resolve());
      port.close((error) => {
        if (error) resolve(); // already closing/closed: the close event has fired or will not
      });
    });
  }
}
