import { randomUUID, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../foundation/clock';
import { localDateTime } from '../../../foundation/local-time';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import { maskIdNumber, maskName } from '../../../foundation/masking';
import type { PrinterProfile } from '../../../drivers/printer/printer-profiles';
import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import { renderPng } from '../../../drivers/receipt/render-png';
import {
  createReceiptPayload,
  parseReceiptPayload,
  receiptContentsSchema,
  verificationCode,
  verifyReceiptPayload,
  type ReceiptContents,
} from '../../../platform/contract/receipt-payload';
import type { Refusal } from '../../api/failures';
import { printOutcomeSchema, type PrintOutcome } from '../../api/journey-contract';
import type { ApplicationSummary } from '../store/application-repository';
import type { FirstCopy } from '../store/receipt-repository';
import { isDiskFull, type StorageGuard } from '../store/storage-guard';
import type { Store } from '../store/store';
import { buildReceiptDocument } from './receipt-document';
import type { ReceiptPrinter } from './receipt-printer';

/**
 * The 申报回执 from issue to paper: signing its QR payload when the application is saved, signing it
 * again when the platform's case number arrives, the document that is shown on screen and printed,
 * and printing (first copy and 补打). The only writer of receipts; showing or printing one never
 * changes what is stored, except the record of copies printed (the first copy handed over, the count).
 */
export interface ReceiptServiceDeps {
  readonly config: KioskConfig;
  readonly catalogue: () => Catalogue;
  readonly store: Pick<Store, 'applications' | 'receipts' | 'audit'>;
  readonly keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly printer: ReceiptPrinter;
  /** The paper the on-screen preview is drawn for. */
  readonly profile: PrinterProfile;
  readonly clock: Clock;
  readonly log: Log;
  /** Told when a receipt write found the disk full, so new applications stop at once. */
  readonly storage: Pick<StorageGuard, 'reportFull'>;
}

/** No receipt for that application (none issued, its service gone from the catalogue, or damaged). */
export type NoReceipt = Refusal<{ kind: 'not-found' }>;
/** The receipt could not be signed or drawn. */
export type ReceiptFailed = Refusal<{ kind: 'receipt-failed' }>;

/** What a receipt (paper or typed code) told us: which application, or why none. */
export type ReceiptIdentity =
  | { readonly found: true; readonly applicationId: string }
  | { readonly found: false; readonly reason: 'unknown' | 'invalid-receipt' };

export interface ReceiptService {
  /** Signs and keeps the receipt of an application just saved; answers its verification code. */
  issue(
    application: ApplicationSummary,
    applicant: { readonly name: string; readonly idNumber: string },
  ): Result<{ verificationCode: string }, ReceiptFailed>;
  /** The platform's case number arrived: the receipt is signed again to carry it. */
  recordCaseNumber(applicationId: string, caseNumber: string): void;
  /** Signs again the recent receipts whose case number arrived while no one listened (a crash between). */
  catchUp(): number;
  /** The receipt as a PNG for the screen. */
  preview(applicationId: string): Result<{ pngBase64: string }, NoReceipt | ReceiptFailed>;
  print(
    applicationId: string,
    options: { readonly reprint: boolean; readonly actor: string },
  ): Promise<Result<{ outcome: PrintOutcome }, NoReceipt>>;
  /** The application a scanned QR payload or a typed verification code belongs to. */
  identify(query: { payload: string } | { code: string }): ReceiptIdentity;
}

/** What the receipts table keeps (encrypted): the signed payload and what it says. */
interface StoredPayload {
  readonly payload: string;
  readonly contents: ReceiptContents;
}

function storedPayload(value: unknown): StoredPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const { payload, contents } = value as Record<string, unknown>;
  const parsed = receiptContentsSchema.safeParse(contents);
  return typeof payload === 'string' && parsed.success ? { payload, contents: parsed.data } : null;
}

/** How many recent submissions `catchUp` looks at. */
const catchUpWindow = 200;

export function createReceiptService(deps: ReceiptServiceDeps): ReceiptService {
  const { store, log } = deps;
  const notFound: NoReceipt = { kind: 'not-found', message: 'no receipt for that application' };

  function read(applicationId: string): Result<{ stored: StoredPayload; code: string }, NoReceipt> {
    const receipt = store.receipts.getReceipt(applicationId);
    if (!receipt.ok) return err({ kind: 'not-found', message: `receipt ${receipt.error.kind}` });
    const stored = storedPayload(receipt.value.payload);
    if (stored === null) return err({ kind: 'not-found', message: 'the stored receipt is damaged' });
    return ok({ stored, code: receipt.value.verificationCode });
  }

  function sign(applicationId: string, contents: ReceiptContents, code: string): Result<void, ReceiptFailed> {
    const payload = createReceiptPayload(contents, deps.keys.privateKey);
    if (!payload.ok) return err({ kind: 'receipt-failed', message: `receipt payload: ${payload.error}` });
    try {
      store.receipts.saveReceipt(applicationId, { payload: payload.value, contents } satisfies StoredPayload, code);
    } catch (cause) {
      // The application is saved: a receipt that could not be written is reprinted by staff later (补打).
      if (!isDiskFull(cause)) throw cause;
      deps.storage.reportFull('receipt');
      return err({ kind: 'receipt-failed', message: 'receipt not written: disk full' });
    }
    return ok();
  }

  function recordCaseNumber(applicationId: string, caseNumber: string): boolean {
    const current = read(applicationId);
    if (!current.ok || current.value.stored.contents.caseNumber === caseNumber) return false;
    const signed = sign(applicationId, { ...current.value.stored.contents, caseNumber }, current.value.code);
    if (!signed.ok) log.error({ applicationId, failure: signed.error.kind }, 'receipt not signed again');
    return signed.ok;
  }

  function issue(
    application: ApplicationSummary,
    applicant: { readonly name: string; readonly idNumber: string },
    at: number,
  ): Result<{ verificationCode: string }, ReceiptFailed> {
    const contents: ReceiptContents = {
      terminalId: deps.config.terminal.id,
      applicationId: application.id,
      localNumber: application.localNumber,
      caseNumber: application.caseNumber,
      serviceCode: application.serviceCode,
      // The payload carries whole seconds.
      issuedAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
      applicant: { maskedName: maskName(applicant.name), maskedIdNumber: maskIdNumber(applicant.idNumber) },
    };
    const code = verificationCode({
      terminalId: contents.terminalId,
      applicationId: application.id,
      localNumber: application.localNumber,
    });
    const signed = sign(application.id, contents, code);
    return signed.ok ? ok({ verificationCode: code }) : signed;
  }

  /**
   * A saved application whose receipt was never written (the disk filled between the two writes) gets
   * it when it is next asked for — staff's 补打 from the queue — from the stored application, dated
   * when the application was saved. Only a missing receipt is written; an existing one is never touched.
   */
  function issueMissing(summary: ApplicationSummary): boolean {
    if (summary.personalPurgedAt !== null || store.receipts.getReceipt(summary.id).ok) return false;
    const stored = store.applications.getApplication(summary.id);
    if (!stored.ok) return false;
    const issued = issue(summary, stored.value.applicant, Date.parse(summary.createdAt));
    if (issued.ok) log.warn({ applicationId: summary.id }, 'receipt written late: it was missing');
    return issued.ok;
  }

  function document(applicationId: string, reprint: boolean): Result<ReceiptDocument, NoReceipt> {
    const summary = store.applications.getSummary(applicationId);
    if (summary === undefined) return err(notFound);
    let receipt = read(applicationId);
    if (!receipt.ok && issueMissing(summary)) receipt = read(applicationId);
    if (!receipt.ok) return receipt;
    const { stored, code } = receipt.value;
    const catalogue = deps.catalogue();
    const service = catalogue.services.find((s) => s.code === summary.serviceCode);
    if (service === undefined)
      return err({ kind: 'not-found', message: `service ${summary.serviceCode} is not in the catalogue` });
    return ok(
      buildReceiptDocument({
        config: deps.config,
        service,
        hall: catalogue.halls.find((h) => h.id === service.hallId),
        localNumber: summary.localNumber,
        caseNumber: summary.caseNumber,
        issuedAtText: localDateTime(new Date(stored.contents.issuedAt)),
        maskedName: stored.contents.applicant.maskedName,
        maskedIdNumber: stored.contents.applicant.maskedIdNumber,
        payload: stored.payload,
        verificationCode: code,
        reprint,
      }),
    );
  }

  const firstCopies = new Map<string, Promise<Result<{ outcome: PrintOutcome }, NoReceipt>>>();

  async function send(
    applicationId: string,
    jobId: string,
    built: ReceiptDocument,
    actor: string,
    reprint: boolean,
  ): Promise<Result<{ outcome: PrintOutcome }, NoReceipt>> {
    const outcome = await deps.printer.print({ id: jobId, document: built }, { reprint });
    if (outcome === 'printed') {
      const reprints = store.receipts.recordPrint(applicationId);
      if (reprint) store.audit({ actor, action: 'receipt.reprinted', details: { applicationId, reprints } });
    }
    log.info({ applicationId, reprint, outcome }, 'receipt print');
    return ok({ outcome });
  }

  /**
   * The answer to a first copy asked for again: what the printer said the first time; 'error' when the
   * kiosk stopped before it answered (it may or may not have come out), so the resident is sent to
   * staff, who reprint it (补打) from the queue.
   */
  function earlierOutcome(applicationId: string, earlier: FirstCopy): PrintOutcome {
    const outcome = earlier.handedOver ? printOutcomeSchema.safeParse(earlier.outcome) : null;
    log.info(
      { applicationId, outcome: outcome?.data ?? 'unknown' },
      'first copy was handed to the printer before; not printing it again',
    );
    return outcome?.success === true ? outcome.data : 'error';
  }

  return {
    issue: (application, applicant) => issue(application, applicant, deps.clock.now()),
    recordCaseNumber(applicationId, caseNumber) {
      if (recordCaseNumber(applicationId, caseNumber))
        log.info({ applicationId }, 'receipt signed with the case number');
    },
    catchUp() {
      let signed = 0;
      for (const summary of store.applications.listApplications({ state: 'submitted', limit: catchUpWindow })) {
        if (summary.caseNumber === null || summary.personalPurgedAt !== null) continue;
        if (recordCaseNumber(summary.id, summary.caseNumber)) signed += 1;
      }
      if (signed > 0) log.info({ receipts: signed }, 'receipts signed with case numbers that arrived earlier');
      return signed;
    },
    preview(applicationId) {
      const built = document(applicationId, false);
      if (!built.ok) return built;
      const png = renderPng(built.value, deps.profile);
      if (!png.ok) return err({ kind: 'receipt-failed', message: `receipt preview: ${png.error.kind}` });
      return ok({ pngBase64: png.value.toString('base64') });
    },
    print(applicationId, { reprint, actor }) {
      const built = document(applicationId, reprint);
      if (!built.ok) return Promise.resolve(built);
      // Each 补打 is a job of its own (a wall clock set back could repeat a time-based id).
      if (reprint) return send(applicationId, `${applicationId}:reprint-${randomUUID()}`, built.value, actor, true);
      const running = firstCopies.get(applicationId);
      if (running !== undefined) return running;
      // Recorded before a byte is sent and kept across restarts: a first copy is handed to the printer
      // once, whatever happens after (a crash right after the printer took it included); later copies are 补打.
      const claim = store.receipts.claimFirstCopy(applicationId);
      if (!claim.claimed) return Promise.resolve(ok({ outcome: earlierOutcome(applicationId, claim.earlier) }));
      const run = send(applicationId, `${applicationId}:first`, built.value, actor, false)
        .then((sent) => {
          if (sent.ok) store.receipts.recordFirstCopyOutcome(applicationId, sent.value.outcome);
          return sent;
        })
        .finally(() => firstCopies.delete(applicationId));
      firstCopies.set(applicationId, run);
      return run;
    },
    identify(query) {
      if ('code' in query) {
        const applicationId = store.receipts.findByVerificationCode(query.code.replace(/\D/g, ''));
        return applicationId === undefined ? { found: false, reason: 'unknown' } : { found: true, applicationId };
      }
      const text = query.payload.trim();
      const parsed = parseReceiptPayload(text);
      if (!parsed.ok) return { found: false, reason: 'invalid-receipt' };
      const verified = verifyReceiptPayload(text, deps.keys.publicKey);
      if (verified.ok) return { found: true, applicationId: verified.value.applicationId };
      // A paper from this terminal whose signature does not hold was altered; one from elsewhere is simply not ours.
      const ours = parsed.value.contents.terminalId === deps.config.terminal.id;
      return { found: false, reason: verified.error.kind === 'bad-signature' && ours ? 'invalid-receipt' : 'unknown' };
    },
  };
}
