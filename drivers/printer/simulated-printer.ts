import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import type { ReceiptDocument } from '../receipt/receipt-model';
import { renderPng } from '../receipt/render-png';
import { EscPosInterpreter, type InterpretedReceipt } from './escpos-interpreter';
import type { PrinterProfile } from './printer-profiles';
import {
  encodeAutoStatus,
  encodeRealtime,
  type PaperState,
  type PrinterErrorKind,
  type PrinterStatus,
  type StatusQuery,
} from './printer-status';

/**
 * A receipt printer in memory: takes ESC/POS bytes, prints receipts (text, picture, QR payloads),
 * answers DLE EOT from its state and sends automatic status back when asked to. No I/O: the
 * simulator wires it to a PTY or a TCP socket, unit tests call it directly.
 */
export interface SimulatedPrinterState {
  readonly online: boolean;
  readonly paper: PaperState;
  readonly coverOpen: boolean;
  readonly error: PrinterErrorKind | null;
  /** Paper runs out after this many more print bytes (mid-job paper end); null = never. */
  readonly paperOutAfterBytes: number | null;
  /** false: the printer stays silent (answers nothing), like a hung controller. */
  readonly responding: boolean;
}

export interface PrintedReceipt {
  readonly text: string;
  /** The receipt as it came out of the printer, drawn the first time it is read. */
  readonly png: Buffer;
  readonly qrPayloads: readonly string[];
  /** false when the receipt stopped without a cut (paper ran out). */
  readonly cut: boolean;
  readonly bytes: number;
  readonly document: ReceiptDocument;
}

export const READY_STATE: SimulatedPrinterState = {
  online: true,
  paper: 'ok',
  coverOpen: false,
  error: null,
  paperOutAfterBytes: null,
  responding: true,
};

/**
 * Receipts the simulator keeps to be read back (the dock, tests): the newest this many. Each holds its
 * bytes and a picture (~100 KB together); keeping every one grew a simulated terminal by that much a
 * resident (the soak, docs/soak.md).
 */
export const keptReceipts = 20;

export class SimulatedPrinter {
  private current: SimulatedPrinterState = READY_STATE;
  private readonly interpreter = new EscPosInterpreter();
  private readonly printed: PrintedReceipt[] = [];
  private readonly listeners = new Set<(receipt: PrintedReceipt) => void>();
  private realtimeStage = 0; // 0 idle, 1 saw DLE, 2 saw DLE EOT
  private autoStatus = false;
  private droppedBytes = 0;
  private readonly log: Log;

  constructor(
    readonly profile: PrinterProfile,
    private readonly send: (bytes: Uint8Array) => void,
    log: Log = silentLog,
  ) {
    this.log = log;
  }

  state(): SimulatedPrinterState {
    return this.current;
  }

  status(): PrinterStatus {
    const s = this.current;
    return {
      online: s.online && !s.coverOpen && s.paper !== 'out',
      paper: s.paper,
      coverOpen: s.coverOpen,
      error: s.error,
    };
  }

  get canPrint(): boolean {
    const s = this.current;
    return s.online && !s.coverOpen && s.paper !== 'out' && s.error === null;
  }

  /** Bytes thrown away because the printer could not print (paper out, cover open, offline). */
  get discarded(): number {
    return this.droppedBytes;
  }

  setState(patch: Partial<SimulatedPrinterState>): void {
    const before = this.status();
    this.current = { ...this.current, ...patch };
    if (!this.canPrint) this.interpreter.discardPending();
    const after = this.status();
    this.log.info({ state: after }, 'simulated printer state set');
    if (this.autoStatus && JSON.stringify(before) !== JSON.stringify(after)) this.reply(encodeAutoStatus(after));
  }

  receipts(): readonly PrintedReceipt[] {
    return [...this.printed];
  }

  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  receive(chunk: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const n = this.scanRealtime(chunk[i] ?? 0);
      if (n !== null) {
        // Data before the request is processed first, as the printer reads its buffer in order.
        this.print(chunk.subarray(start, i + 1));
        start = i + 1;
        this.reply(Uint8Array.of(encodeRealtime(n, this.status())));
      }
    }
    this.print(chunk.subarray(start));
  }

  private scanRealtime(b: number): StatusQuery | null {
    if (this.realtimeStage === 2) {
      this.realtimeStage = 0;
      if (b >= 1 && b <= 4) return b as StatusQuery;
    }
    if (this.realtimeStage === 1) {
      this.realtimeStage = b === 0x04 ? 2 : b === 0x10 ? 1 : 0;
      return null;
    }
    if (b === 0x10) this.realtimeStage = 1;
    return null;
  }

  private reply(bytes: Uint8Array): void {
    if (this.current.responding) this.send(bytes);
  }

  private print(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (!this.canPrint) {
      this.droppedBytes += bytes.length;
      return;
    }
    const left = this.current.paperOutAfterBytes;
    if (left !== null && bytes.length >= left) {
      this.interpret(bytes.subarray(0, left));
      this.droppedBytes += bytes.length - left;
      // Paper ran out: what printed so far comes out uncut, the rest of the job is lost.
      const partial = this.interpreter.flush();
      if (partial !== null) this.record(partial);
      this.setState({ paper: 'out', paperOutAfterBytes: null });
      return;
    }
    if (left !== null) this.current = { ...this.current, paperOutAfterBytes: left - bytes.length };
    this.interpret(bytes);
  }

  private interpret(bytes: Uint8Array): void {
    for (const event of this.interpreter.push(bytes)) {
      switch (event.kind) {
        case 'receipt':
          this.record(event.receipt);
          break;
        case 'auto-status-back':
          this.autoStatus = event.flags !== 0;
          if (this.autoStatus) this.reply(encodeAutoStatus(this.status()));
          break;
        case 'unknown-command':
          this.log.debug({ bytes: event.bytes }, 'simulated printer ignored an unknown command');
          break;
      }
    }
  }

  private record(receipt: InterpretedReceipt): void {
    // The picture is drawn when someone looks (the dock's /dock/printer/receipts/:index, tests), once:
    // drawing every receipt as it prints cost the simulated terminal as much as the kiosk's own preview.
    let png: Buffer | undefined;
    const log = this.log;
    const profile = this.profile;
    const printed: PrintedReceipt = {
      text: receipt.text,
      get png() {
        if (png === undefined) {
          const drawn = renderPng(receipt.document, profile);
          if (!drawn.ok) log.warn({ error: drawn.error.kind }, 'simulated printer could not draw a receipt');
          png = drawn.ok ? drawn.value : Buffer.alloc(0);
        }
        return png;
      },
      qrPayloads: receipt.qrPayloads,
      cut: receipt.cut,
      bytes: receipt.bytes,
      document: receipt.document,
    };
    this.printed.push(printed);
    if (this.printed.length > keptReceipts) this.printed.splice(0, this.printed.length - keptReceipts);
    this.log.info({ bytes: printed.bytes, cut: printed.cut }, 'simulated printer printed a receipt');
    for (const listener of this.listeners) listener(printed);
  }
}
