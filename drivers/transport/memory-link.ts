import { silentLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import type { Transport, TransportError } from './transport';
import { TransportBase } from './transport-base';

/**
 * Two Transports joined back to back in memory, for fast unit tests of the driver, service and
 * simulator model without PTYs. Bytes arrive asynchronously (next macrotask), as from a port.
 * `unplug()` closes both ends with 'disconnected' and makes open() fail until `replug()`.
 */
export interface MemoryLink {
  readonly device: Transport;
  readonly reader: Transport;
  unplug(): void;
  replug(): void;
}

class MemoryEnd extends TransportBase {
  isOpen = false;
  peer: MemoryEnd | null = null;

  constructor(
    readonly description: string,
    private readonly plugged: () => boolean,
  ) {
    super();
  }

  open(): Promise<Result<void, TransportError>> {
    if (!this.plugged())
      return Promise.resolve(err({ kind: 'not-found', message: `${this.description} is unplugged` }));
    this.isOpen = true;
    return Promise.resolve(ok());
  }

  write(data: Uint8Array): Promise<Result<void, TransportError>> {
    if (!this.isOpen) return Promise.resolve(err({ kind: 'disconnected', message: `${this.description} is not open` }));
    const peer = this.peer;
    const copy = data.slice();
    setImmediate(() => {
      if (peer?.isOpen === true) peer.deliver(copy);
    });
    return Promise.resolve(ok());
  }

  deliver(chunk: Uint8Array): void {
    this.emitData(chunk);
  }

  close(): Promise<void> {
    this.shut(undefined);
    return Promise.resolve();
  }

  shut(error: TransportError | undefined): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.emitClosed(silentLog, error);
  }
}

export function memoryLink(): MemoryLink {
  let plugged = true;
  const device = new MemoryEnd('memory:device', () => plugged);
  const reader = new MemoryEnd('memory:reader', () => plugged);
  device.peer = reader;
  reader.peer = device;
  return {
    device,
    reader,
    unplug() {
      plugged = false;
      const gone: TransportError = { kind: 'disconnected', message: 'memory link unplugged' };
      device.shut(gone);
      reader.shut(gone);
    },
    replug() {
      plugged = true;
    },
  };
}
