import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import { maskIdNumber, maskName } from '../../../drivers/id-card/masking';
import { localDateTime, localDay } from '../../../foundation/local-time';
import type { Log } from '../../../foundation/log';
import type { PrinterProfile } from '../../../drivers/printer/printer-profiles';
import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import { renderPng } from '../../../drivers/receipt/render-png';
import { err, ok, type Result } from '../../../foundation/result';
import {
  createReceiptPayload,
  parseReceiptPayload,
  verificationCode,
  verifyReceiptPayload,
  type ReceiptContents,
} from '../../../platform/contract/receipt-payload';
import type { ServiceFailure } from '../../api/contract';
import type {
  CardProblem,
  CardView,
  PrintOutcome,
  ProgressResult,
  SubmitParams,
  SubmitResult,
} from '../../api/journey-contract';
import type { OutboxEvent, OutboxWorker } from '../outbox/outbox-worker';
import type { SessionService } from '../session/session-service';
import type { Store } from '../store/store';
import { buildReceiptDocument } from '../receipt/receipt-document';
import { cardAnswer, cardFields, cardView } from './card-view';

/**
 * The resident's application from card to receipt, on the service side. Personal data read from
 * cards and photographed documents is held per session in memory and dropped when the session
 * ends; only `submit` writes it — encrypted, in one durable transaction — to the store.
 */
export interface ReceiptPrinterPort {
  print(job: { id: string; document: ReceiptDocument }, reprint: boolean): Promise<PrintOutcome>;
}

export interface JourneyDeps {
  readonly config: KioskConfig;
  readonly catalogue: () => Catalogue;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly onOutboxEvent: (listener: (event: OutboxEvent) => void) => () => void;
  readonly keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly sessions: SessionService;
  readonly printer: () => ReceiptPrinterPort | null;
  readonly profile: PrinterProfile;
  readonly log: Log;
  readonly now?: () => Date;
  /** How long submit waits for the platform's case number before answering with the local number. */
  readonly caseNumberWaitMs?: number;
  /** Tells the renderer about cards (the RPC server's emit). */
  readonly emit: {
    cardRead(sessionId: string, card: CardView): void;
    cardRemoved(): void;
    cardProblem(problem: CardProblem): void;
  };
}

interface SessionData {
  cards: IdCard[];
  documents: Map<string, { requirementId: string; bytes: Buffer }>;
}

interface StoredReceiptPayload {
  readonly payload: string;
  readonly contents: ReceiptContents;
}

export interface JourneyService {
  cardRead(card: IdCard): void;
  cardRemoved(): void;
  cardProblem(problem: CardProblem): void;
  cards(): Result<{ cards: CardView[] }, ServiceFailure>;
  attachDocument(requirementId: string, jpeg: Buffer): Result<{ sha256: string; bytes: number }, ServiceFailure>;
  submit(
    params: SubmitParams,
    helper?: { staffId: string; name?: string },
  ): Promise<Result<SubmitResult, ServiceFailure>>;
  printReceipt(
    applicationId: string,
    reprint: boolean,
    actor?: string,
  ): Promise<Result<{ outcome: PrintOutcome }, ServiceFailure>>;
  rate(applicationId: string, level: number, reasons: string[]): Result<Record<string, never>, ServiceFailure>;
  lookup(query: { payload: string } | { code: string }): Promise<ProgressResult>;
}

export function createJourneyService(deps: JourneyDeps): JourneyService {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  const sessions = new Map<string, SessionData>();
  deps.sessions.onEnded((sessionId) => {
    // Wipe what was held for the person: card data and photos in memory.
    sessions.delete(sessionId);
  });

  const current = (): { id: string; data: SessionData } | null => {
    const session = deps.sessions.current;
    if (session === null) return null;
    let data = sessions.get(session.id);
    if (data === undefined) {
      data = { cards: [], documents: new Map() };
      sessions.set(session.id, data);
    }
    return { id: session.id, data };
  };
  const noSession: ServiceFailure = { kind: 'no-session', message: 'no resident session' };

  function receiptFor(
    applicationId: string,
    reprint: boolean,
  ): Result<{ document: ReceiptDocument; stored: StoredReceiptPayload }, ServiceFailure> {
    const summary = store.applications.getSummary(applicationId);
    const receipt = store.receipts.getReceipt(applicationId);
    if (summary === undefined || !receipt.ok)
      return err({ kind: 'not-found', message: 'no receipt for that application' });
    let stored = receipt.value.payload as StoredReceiptPayload;
    // The case number arrived after the first print: the receipt now carries it, re-signed.
    if (summary.caseNumber !== null && stored.contents.caseNumber !== summary.caseNumber) {
      const contents = { ...stored.contents, caseNumber: summary.caseNumber };
      const payload = createReceiptPayload(contents, deps.keys.privateKey);
      if (payload.ok) {
        stored = { payload: payload.value, contents };
        store.receipts.saveReceipt(applicationId, stored, receipt.value.verificationCode);
      }
    }
    const service = deps.catalogue().services.find((s) => s.code === summary.serviceCode);
    if (service === undefined)
      return err({ kind: 'not-found', message: `service ${summary.serviceCode} is not in the catalogue` });
    const hall = deps.catalogue().halls.find((h) => h.id === service.hallId);
    const document = buildReceiptDocument({
      config: deps.config,
      service,
      hall,
      localNumber: summary.localNumber,
      caseNumber: summary.caseNumber,
      issuedAtText: localDateTime(new Date(stored.contents.issuedAt)),
      maskedName: stored.contents.applicant.maskedName,
      maskedIdNumber: stored.contents.applicant.maskedIdNumber,
      payload: stored.payload,
      verificationCode: receipt.value.verificationCode,
      reprint,
    });
    return ok({ document, stored });
  }

  function waitForCaseNumber(applicationId: string, ms: number): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, ms);
      const off = deps.onOutboxEvent((event) => {
        if (event.kind === 'application-submitted' && event.applicationId === applicationId) {
          clearTimeout(timer);
          off();
          resolve(event.caseNumber);
        }
      });
    });
  }

  return {
    cardRead(card) {
      // A card on the idle screen starts the person's session.
      const session = current() ?? (deps.sessions.start(), current());
      if (session === null) return;
      const known = session.data.cards.findIndex((c) => c.idNumber === card.idNumber);
      if (known === -1) session.data.cards = [...session.data.cards, card].slice(-2);
      log.info(
        { sessionId: session.id, cardType: card.cardType, cards: session.data.cards.length },
        'card read for session',
      );
      deps.emit.cardRead(session.id, cardView(card, localDay(now())));
    },
    cardRemoved() {
      deps.emit.cardRemoved();
    },
    cardProblem(problem) {
      log.info({ problem }, 'card problem');
      deps.emit.cardProblem(problem);
    },
    cards() {
      const session = current();
      if (session === null) return err(noSession);
      const today = localDay(now());
      return ok({ cards: session.data.cards.map((c) => cardView(c, today)) });
    },
    attachDocument(requirementId, jpeg) {
      const session = current();
      if (session === null) return err(noSession);
      if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8)
        return err({ kind: 'invalid-state', message: 'not a JPEG image' });
      const sha256 = createHash('sha256').update(jpeg).digest('hex');
      session.data.documents.set(sha256, { requirementId, bytes: jpeg });
      log.info({ requirementId, bytes: jpeg.length }, 'document photographed');
      return ok({ sha256, bytes: jpeg.length });
    },
    async submit(params, helper) {
      const session = current();
      if (session === null) return err(noSession);
      const catalogue = deps.catalogue();
      const service = catalogue.services.find((s) => s.code === params.serviceCode);
      if (service === undefined) return err({ kind: 'not-found', message: `unknown service ${params.serviceCode}` });
      const [first, second] = session.data.cards;
      const applicant = params.parties.mode === 'other' ? second : first;
      const representative = params.parties.mode === 'other' ? first : undefined;
      if (applicant === undefined)
        return err({ kind: 'invalid-state', message: 'the applicant’s card has not been read' });
      const today = localDay(now());
      const answers: Record<string, unknown> = {};
      for (const question of service.questions) {
        const fromCard = question.prefill === undefined ? undefined : cardAnswer(applicant, question.prefill, today);
        const value = fromCard ?? params.answers[question.id];
        if (value !== undefined) answers[question.id] = value;
      }
      const attachments = [];
      for (const doc of params.documents) {
        const held = session.data.documents.get(doc.sha256);
        const requirement = service.documents.find((d) => d.id === doc.requirementId);
        if (held === undefined || requirement === undefined)
          return err({
            kind: 'invalid-state',
            message: `document ${doc.requirementId} was not photographed in this session`,
          });
        attachments.push({ bytes: held.bytes, mime: 'image/jpeg', label: requirement.label['zh-CN'] });
      }
      const created = store.applications.createApplication({
        serviceCode: service.code,
        applicant: cardFields(applicant),
        answers: { ...answers, ...(params.consent.face === 'staff-check' ? { faceCheck: 'staff' } : {}) },
        attachments,
        signature: Buffer.from(params.signaturePngBase64, 'base64'),
        ...(helper === undefined ? {} : { helper }),
        ...(representative === undefined || params.parties.mode !== 'other'
          ? {}
          : { onBehalf: { relationship: params.parties.relationship, representative: cardFields(representative) } }),
        consent: { accepted: true, textVersion: params.consent.textVersion, at: now().toISOString() },
      });
      if (!created.ok) {
        log.error({ failure: created.error.kind }, 'application not saved');
        return err({
          kind: 'invalid-state',
          message:
            created.error.kind === 'storage-failed'
              ? 'the terminal could not save the application'
              : 'the application is incomplete',
        });
      }
      const summary = created.value;
      // Durable from here: the resident may be told it is saved.
      const contents: ReceiptContents = {
        terminalId: deps.config.terminal.id,
        applicationId: summary.id,
        localNumber: summary.localNumber,
        caseNumber: null,
        serviceCode: service.code,
        issuedAt: new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString(),
        applicant: { maskedName: maskName(applicant.name), maskedIdNumber: maskIdNumber(applicant.idNumber) },
      };
      const payload = createReceiptPayload(contents, deps.keys.privateKey);
      if (!payload.ok) return err({ kind: 'invalid-state', message: `receipt payload: ${payload.error}` });
      const code = verificationCode({
        terminalId: contents.terminalId,
        applicationId: summary.id,
        localNumber: summary.localNumber,
      });
      store.receipts.saveReceipt(summary.id, { payload: payload.value, contents } satisfies StoredReceiptPayload, code);
      store.audit({
        actor: helper === undefined ? 'resident' : `staff:${helper.staffId}`,
        action: 'application.saved',
        details: {
          applicationId: summary.id,
          serviceCode: service.code,
          assisted: helper !== undefined,
          onBehalf: params.parties.mode === 'other',
        },
      });
      log.info(
        { applicationId: summary.id, serviceCode: service.code, documents: attachments.length },
        'application saved',
      );
      const caseNumberPromise = waitForCaseNumber(summary.id, deps.caseNumberWaitMs ?? 3000);
      deps.outbox.kick();
      const caseNumber = await caseNumberPromise;
      const receipt = receiptFor(summary.id, false);
      if (!receipt.ok) return receipt;
      const png = renderPng(receipt.value.document, deps.profile);
      if (!png.ok) return err({ kind: 'invalid-state', message: `receipt preview: ${png.error.kind}` });
      return ok({
        applicationId: summary.id,
        localNumber: summary.localNumber,
        caseNumber,
        verificationCode: code,
        receiptPngBase64: png.value.toString('base64'),
      });
    },
    async printReceipt(applicationId, reprint, actor) {
      const receipt = receiptFor(applicationId, reprint);
      if (!receipt.ok) return receipt;
      const printer = deps.printer();
      if (printer === null) return ok({ outcome: 'no-printer' });
      const jobId = `${applicationId}:${reprint ? `reprint-${Date.now()}` : 'first'}`;
      const outcome = await printer.print({ id: jobId, document: receipt.value.document }, reprint);
      if (outcome === 'printed') {
        const reprints = store.receipts.recordPrint(applicationId);
        if (reprint)
          store.audit({
            actor: actor ?? 'resident',
            action: 'receipt.reprinted',
            details: { applicationId, reprints },
          });
      }
      log.info({ applicationId, reprint, outcome }, 'receipt print');
      return ok({ outcome });
    },
    rate(applicationId, level, reasons) {
      if (store.applications.getSummary(applicationId) === undefined)
        return err({ kind: 'not-found', message: 'unknown application' });
      const saved = store.ratings.addRating({ applicationId, level: level as 1 | 2 | 3 | 4 | 5, reasons });
      if (!saved.ok) return err({ kind: 'invalid-state', message: 'rating refused' });
      deps.outbox.kick();
      log.info({ applicationId, level }, 'rating saved');
      return ok({});
    },
    async lookup(query) {
      let applicationId: string | undefined;
      if ('payload' in query) {
        const parsed = parseReceiptPayload(query.payload.trim());
        if (!parsed.ok) return { found: false, reason: 'invalid-receipt' };
        const verified = verifyReceiptPayload(query.payload.trim(), deps.keys.publicKey);
        if (!verified.ok)
          return {
            found: false,
            reason:
              verified.error.kind === 'bad-signature' && parsed.value.contents.terminalId === deps.config.terminal.id
                ? 'invalid-receipt'
                : 'unknown',
          };
        applicationId = verified.value.applicationId;
      } else {
        applicationId = store.receipts.findByVerificationCode(query.code.replace(/\D/g, ''));
      }
      if (applicationId === undefined) return { found: false, reason: 'unknown' };
      // Ask the platform for the latest status, but never keep the resident waiting long.
      await Promise.race([
        deps.outbox.pollStatuses(applicationId).catch(() => 0),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
      const summary = store.applications.getSummary(applicationId);
      if (summary === undefined) return { found: false, reason: 'unknown' };
      const history = store.applications.caseHistory(applicationId);
      const last = history[history.length - 1];
      return {
        found: true,
        serviceCode: summary.serviceCode,
        localNumber: summary.localNumber,
        caseNumber: summary.caseNumber,
        status: summary.state === 'submitted' ? (summary.caseStatus ?? 'submitted') : 'saved-on-terminal',
        updatedAt: last?.at ?? summary.createdAt,
        ...(last?.note === null || last?.note === undefined ? {} : { note: last.note }),
      };
    },
  };
}
