/**
 * Proofs and records printed at the terminal (查询打印, issue 15): asks the platform for the
 * document of the resident whose card was read, holds the PDF in memory for this session only,
 * sends it to the A4 printer over IPP and follows the job to its end. Nothing is written to disk;
 * the session's end (finished, timeout, cancel) drops the PDF. A document that does not come out
 * whole (paper out mid-document, a jam) is held for staff to reprint (failed-prints.ts) and the
 * resident is told they need not wait. Logs name the type, number and job, never the person.
 */
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import type { A4PrinterState } from '../../../drivers/a4-printer/ipp-status';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { DocumentRequest, DocumentResponse, DocumentType } from '../../../platform/contract/api-schemas';
import type { PortFailure } from '../outbox/platform-port';
import type { DocumentFailure } from '../../api/document-contract';
export type { DocumentFailure };
import type { A4PrinterStateName } from '../../api/document-contract';
import type { Refusal } from '../../api/failures';
import type { SessionService } from '../session/session-service';
import type { Actor } from '../staff/staff-guard';
import { cardFields } from '../journey/card-view';
import { printOnce, type A4Printer } from './a4-print';
import { createFailedPrints, type FailedPrints } from './failed-prints';

export interface DocumentSummary {
  readonly documentNumber: string;
  readonly issuedAt: string;
  readonly issuingOffice: string;
  readonly pageCount: number;
  readonly sha256: string;
}

export interface DocumentService {
  /** The A4 printer's state, for the screen before the card is read and for the device manager. */
  printerState(): Promise<A4PrinterState>;
  request(type: DocumentType, months: number): Promise<Result<DocumentSummary, DocumentFailure>>;
  /** The PDF held for this session, for the preview. */
  pdf(documentNumber: string): Result<Buffer, DocumentFailure>;
  print(documentNumber: string): Promise<Result<{ readonly pages: number }, DocumentFailure>>;
  /** Documents that did not print, held for staff (the staff module guards who may see them). */
  readonly failedPrints: Pick<FailedPrints, 'list'>;
  /** A staff member prints a held document again; audited under them. Dropped once it came out. */
  reprint(documentNumber: string, actor: Actor): Promise<Result<{ readonly pages: number }, ReprintFailure>>;
  /** Drops every held document (the kiosk stops). */
  close(): void;
}

export type ReprintFailure =
  Refusal<{ readonly kind: 'not-found' }> | { readonly kind: 'print-failed'; readonly state: A4PrinterStateName };

export interface DocumentDeps {
  readonly sessions: SessionService;
  /** The card of the person the document is about (the first card read in this session). */
  readonly applicant: () => IdCard | null;
  readonly requestDocument: (request: DocumentRequest) => Promise<Result<DocumentResponse, PortFailure>>;
  /** Null when no A4 printer is configured (or the simulated one could not start). */
  readonly printer: () => Promise<A4Printer | null>;
  readonly log: Log;
  /** How often a job's state is asked for while it prints. */
  readonly pollMs?: number;
}

export function createDocumentService(deps: DocumentDeps): DocumentService {
  const { log } = deps;
  const held = new Map<string, { documentNumber: string; type: DocumentType; pdf: Buffer; pageCount: number }>();
  const failedPrints = createFailedPrints({ log });
  const reprinting = new Map<string, Promise<Result<{ readonly pages: number }, ReprintFailure>>>();
  deps.sessions.onEnded((sessionId) => {
    held.delete(sessionId);
  });
  const current = () => {
    const session = deps.sessions.current;
    return session === null ? null : { id: session.id, document: held.get(session.id) };
  };
  const printing = { log, ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }) };
  const printerState = async (): Promise<A4PrinterState> => {
    const printer = await deps.printer();
    return printer === null ? { state: 'not-configured' } : printer.status();
  };

  return {
    printerState,

    async request(type, months) {
      const session = current();
      if (session === null) return err({ kind: 'no-session' });
      if ((await deps.printer()) === null) return err({ kind: 'no-printer' });
      const card = deps.applicant();
      if (card === null) return err({ kind: 'card-missing' });
      // Only what identifies the person: no address, photo or issuing authority.
      const { cardType, name, gender, birthDate, idNumber } = cardFields(card);
      const answer = await deps.requestDocument({
        type,
        months,
        applicant: { cardType, name, gender, birthDate, idNumber },
      });
      if (!answer.ok) {
        log.warn({ type, failure: answer.error.kind }, 'document request failed');
        return err({ kind: answer.error.kind === 'retryable' ? 'platform-unreachable' : 'platform-refused' });
      }
      const body = answer.value;
      if (body.outcome === 'no-record') {
        log.info({ type }, 'no record for document');
        return err({ kind: 'no-record' });
      }
      held.set(session.id, {
        documentNumber: body.documentNumber,
        type,
        pdf: Buffer.from(body.pdf, 'base64'),
        pageCount: body.pageCount,
      });
      log.info({ type, documentNumber: body.documentNumber, pages: body.pageCount }, 'document received');
      return ok({
        documentNumber: body.documentNumber,
        issuedAt: body.issuedAt,
        issuingOffice: body.issuingOffice,
        pageCount: body.pageCount,
        sha256: body.sha256,
      });
    },

    pdf(documentNumber) {
      const document = current()?.document;
      return document?.documentNumber === documentNumber ? ok(document.pdf) : err({ kind: 'no-document' });
    },

    async print(documentNumber) {
      const session = current();
      const document = session?.document;
      if (session === null || document?.documentNumber !== documentNumber) return err({ kind: 'no-document' });
      const printed = await printOnce(
        await deps.printer(),
        { pdf: document.pdf, name: documentNumber, pages: document.pageCount },
        printing,
      );
      if (printed.ok) return printed;
      // From here the document is staff's to finish: out of the session, so the wipe cannot lose it.
      held.delete(session.id);
      failedPrints.hold({
        documentNumber,
        type: document.type,
        pages: document.pageCount,
        pdf: document.pdf,
        state: printed.error.state,
      });
      return err({ kind: 'print-failed', ...printed.error });
    },

    failedPrints,

    reprint(documentNumber, actor) {
      // A second tap while the first reprint still prints (it can take minutes) gets the first's answer:
      // two jobs would put two copies of the person's document in the tray.
      const running = reprinting.get(documentNumber);
      if (running !== undefined) return running;
      const document = failedPrints.get(documentNumber);
      if (document === undefined)
        return Promise.resolve(err({ kind: 'not-found', message: 'no held document by that number' }));
      const reprinted = (async (): Promise<Result<{ readonly pages: number }, ReprintFailure>> => {
        const printed = await printOnce(
          await deps.printer(),
          { pdf: document.pdf, name: documentNumber, pages: document.pages },
          printing,
        );
        if (!printed.ok) {
          actor.audit('document.reprint-failed', { documentNumber, state: printed.error.state });
          // Still held (unless it expired meanwhile): staff try again once the printer is fixed.
          failedPrints.restate(documentNumber, printed.error.state);
          return err({ kind: 'print-failed', state: printed.error.state });
        }
        actor.audit('document.reprinted', { documentNumber, type: document.type, pages: document.pages });
        failedPrints.drop(documentNumber, 'reprinted');
        return printed;
      })().finally(() => reprinting.delete(documentNumber));
      reprinting.set(documentNumber, reprinted);
      return reprinted;
    },

    close: () => failedPrints.clear(),
  };
}
