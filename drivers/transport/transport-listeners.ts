import type { TransportError } from './transport';

/**
 * The onData/onClose bookkeeping every Transport needs, so each transport only deals with its
 * own link. A throwing listener must not stop the others or the link's read loop.
 */
export class TransportListeners {
  private readonly data = new Set<(chunk: Uint8Array) => void>();
  private readonly close = new Set<(error: TransportError | undefined) => void>();

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.data.add(listener);
    return () => this.data.delete(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): () => void {
    this.close.add(listener);
    return () => this.close.delete(listener);
  }

  emitData(chunk: Uint8Array): void {
    for (const listener of [...this.data]) {
      try {
        listener(chunk);
      } catch {
        // a listener's own bug; the transport keeps delivering to the rest
      }
    }
  }

  emitClose(error: TransportError | undefined): void {
    for (const listener of [...this.close]) {
      try {
        listener(error);
      } catch {
        // as above
      }
    }
  }
}
