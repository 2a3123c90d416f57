import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import { watchForRemoval } from './hotplug';
import type { Transport, TransportError, TransportErrorKind } from './transport';
import { TransportBase } from './transport-base';

export interface FileTransportOptions {
  /** A device file such as /dev/usb/lp0 (USB printer class). */
  readonly path: string;
  /**
   * Also read from the file. Only for devices that answer (bidirectional printers' status
   * bytes); a read that finds nothing waits `idleReadMs` before trying again.
   */
  readonly readable?: boolean;
  readonly idleReadMs?: number;
  /** How long a write may wait for a device that is not accepting data (printer buffer full). */
  readonly writeTimeoutMs?: number;
  readonly log?: Log;
}

export function classifyFileError(code: string | undefined): TransportErrorKind {
  switch (code ?? '') {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ENXIO':
      return 'not-found';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    case 'EBUSY':
      return 'busy';
    case 'ENODEV': // usblp after the printer was unplugged
    case 'EIO':
    case 'EBADF':
      return 'disconnected';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'io-error';
  }
}

/**
 * A Transport over a device file. Opened without O_CREAT, so a missing /dev/usb/lp0 is
 * `not-found` rather than silently becoming a regular file. The file disappearing (printer
 * unplugged; udev removes the node) closes the link with `disconnected`.
 */
export class FileTransport extends TransportBase implements Transport {
  readonly description: string;
  private handle: FileHandle | null = null;
  private stopWatching: (() => void) | null = null;
  private readonly log: Log;

  constructor(private readonly options: FileTransportOptions) {
    super();
    this.description = `file:${options.path}`;
    this.log = (options.log ?? silentLog).child({ transport: this.description });
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  private error(code: string | undefined, detail: string): TransportError {
    const kind = classifyFileError(code);
    const hint = kind === 'permission-denied' ? ' (is the kiosk user in the lp group / udev rule installed?)' : '';
    return { kind, message: `${this.description}: ${detail}${hint}` };
  }

  async open(): Promise<Result<void, TransportError>> {
    if (this.handle !== null) return ok();
    const flags = (this.options.readable === true ? constants.O_RDWR : constants.O_WRONLY) | constants.O_NONBLOCK;
    let handle: FileHandle;
    try {
      handle = await open(this.options.path, flags);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const error = this.error(code, `cannot open (${code ?? String(e)})`);
      this.log.warn({ kind: error.kind }, error.message);
      return err(error);
    }
    this.handle = handle;
    this.stopWatching = watchForRemoval(
      this.options.path,
      () => void this.shut(this.error('ENODEV', 'the device file disappeared (unplugged)')),
    );
    if (this.options.readable === true) void this.readLoop(handle);
    this.log.info({}, 'device file open');
    return ok();
  }

  private async readLoop(handle: FileHandle): Promise<void> {
    const buffer = Buffer.alloc(512);
    while (this.handle === handle) {
      try {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (this.handle !== handle) return;
        if (bytesRead > 0) this.emitData(buffer.subarray(0, bytesRead).slice());
        else await new Promise((r) => setTimeout(r, this.options.idleReadMs ?? 100));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          await new Promise((r) => setTimeout(r, this.options.idleReadMs ?? 100));
          continue;
        }
        if (this.handle === handle) await this.shut(this.error(code, `read failed (${code ?? String(e)})`));
        return;
      }
    }
  }

  async write(data: Uint8Array): Promise<Result<void, TransportError>> {
    const handle = this.handle;
    if (handle === null) return err({ kind: 'disconnected', message: `${this.description} is not open` });
    try {
      // Non-blocking, so a stalled printer cannot pin a libuv thread forever: retry EAGAIN
      // until the deadline instead.
      const deadline = performance.now() + (this.options.writeTimeoutMs ?? 10_000); // elapsed, not wall, time
      let offset = 0;
      while (offset < data.length) {
        try {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
          offset += bytesWritten;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw e;
          if (performance.now() > deadline)
            return err(
              this.error('ETIMEDOUT', `the device accepted no data for ${this.options.writeTimeoutMs ?? 10_000} ms`),
            );
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      return ok();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const error = this.error(code, `write failed (${code ?? String(e)})`);
      if (error.kind === 'disconnected') await this.shut(error);
      return err(error);
    }
  }

  async close(): Promise<void> {
    await this.shut(undefined);
  }

  private async shut(error: TransportError | undefined): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    this.stopWatching?.();
    this.stopWatching = null;
    await handle.close().catch(() => undefined);
    this.emitClosed(this.log, error);
  }
}
