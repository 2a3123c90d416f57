import type { A4PrinterStateName, FailedPrintView } from '../../api/document-contract';
import type { Log } from '../../../foundation/log';
import type { DocumentType } from '../../../platform/contract/api-schemas';

/**
 * Documents the resident asked to print that did not come out (paper out mid-document, a jam), held
 * for staff to reprint once the printer is fixed, so the resident need not wait at the screen. The
 * PDF names the person, so it is held in memory only (a restart drops it), for a bounded time, and
 * dropped as soon as the reprint came out. What is listed is what and when, never whose.
 */
export interface FailedPrint {
  readonly documentNumber: string;
  readonly type: DocumentType;
  readonly pages: number;
  readonly pdf: Buffer;
  readonly state: A4PrinterStateName;
}

export interface FailedPrints {
  hold(print: FailedPrint): void;
  /**
   * A failed reprint: the printer's new state on what is still held, with the same expiry (a hold is
   * never prolonged). What expired or was dropped meanwhile stays dropped.
   */
  restate(documentNumber: string, state: A4PrinterStateName): void;
  list(): FailedPrintView[];
  get(documentNumber: string): FailedPrint | undefined;
  drop(documentNumber: string, why: 'reprinted' | 'expired'): void;
  /** Drops everything (the service closes). */
  clear(): void;
}

/** Long enough for staff to load paper and reprint during the same opening hours. */
export const FAILED_PRINT_HOLD_MS = 2 * 60 * 60_000;
/** A bound on memory if a printer fails all day: the oldest goes first. */
const MAX_HELD = 20;

export function createFailedPrints(deps: { readonly log: Log; readonly holdMs?: number }): FailedPrints {
  const holdMs = deps.holdMs ?? FAILED_PRINT_HOLD_MS;
  const held = new Map<string, { print: FailedPrint; failedAt: Date; timer: NodeJS.Timeout }>();
  const drop = (documentNumber: string, why: 'reprinted' | 'expired') => {
    const entry = held.get(documentNumber);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    held.delete(documentNumber);
    deps.log.info({ documentNumber, why }, 'failed print dropped');
  };
  const restate = (documentNumber: string, state: A4PrinterStateName) => {
    const entry = held.get(documentNumber);
    if (entry !== undefined) held.set(documentNumber, { ...entry, print: { ...entry.print, state } });
  };
  return {
    hold(print) {
      if (held.has(print.documentNumber)) return restate(print.documentNumber, print.state);
      const oldest = held.keys().next();
      if (held.size >= MAX_HELD && oldest.done !== true) drop(oldest.value, 'expired');
      // The timer drops the PDF at its time even if nobody looks again; unref: it keeps no process alive.
      const timer = setTimeout(() => drop(print.documentNumber, 'expired'), holdMs);
      timer.unref();
      held.set(print.documentNumber, { print, failedAt: new Date(), timer });
      deps.log.warn(
        { documentNumber: print.documentNumber, type: print.type, state: print.state },
        'print held for staff',
      );
    },
    list: () =>
      [...held.values()].map(({ print, failedAt }) => ({
        documentNumber: print.documentNumber,
        type: print.type,
        pages: print.pages,
        failedAt: failedAt.toISOString(),
        expiresAt: new Date(failedAt.getTime() + holdMs).toISOString(),
        state: print.state,
      })),
    restate,
    get: (documentNumber) => held.get(documentNumber)?.print,
    drop,
    clear() {
      for (const documentNumber of [...held.keys()]) drop(documentNumber, 'expired');
    },
  };
}
