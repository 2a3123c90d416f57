import type { Log } from '../../foundation/log';
import type { Result } from '../../foundation/result';
import type { Transport, TransportError } from './transport';

/**
 * The listener bookkeeping and close logging every Transport shares, so each concrete transport
 * only deals with its own link. A throwing listener must not stop the others or the read loop.
 */
export abstract class TransportBase implements Transport {
  abstract readonly description: string;
  abstract readonly isOpen: boolean;
  abstract open(): Promise<Result<void, TransportError>>;
  abstract write(data: Uint8Array): Promise<Result<void, TransportError>>;
  abstract close(): Promise<void>;

  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error: TransportError | undefined) => void>();

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  protected emitData(chunk: Uint8Array): void {
    for (const listener of [...this.dataListeners]) {
      try {
        listener(chunk);
      } catch {
        // a listener's own bug; keep delivering to the rest
      }
    }
  }

  /** Logs the close (a warning when the link went away) and tells the listeners. */
  protected emitClosed(log: Log, error: TransportError | undefined): void {
    if (error === undefined) log.info({}, 'link closed');
    else log.warn({ kind: error.kind }, error.message);
    for (const listener of [...this.closeListeners]) {
      try {
        listener(error);
      } catch {
        // as above
      }
    }
  }
}
