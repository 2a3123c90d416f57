import { checkAnswer } from '../../../kiosk-config/answer-rules';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import type { Clock } from '../../../foundation/clock';
import { localDay } from '../../../foundation/local-time';
import type { Log } from '../../../foundation/log';
import { assertNever, err, ok, type Result } from '../../../foundation/result';
import type { FailureOf } from '../../api/contract';
import type { Refusal } from '../../api/failures';
import { maxCasesByCard } from '../../api/journey-contract';
import type {
  CardProblem,
  CardView,
  CaseProgress,
  ProgressResult,
  SubmitFailure,
  SubmitParams,
  SubmitResult,
} from '../../api/journey-contract';
import type { EventSink } from '../../api/rpc-server';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { PortFailure } from '../outbox/platform-port';
import type { ReceiptVerifyResponse } from '../../../platform/contract/api-schemas';
import type { ReceiptService } from '../receipt/receipt-service';
import type { SessionService } from '../session/session-service';
import { sha256Hex, type ApplicationSummary } from '../store/application-repository';
import type { StorageGuard } from '../store/storage-guard';
import { isDiskFull } from '../store/storage-guard';
import type { Store } from '../store/store';
import { cardAnswer, cardFields, cardView } from './card-view';

/**
 * The resident's application from card to receipt, on the service side. Personal data read from
 * cards and photographed documents is held per session in memory and dropped when the session
 * ends; only `submit` writes it — encrypted, in one durable transaction — to the store. The
 * receipt itself is the receipt service's.
 */
export interface JourneyDeps {
  readonly catalogue: () => Catalogue;
  /** The service point's village groups (config servicePoint.villageGroups): a group answer must be one. */
  readonly villageGroups: () => readonly string[];
  readonly store: Pick<Store, 'applications' | 'ratings' | 'audit'>;
  readonly outbox: Pick<OutboxWorker, 'kick' | 'pollStatuses' | 'subscribe' | 'answersExpected'>;
  readonly receipts: Pick<ReceiptService, 'issue' | 'preview' | 'identify'>;
  /** The platform's public receipt check, for a receipt another terminal printed (what its paper shows). */
  readonly verifyElsewhere: (payload: string) => Promise<Result<ReceiptVerifyResponse, PortFailure>>;
  readonly sessions: SessionService;
  /** 远程帮办: the call whose officer helped this session's resident, recorded with the application. */
  readonly remoteAssistance?: (sessionId: string) => { callId: string; officerId: string } | null;
  /** Tells the renderer about cards. */
  readonly events: EventSink;
  readonly clock: Clock;
  readonly log: Log;
  /** Free space: a new application is refused while it is short, and a write that found the disk full says so. */
  readonly storage: Pick<StorageGuard, 'check' | 'reportFull'>;
  /** How long submit waits for the platform's case number before answering with the local number (default 3 s). */
  readonly caseNumberWaitMs?: number;
}

/** More than any service asks for (each requirement, retaken a few times); each photo is at most 3 MB. */
export const maxDocumentsPerSession = 24;
/** With the platform known to be unreachable, submit looks this long for a case number (it may be back). */
const knownUnreachableWaitMs = 700;

interface SessionData {
  cards: IdCard[];
  /** The card read last (one of `cards`): whose progress a card lookup shows, even as the second card. */
  lastRead: IdCard | null;
  documents: Map<string, { requirementId: string; bytes: Buffer }>;
  /** Applications this session submitted: only these may it print or rate (calls carry no other proof). */
  submitted: Set<string>;
  rated: Set<string>;
  /** 不会写字: the mark staff confirmed on the spot (by its hash) and who confirmed it. */
  markWitness: { sha256: string; staffId: string } | null;
}

export interface JourneyService {
  cardRead(card: IdCard): void;
  cardRemoved(): void;
  cardProblem(problem: CardProblem): void;
  cards(): Result<{ cards: CardView[] }, Refusal<FailureOf<'journey.cards'>>>;
  attachDocument(
    requirementId: string,
    jpeg: Buffer,
  ): Result<{ sha256: string; bytes: number }, Refusal<FailureOf<'journey.attachDocument'>>>;
  submit(
    params: SubmitParams,
    helper?: { staffId: string; name?: string },
  ): Promise<Result<SubmitResult, Refusal<SubmitFailure>>>;
  /**
   * Staff confirmed, on the spot, the mark the resident drew instead of a name (不会写字): a
   * submission of this session may carry exactly that image as its signature. Only the staff
   * module calls this, behind its guard.
   */
  witnessMark(markPng: Buffer, staffId: string): Result<Record<string, never>, Refusal<{ kind: 'no-session' }>>;
  /** The first card read in the current session (the resident asking for a proof), or null. */
  applicantCard(): IdCard | null;
  /** The current resident session submitted this application (it may print and rate it). */
  submittedInThisSession(applicationId: string): boolean;
  rate(
    applicationId: string,
    level: number,
    reasons: string[],
  ): Result<Record<string, never>, Refusal<FailureOf<'rating.submit'>>>;
  lookup(query: { payload: string } | { code: string }): Promise<ProgressResult>;
  /** The applications of the person whose card this session read, newest first. */
  lookupByCard(): Result<{ cases: CaseProgress[] }, Refusal<FailureOf<'progress.byCard'>>>;
}

/** How many of the newest applications a card lookup reads at most (a terminal's few weeks). */
const casesScanned = 500;

export function createJourneyService(deps: JourneyDeps): JourneyService {
  const { store, log } = deps;
  const caseProgress = (summary: ApplicationSummary): CaseProgress => {
    const history = store.applications.caseHistory(summary.id);
    const last = history[history.length - 1];
    return {
      serviceCode: summary.serviceCode,
      localNumber: summary.localNumber,
      caseNumber: summary.caseNumber,
      status: summary.state === 'submitted' ? (summary.caseStatus ?? 'submitted') : 'saved-on-terminal',
      updatedAt: last?.at ?? summary.createdAt,
      ...(last?.note === null || last?.note === undefined ? {} : { note: last.note }),
    };
  };
  const now = () => new Date(deps.clock.now());
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
      data = {
        cards: [],
        lastRead: null,
        documents: new Map(),
        submitted: new Set(),
        rated: new Set(),
        markWitness: null,
      };
      sessions.set(session.id, data);
    }
    return { id: session.id, data };
  };
  const noSession = { kind: 'no-session', message: 'no resident session' } as const;

  /**
   * The case number if the platform gives it within `ms`; null as soon as the send is known to have
   * failed for now (the application waits in the queue), so the resident is told "saved" at once.
   */
  function waitForCaseNumber(applicationId: string, ms: number): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, ms);
      const off = deps.outbox.subscribe((event) => {
        switch (event.kind) {
          case 'application-submitted':
          case 'application-waiting':
          case 'application-failed':
            if (event.applicationId !== applicationId) return;
            clearTimeout(timer);
            off();
            resolve(event.kind === 'application-submitted' ? event.caseNumber : null);
            return;
          case 'case-status':
          case 'catalogue-updated':
            return;
          default:
            assertNever(event, 'outbox event');
        }
      });
    });
  }

  async function lookupElsewhere(payload: string): Promise<ProgressResult> {
    const answer = await deps.verifyElsewhere(payload.trim());
    if (!answer.ok) {
      log.warn({ failure: answer.error.kind }, 'receipt of another terminal not checked');
      return { found: false, reason: 'unavailable' };
    }
    const paper = answer.value;
    log.info({ valid: paper.valid }, 'receipt of another terminal checked');
    if (!paper.valid) return { found: false, reason: 'invalid-receipt' };
    return {
      found: true,
      serviceCode: paper.serviceCode,
      localNumber: paper.localNumber,
      caseNumber: paper.caseNumber,
      status: paper.status ?? 'saved-elsewhere',
      // The platform's status is as of now.
      updatedAt: now().toISOString(),
      elsewhere: { maskedName: paper.maskedName },
    };
  }

  return {
    cardRead(card) {
      // A card on the idle screen starts the person's session.
      const session = current() ?? (deps.sessions.start(), current());
      if (session === null) return;
      const known = session.data.cards.findIndex((c) => c.idNumber === card.idNumber);
      if (known === -1) session.data.cards = [...session.data.cards, card].slice(-2);
      session.data.lastRead = card;
      log.info(
        { sessionId: session.id, cardType: card.cardType, cards: session.data.cards.length },
        'card read for session',
      );
      deps.events.emit('card.read', { sessionId: session.id, card: cardView(card, localDay(now())) });
    },
    cardRemoved() {
      deps.events.emit('card.removed', {});
    },
    cardProblem(problem) {
      log.info({ problem }, 'card problem');
      deps.events.emit('card.problem', { problem });
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
        return err({ kind: 'not-a-jpeg', message: 'not a JPEG image' });
      // The same hash the store files the document under, so the page can name it at submission.
      const sha256 = sha256Hex(jpeg);
      // Photos wait in memory until submission: a page sending photo after photo must not exhaust it.
      if (!session.data.documents.has(sha256) && session.data.documents.size >= maxDocumentsPerSession)
        return err({
          kind: 'too-many-documents',
          message: `more than ${maxDocumentsPerSession} photos in one session`,
        });
      session.data.documents.set(sha256, { requirementId, bytes: jpeg });
      log.info({ requirementId, bytes: jpeg.length }, 'document photographed');
      return ok({ sha256, bytes: jpeg.length });
    },
    witnessMark(markPng, staffId) {
      const session = current();
      if (session === null) return err(noSession);
      session.data.markWitness = { sha256: sha256Hex(markPng), staffId };
      log.info({ sessionId: session.id }, 'mark witnessed by staff');
      return ok({});
    },
    applicantCard() {
      return current()?.data.cards[0] ?? null;
    },
    async submit(params, helper) {
      const session = current();
      if (session === null) return err(noSession);
      const catalogue = deps.catalogue();
      const service = catalogue.services.find((s) => s.code === params.serviceCode);
      if (service === undefined)
        return err({ kind: 'unknown-service', message: `unknown service ${params.serviceCode}` });
      const [first, second] = session.data.cards;
      const applicant = params.parties.mode === 'other' ? second : first;
      const representative = params.parties.mode === 'other' ? first : undefined;
      if (applicant === undefined)
        return err({ kind: 'card-missing', message: 'the applicant’s card has not been read' });
      const today = localDay(now());
      const answers: Record<string, unknown> = {};
      for (const question of service.questions) {
        const fromCard = question.prefill === undefined ? undefined : cardAnswer(applicant, question.prefill, today);
        const value = fromCard ?? params.answers[question.id];
        // The page checked the answer for the resident; a page that did not (or a hostile caller) is
        // refused here, by the catalogue's rules — a phone way out the service does not allow included.
        const checked = checkAnswer(question, value, today, deps.villageGroups());
        if (!checked.ok) {
          log.warn({ serviceCode: service.code, questionId: question.id, problem: checked.problem }, 'answer refused');
          return err({ kind: 'incomplete', message: `answer ${question.id}: ${checked.problem}` });
        }
        if (value !== undefined) answers[question.id] = value;
      }
      const attachments = [];
      for (const doc of params.documents) {
        const held = session.data.documents.get(doc.sha256);
        const requirement = service.documents.find((d) => d.id === doc.requirementId);
        if (held === undefined || requirement === undefined)
          return err({
            kind: 'document-missing',
            message: `document ${doc.requirementId} was not photographed in this session`,
          });
        attachments.push({ bytes: held.bytes, mime: 'image/jpeg', label: requirement.label['zh-CN'] });
      }
      const signature = Buffer.from(params.signaturePngBase64, 'base64');
      // A mark stands for a signature only with the staff member who saw it drawn: the page's word is not enough.
      const witness = session.data.markWitness;
      const markWitnessed = witness !== null && witness.sha256 === sha256Hex(signature);
      if (params.signatureKind === 'mark' && !markWitnessed) {
        log.warn({ serviceCode: service.code, witnessed: witness !== null }, 'mark without a staff witness refused');
        return err({ kind: 'mark-not-witnessed', message: 'no staff member confirmed this mark' });
      }
      // Asked last, just before the write: the answer is as fresh as it can be.
      if (!deps.storage.check().accepting) {
        log.warn({ serviceCode: service.code }, 'application refused: too little disk space');
        return err({ kind: 'storage-full', message: 'too little free space to take an application' });
      }
      // The service side knows which officer helped in this session; the page only said a proposal was taken.
      const remote = deps.remoteAssistance?.(session.id) ?? null;
      const created = store.applications.createApplication({
        serviceCode: service.code,
        applicant: cardFields(applicant),
        answers: { ...answers, ...(params.consent.face === 'staff-check' ? { faceCheck: 'staff' } : {}) },
        attachments,
        signature,
        ...(params.signatureKind === 'mark' && witness !== null
          ? { signatureMark: { witnessStaffId: witness.staffId } }
          : {}),
        ...(params.signatureKind === 'spoken'
          ? {
              signatureSpoken: {
                confirmedAt: now().toISOString(),
                ...(markWitnessed ? { witnessStaffId: witness.staffId } : {}),
              },
            }
          : {}),
        ...(helper === undefined ? {} : { helper }),
        ...(remote === null ? {} : { remoteAssistance: remote }),
        ...(representative === undefined || params.parties.mode !== 'other'
          ? {}
          : { onBehalf: { relationship: params.parties.relationship, representative: cardFields(representative) } }),
        consent: { accepted: true, textVersion: params.consent.textVersion, at: now().toISOString() },
      });
      if (!created.ok) {
        const failure = created.error;
        log.error({ failure: failure.kind }, 'application not saved');
        if (failure.kind === 'invalid') return err({ kind: 'incomplete', message: failure.issues.join('; ') });
        if (!failure.full) return err({ kind: 'storage-failed', message: failure.reason });
        deps.storage.reportFull('application');
        return err({ kind: 'storage-full', message: failure.reason });
      }
      const summary = created.value;
      session.data.submitted.add(summary.id);
      // Durable from here: the resident may be told it is saved — a failed audit write must not say otherwise.
      try {
        store.audit({
          actor: helper === undefined ? 'resident' : `staff:${helper.staffId}`,
          action: 'application.saved',
          details: {
            applicationId: summary.id,
            serviceCode: service.code,
            assisted: helper !== undefined,
            ...(remote === null ? {} : { remoteOfficer: remote.officerId }),
            ...(params.signatureKind === 'mark' && witness !== null ? { markWitness: witness.staffId } : {}),
            ...(params.signatureKind === 'spoken' ? { spokenSignature: true } : {}),
            onBehalf: params.parties.mode === 'other',
          },
        });
      } catch (cause) {
        if (!isDiskFull(cause)) throw cause;
        deps.storage.reportFull('audit');
        log.error({ applicationId: summary.id }, 'audit entry for a saved application not written: disk full');
      }
      log.info(
        { applicationId: summary.id, serviceCode: service.code, documents: attachments.length },
        'application saved',
      );
      const issued = deps.receipts.issue(summary, applicant);
      if (!issued.ok) return issued;
      // With the platform known to be unreachable, a short look only (it may be back): "saved" within a second.
      const waitMs = deps.caseNumberWaitMs ?? 3000;
      const caseNumberPromise = waitForCaseNumber(
        summary.id,
        deps.outbox.answersExpected() ? waitMs : Math.min(waitMs, knownUnreachableWaitMs),
      );
      deps.outbox.kick();
      const caseNumber = await caseNumberPromise;
      const preview = deps.receipts.preview(summary.id);
      if (!preview.ok) return err({ kind: 'receipt-failed', message: preview.error.message ?? preview.error.kind });
      return ok({
        applicationId: summary.id,
        localNumber: summary.localNumber,
        caseNumber,
        verificationCode: issued.value.verificationCode,
        receiptPngBase64: preview.value.pngBase64,
      });
    },
    submittedInThisSession(applicationId) {
      return current()?.data.submitted.has(applicationId) ?? false;
    },
    rate(applicationId, level, reasons) {
      const session = current();
      // Someone else's case number (or an old one replayed) is not this session's to rate.
      if (session === null || !session.data.submitted.has(applicationId))
        return err({ kind: 'not-found', message: 'not an application of this session' });
      if (session.data.rated.has(applicationId)) return err({ kind: 'already-rated' });
      if (store.applications.getSummary(applicationId) === undefined)
        return err({ kind: 'not-found', message: 'unknown application' });
      let saved: ReturnType<typeof store.ratings.addRating>;
      try {
        saved = store.ratings.addRating({ applicationId, level: level as 1 | 2 | 3 | 4 | 5, reasons });
      } catch (cause) {
        if (!isDiskFull(cause)) throw cause;
        deps.storage.reportFull('rating');
        return err({ kind: 'storage-full', message: 'rating not kept: disk full' });
      }
      if (!saved.ok) return err({ kind: 'invalid-rating', message: saved.error.issues.join('; ') });
      session.data.rated.add(applicationId);
      deps.outbox.kick();
      log.info({ applicationId, level }, 'rating saved');
      return ok({});
    },
    async lookup(query) {
      const receipt = deps.receipts.identify(query);
      // A receipt of another terminal: the platform checks its signature and answers what the paper
      // shows. A typed code alone is never sent on: codes cannot be tried out through the terminal.
      if (!receipt.found && receipt.reason === 'unknown' && 'payload' in query) return lookupElsewhere(query.payload);
      if (!receipt.found) return { found: false, reason: receipt.reason };
      const { applicationId } = receipt;
      // Ask the platform for the latest status, but never keep the resident waiting long.
      await Promise.race([
        deps.outbox.pollStatuses(applicationId).catch(() => 0),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
      const summary = store.applications.getSummary(applicationId);
      if (summary === undefined) return { found: false, reason: 'unknown' };
      return { found: true, ...caseProgress(summary) };
    },
    lookupByCard() {
      const session = current();
      if (session === null) return err(noSession);
      // The card on the reader now: on the progress screen the next person may put theirs down
      // before the one before them was timed out, and must see only their own.
      const card = session.data.lastRead;
      if (card === null) return err({ kind: 'card-missing', message: 'no card read in this session' });
      // The terminal keeps no index by ID number (it would be personal data in clear): the few
      // applications still holding personal data are read and compared.
      const cases: CaseProgress[] = [];
      for (const summary of store.applications.listApplications({ limit: casesScanned })) {
        if (cases.length >= maxCasesByCard) break;
        if (summary.personalPurgedAt !== null) continue;
        const stored = store.applications.getApplication(summary.id);
        if (stored.ok && stored.value.applicant.idNumber === card.idNumber) cases.push(caseProgress(summary));
      }
      log.info({ cases: cases.length }, 'progress looked up by card');
      return ok({ cases });
    },
  };
}
