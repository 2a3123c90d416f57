import type { Result } from '../../foundation/result';

/**
 * The one interface every device link implements (serial, HID, TCP, file). Drivers speak bytes
 * through it and never know which kind of link they have, so simulators over a PTY exercise the
 * same driver code as real hardware.
 */
export type TransportErrorKind =
  | 'not-found' // the port/device does not exist (unplugged, wrong path)
  | 'permission-denied' // exists but the kiosk user may not open it (udev rules)
  | 'busy' // another process holds it
  | 'disconnected' // it was open and went away
  | 'timeout' // no answer in time
  | 'io-error'; // anything else the OS reported

export interface TransportError {
  readonly kind: TransportErrorKind;
  /** A plain sentence for technicians; never personal data. */
  readonly message: string;
}

export interface Transport {
  /** e.g. `serial:/dev/ttyUSB0@115200`, `tcp:192.168.1.50:9100`; safe to log. */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<Result<void, TransportError>>;
  write(data: Uint8Array): Promise<Result<void, TransportError>>;
  /** Subscribe to incoming bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the link closes; `error` is set when it was not closed by us. */
  onClose(listener: (error: TransportError | undefined) => void): () => void;
  close(): Promise<void>;
}
