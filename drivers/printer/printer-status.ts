/**
 * Printer status from the two ESC/POS status paths (docs/devices/receipt-printer.md):
 * - real-time `DLE EOT n` (10 04 n, n = 1..4): one byte back, valid when (b & 0x93) == 0x12;
 * - automatic status back (`GS a n`): 4 bytes on every change, first byte (b & 0x93) == 0x10,
 *   the other three with bits 4 and 7 clear.
 * Replies can arrive between anything else the printer sends, so the stream parser below sorts
 * bytes as they come instead of assuming the next byte answers the last question.
 */
export type PaperState = 'ok' | 'near-end' | 'out';
export type PrinterErrorKind = 'cutter' | 'unrecoverable' | 'auto-recoverable';

export interface PrinterStatus {
  readonly online: boolean;
  readonly paper: PaperState;
  readonly coverOpen: boolean;
  readonly error: PrinterErrorKind | null;
}

export type StatusQuery = 1 | 2 | 3 | 4;
export const STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

export function isRealtimeReply(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function isAutoStatusFirst(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/** The parts of the status that one DLE EOT n reply tells. */
export interface RealtimeFacts {
  offline?: boolean;
  coverOpen?: boolean;
  paperEndStop?: boolean;
  error?: boolean;
  cutterError?: boolean;
  unrecoverable?: boolean;
  autoRecoverable?: boolean;
  paper?: PaperState;
}

export function decodeRealtime(n: StatusQuery, b: number): RealtimeFacts {
  switch (n) {
    case 1:
      return { offline: (b & 0x08) !== 0 };
    case 2:
      return { coverOpen: (b & 0x04) !== 0, paperEndStop: (b & 0x20) !== 0, error: (b & 0x40) !== 0 };
    case 3:
      return { cutterError: (b & 0x08) !== 0, unrecoverable: (b & 0x20) !== 0, autoRecoverable: (b & 0x40) !== 0 };
    case 4:
      return { paper: (b & 0x60) !== 0 ? 'out' : (b & 0x0c) !== 0 ? 'near-end' : 'ok' };
  }
}

function errorOf(facts: RealtimeFacts): PrinterErrorKind | null {
  if (facts.unrecoverable === true) return 'unrecoverable';
  if (facts.cutterError === true) return 'cutter';
  if (facts.autoRecoverable === true) return 'auto-recoverable';
  return null;
}

/** Combines the four real-time replies (bytes for n = 1, 2, 3, 4) into one status. */
export function statusFromRealtime(replies: Readonly<Record<StatusQuery, number>>): PrinterStatus {
  const facts: RealtimeFacts = {};
  for (const n of STATUS_QUERIES) Object.assign(facts, decodeRealtime(n, replies[n]));
  // A paper-end stop reported by n=2 means out even if the sensor byte was read a moment earlier.
  const paper: PaperState = facts.paperEndStop === true ? 'out' : (facts.paper ?? 'ok');
  return { online: facts.offline !== true, paper, coverOpen: facts.coverOpen === true, error: errorOf(facts) };
}

/**
 * Decodes an automatic status back frame (Epson layout): byte 1 bit 3 offline, bit 5 cover open;
 * byte 2 bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable; byte 3 bits 0–1
 * paper near end, bits 2–3 paper end.
 */
export function decodeAutoStatus(frame: readonly [number, number, number, number]): PrinterStatus {
  const [b1, b2, b3] = frame;
  const paper: PaperState = (b3 & 0x0c) !== 0 ? 'out' : (b3 & 0x03) !== 0 ? 'near-end' : 'ok';
  return {
    online: (b1 & 0x08) === 0,
    paper,
    coverOpen: (b1 & 0x20) !== 0,
    error: errorOf({
      cutterError: (b2 & 0x08) !== 0,
      unrecoverable: (b2 & 0x20) !== 0,
      autoRecoverable: (b2 & 0x40) !== 0,
    }),
  };
}

/** The inverse of decodeAutoStatus, for the simulator. */
export function encodeAutoStatus(status: PrinterStatus): Uint8Array {
  const b1 = 0x10 | (status.online ? 0 : 0x08) | (status.coverOpen ? 0x20 : 0);
  const b2 =
    status.error === 'unrecoverable'
      ? 0x20
      : status.error === 'cutter'
        ? 0x08
        : status.error === 'auto-recoverable'
          ? 0x40
          : 0;
  const b3 = status.paper === 'out' ? 0x0f : status.paper === 'near-end' ? 0x03 : 0;
  return Uint8Array.of(b1, b2, b3, 0x00);
}

/** The inverse of decodeRealtime, for the simulator: the byte a printer in `status` answers to n. */
export function encodeRealtime(n: StatusQuery, status: PrinterStatus): number {
  const base = 0x12;
  switch (n) {
    case 1:
      return base | (status.online ? 0 : 0x08);
    case 2:
      return (
        base | (status.coverOpen ? 0x04 : 0) | (status.paper === 'out' ? 0x20 : 0) | (status.error !== null ? 0x40 : 0)
      );
    case 3:
      return (
        base |
        (status.error === 'cutter' ? 0x08 : 0) |
        (status.error === 'unrecoverable' ? 0x20 : 0) |
        (status.error === 'auto-recoverable' ? 0x40 : 0)
      );
    case 4:
      return base | (status.paper === 'out' ? 0x60 : 0) | (status.paper === 'near-end' ? 0x0c : 0);
  }
}

export type StatusEvent =
  | { readonly kind: 'realtime'; readonly byte: number }
  | { readonly kind: 'auto-status'; readonly status: PrinterStatus }
  | { readonly kind: 'noise'; readonly byte: number };

/**
 * Sorts the printer's byte stream into real-time replies, automatic status frames and noise.
 * A real-time reply may arrive in the middle of an automatic status frame; it is reported and the
 * frame continues. A frame broken by a byte that cannot belong to it is dropped as noise.
 */
export class StatusStreamParser {
  private frame: number[] = [];

  push(chunk: Uint8Array): StatusEvent[] {
    const events: StatusEvent[] = [];
    for (const b of chunk) {
      if (this.frame.length > 0) {
        if ((b & 0x90) === 0) {
          this.frame.push(b);
          if (this.frame.length === 4) {
            const [b1 = 0, b2 = 0, b3 = 0, b4 = 0] = this.frame;
            this.frame = [];
            events.push({ kind: 'auto-status', status: decodeAutoStatus([b1, b2, b3, b4]) });
          }
          continue;
        }
        if (isRealtimeReply(b)) {
          events.push({ kind: 'realtime', byte: b });
          continue;
        }
        for (const dropped of this.frame) events.push({ kind: 'noise', byte: dropped });
        this.frame = [];
      }
      if (isAutoStatusFirst(b)) this.frame = [b];
      else if (isRealtimeReply(b)) events.push({ kind: 'realtime', byte: b });
      else events.push({ kind: 'noise', byte: b });
    }
    return events;
  }
}

export const STATUS_OK: PrinterStatus = { online: true, paper: 'ok', coverOpen: false, error: null };
