/**
 * Proofs and records printed at the terminal (查询打印, issue 15): asks the platform for the
 * document of the resident whose card was read, holds the PDF in memory for this session only,
 * sends it to the A4 printer over IPP and follows the job to its end. Nothing is written to disk;
 * the session's end (finished, timeout, cancel) drops the PDF. Logs name the type, number and job,
 * never the person.
 */
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import type { A4PrinterDriver } from '../../../drivers/a4-printer/a4-printer-driver';
import type { A4PrinterState } from '../../../drivers/a4-printer/ipp-status';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { DocumentRequest, DocumentResponse, DocumentType } from '../../../platform/contract/api-schemas';
import type { PortFailure } from '../outbox/platform-port';
import type { DocumentFailure } from '../../api/document-contract';
export type { DocumentFailure };
import type { SessionService } from '../session/session-service';
import { cardFields } from '../journey/card-view';

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
}

export interface DocumentDeps {
  readonly sessions: SessionService;
  /** The card of the person the document is about (the first card read in this session). */
  readonly applicant: () => IdCard | null;
  readonly requestDocument: (request: DocumentRequest) => Promise<Result<DocumentResponse, PortFailure>>;
  /** Null when no A4 printer is configured (or the simulated one could not start). */
  readonly printer: () => Promise<A4PrinterDriver | null>;
  readonly log: Log;
  /** How often a job's state is asked for while it prints. */
  readonly pollMs?: number;
}

export function createDocumentService(deps: DocumentDeps): DocumentService {
  const { log } = deps;
  const held = new Map<string, { documentNumber: string; pdf: Buffer; pageCount: number }>();
  deps.sessions.onEnded((sessionId) => {
    held.delete(sessionId);
  });
  const current = () => {
    const session = deps.sessions.current;
    return session === null ? null : { id: session.id, document: held.get(session.id) };
  };
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
      const document = current()?.document;
      if (document?.documentNumber !== documentNumber) return err({ kind: 'no-document' });
      const printer = await deps.printer();
      if (printer === null) return err({ kind: 'no-printer' });
      const state = await printer.status();
      if (state.state !== 'ready' && state.state !== 'busy')
        return err({ kind: 'printer-not-ready', state: state.state });
      // The job is named by the document number: print queues and their history show job names.
      const job = await printer.print(document.pdf, documentNumber);
      if (!job.ok) {
        log.warn({ documentNumber, failure: job.error.kind }, 'a4 job refused');
        return err({ kind: 'printer-not-ready', state: 'offline' });
      }
      const final = await printer.follow(job.value.jobId, { intervalMs: deps.pollMs ?? 250 });
      if (final.ok && final.value.state === 'completed') {
        log.info({ documentNumber, jobId: job.value.jobId }, 'document printed');
        return ok({ pages: document.pageCount });
      }
      const pagesPrinted = final.ok ? (final.value.pagesCompleted ?? 0) : 0;
      log.warn(
        { documentNumber, jobId: job.value.jobId, state: final.ok ? final.value.state : 'unknown' },
        'a4 job failed',
      );
      return err({ kind: 'print-failed', pagesPrinted });
    },
  };
}
