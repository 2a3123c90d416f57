import { useCallback, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type {
  AnswerValue,
  CaseProgress,
  CardProblem,
  Parties,
  PrintOutcome,
  ProgressResult,
} from '../../electron/api/journey-contract';
import type { Catalogue, DocumentRequirement, Service } from '../../kiosk-config/catalogue-schema';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import type { MessageKey } from '../i18n/messages-zh';
import { newDraft, scrubDraft, updateDraft, type Draft } from '../journey/draft';
import { nextScreen } from '../journey/flow';
import { consentTextVersion } from '../screens/journey/consent-screen';
import type { EditTarget } from '../screens/journey/check-screen';
import { currentScreen, initialNavigation, navigate, type Navigation, type Screen } from './navigation';

/**
 * The resident's journey in the page: where they are, what they have given so far, and the
 * actions that move it on — each call to the services answered, its failures turned into words
 * (an exhaustive switch per call), never a silent catch.
 */
export interface ResidentSession {
  current(): string | null;
  adopt(id: string): void;
  start(): Promise<void>;
}

/**
 * A progress lookup's answer: the applications found (one for a receipt, any for an ID card), or why
 * none was — including that the terminal could not look just now.
 */
export type ProgressAnswer =
  | { readonly found: true; readonly cases: readonly CaseProgress[] }
  | {
      readonly found: false;
      readonly reason: Extract<ProgressResult, { found: false }>['reason'] | 'unavailable' | 'none-for-card';
    };

export interface Journey {
  readonly nav: Navigation;
  readonly screen: Screen;
  readonly service: Service | undefined;
  readonly draft: Draft;
  readonly cardProblem: CardProblem | null;
  readonly submitting: boolean;
  /** Why the last submission did not go through, in words. */
  readonly submitProblem: MessageKey | null;
  /** False once a submission was saved without its receipt: sending it again would make a second application. */
  readonly canSubmit: boolean;
  /** Why the last photo was not kept, in words. */
  readonly documentProblem: MessageKey | null;
  readonly print: PrintOutcome | 'printing';
  readonly progress: ProgressAnswer | null;
  readonly go: (to: Screen) => void;
  readonly back: () => void;
  /** Forward in the journey, or back to the summary when the resident came from 修改. */
  readonly advance: () => void;
  readonly edit: (target: EditTarget) => void;
  readonly chooseParties: (parties: Parties) => void;
  readonly answer: (questionId: string, value: AnswerValue) => void;
  readonly consent: (face: Draft['faceConsent']) => void;
  readonly photo: (requirement: DocumentRequirement, jpegDataUrl: string) => Promise<void>;
  readonly skipDocument: (requirement: DocumentRequirement) => void;
  readonly documentDone: (requirement: DocumentRequirement) => void;
  /** The signature: a written name, or a mark with the staff member who confirmed it (不会写字). */
  readonly sign: (png: string | null, mark?: Draft['signatureMark'], spoken?: Draft['signatureSpoken']) => void;
  readonly submit: () => Promise<void>;
  readonly reprint: () => void;
  readonly rate: (level: number, reasons: string[]) => void;
  readonly lookup: (query: { payload: string } | { code: string }) => void;
  /** 再试一次 after a lookup that found nothing: the lookup form again, with what was typed. */
  readonly clearProgress: () => void;
  /** 再试一次 after a card that would not read: the instruction again, for the next try. */
  readonly clearCardProblem: () => void;
}

export function submitProblemText(failure: CallFailure<'journey.submit'>): MessageKey {
  switch (failure.kind) {
    case 'no-session':
      return 'journey.sessionEnded';
    case 'unknown-service':
      return 'submit.unknownService';
    case 'card-missing':
      return 'submit.cardMissing';
    case 'document-missing':
      return 'submit.documentMissing';
    case 'incomplete':
      return 'submit.incomplete';
    case 'mark-not-witnessed':
      return 'submit.markNotWitnessed';
    case 'receipt-failed':
      return 'submit.savedWithoutReceipt';
    case 'storage-full':
      return 'submit.storageFull';
    case 'storage-failed':
    case 'unavailable':
      return 'submit.failed';
  }
}

function photoProblemText(failure: CallFailure<'journey.attachDocument'>): MessageKey {
  switch (failure.kind) {
    case 'no-session':
      return 'journey.sessionEnded';
    case 'not-a-jpeg':
    case 'too-many-documents':
    case 'unavailable':
      return 'documents.notKept';
  }
}

function printProblemOutcome(failure: CallFailure<'receipt.print'>): PrintOutcome {
  switch (failure.kind) {
    // Either way the resident is told printing did not work and offered staff; staff can reprint from the queue.
    case 'not-found':
    case 'unavailable':
      return 'error';
  }
}

export function useJourney(deps: {
  readonly client: KioskClient;
  readonly catalogue: Catalogue;
  readonly session: ResidentSession;
  /** Where the app-level wedge scanner delivers codes for this person. */
  readonly scanTarget: { current: ((code: string) => void) | null };
}): Journey {
  const { client, catalogue, session, scanTarget } = deps;
  const [nav, dispatch] = useReducer(navigate, initialNavigation);
  const [draft, update] = useReducer(updateDraft, undefined, newDraft);
  // On the wipe, empty what was held for the person in place: a stale closure kept alive by the
  // browser (a detached node's listener) then points at nothing of theirs.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(() => () => scrubDraft(draftRef.current), []);
  const [cardProblem, setCardProblem] = useState<CardProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitProblem, setSubmitProblem] = useState<MessageKey | null>(null);
  const [savedWithoutReceipt, setSavedWithoutReceipt] = useState(false);
  const [documentProblem, setDocumentProblem] = useState<MessageKey | null>(null);
  const [print, setPrint] = useState<PrintOutcome | 'printing'>('printing');
  const [progress, setProgress] = useState<ProgressAnswer | null>(null);
  const screen = currentScreen(nav);
  const service = 'serviceCode' in screen ? catalogue.services.find((s) => s.code === screen.serviceCode) : undefined;
  const screenRef = useRef(screen);
  screenRef.current = screen;

  // 刷身份证查进度: the card read on the progress screen names the person; their applications are shown.
  const lookupByCard = useCallback(() => {
    void client.call('progress.byCard', {}).then((answer) => {
      if (!answer.ok) return setProgress({ found: false, reason: 'unavailable' });
      const { cases } = answer.value;
      setProgress(cases.length > 0 ? { found: true, cases } : { found: false, reason: 'none-for-card' });
    });
  }, [client]);

  // Cards: a card read on the idle screen starts the person's session (the service started it).
  useEffect(() => {
    const offRead = client.on('card.read', (event) => {
      const mine = session.current();
      if (screenRef.current.name === 'progress' && (mine === null || mine === event.sessionId)) {
        // Leaving the progress screen ends this session like any person leaving.
        session.adopt(event.sessionId);
        setCardProblem(null);
        lookupByCard();
        return;
      }
      if (mine === null && screenRef.current.name === 'idle') {
        session.adopt(event.sessionId);
        dispatch({ type: 'push', screen: { name: 'categories' } });
      } else if (mine !== event.sessionId) {
        return;
      }
      setCardProblem(null);
      update({ type: 'card', card: event.card });
    });
    const offProblem = client.on('card.problem', (event) => setCardProblem(event.problem));
    return () => {
      offRead();
      offProblem();
    };
  }, [client, session, lookupByCard]);

  const lookup = useCallback(
    (query: { payload: string } | { code: string }) => {
      void client.call('progress.lookup', query).then((answer) => {
        // The call declares no failures of its own: not found is part of its answer.
        if (!answer.ok) return setProgress({ found: false, reason: 'unavailable' });
        if (!answer.value.found) return setProgress(answer.value);
        const { found, ...one } = answer.value;
        setProgress({ found, cases: [one] });
      });
    },
    [client],
  );
  // A receipt QR scanned on the idle or progress screen looks up the case — from the serial/HID
  // scanner the service side drives, or from a keyboard-wedge scanner typing into the page.
  const scanned = useCallback(
    (text: string) => {
      const where = screenRef.current.name;
      if (where !== 'idle' && where !== 'progress') return;
      if (where === 'idle') dispatch({ type: 'push', screen: { name: 'progress' } });
      lookup({ payload: text.trim() });
    },
    [lookup],
  );
  useEffect(() => client.on('scanner.scanned', (event) => scanned(event.text)), [client, scanned]);
  // Set while rendering (not in an effect) so the newest person receives scans at once.
  scanTarget.current = scanned;
  useEffect(
    () => () => {
      if (scanTarget.current === scanned) scanTarget.current = null;
    },
    [scanTarget, scanned],
  );

  const go = (to: Screen) => dispatch({ type: 'push', screen: to });
  const advance = () => {
    if ('returnToCheck' in screen && screen.returnToCheck === true) dispatch({ type: 'back' });
    else if (service !== undefined) go(nextScreen(screen, service));
  };

  const printReceipt = async (applicationId: string, reprint: boolean) => {
    setPrint('printing');
    const printed = await client.call('receipt.print', { applicationId, reprint });
    setPrint(printed.ok ? printed.value.outcome : printProblemOutcome(printed.error));
  };

  return {
    nav,
    screen,
    service,
    draft,
    cardProblem,
    submitting,
    submitProblem,
    canSubmit: !savedWithoutReceipt,
    documentProblem,
    print,
    progress,
    go,
    back: () => dispatch({ type: 'back' }),
    advance,
    edit(target) {
      if (service === undefined) return;
      const serviceCode = service.code;
      switch (target.kind) {
        case 'question':
          return go({ name: 'question', serviceCode, index: target.index, returnToCheck: true });
        case 'document':
          return go({ name: 'document', serviceCode, index: target.index, returnToCheck: true });
        case 'signature':
          return go({ name: 'signature', serviceCode, returnToCheck: true });
        case 'parties':
          return go({ name: 'parties', serviceCode, returnToCheck: true });
      }
    },
    chooseParties(parties) {
      update({ type: 'parties', parties });
      if (parties.mode === 'self') advance();
    },
    answer(questionId, value) {
      update({ type: 'answer', questionId, value });
      advance();
    },
    consent(face) {
      update({ type: 'consent', face });
      advance();
    },
    async photo(requirement, jpegDataUrl) {
      setDocumentProblem(null);
      const stored = await client.call('journey.attachDocument', {
        requirementId: requirement.id,
        jpegBase64: jpegDataUrl.replace(/^data:image\/jpeg;base64,/, ''),
      });
      if (!stored.ok) return setDocumentProblem(photoProblemText(stored.error));
      update({
        type: 'document',
        requirementId: requirement.id,
        value: { kind: 'photo', sha256: stored.value.sha256, previewUrl: jpegDataUrl },
      });
    },
    skipDocument(requirement) {
      update({ type: 'document', requirementId: requirement.id, value: { kind: 'skipped' } });
      advance();
    },
    documentDone(requirement) {
      if (requirement.kind === 'face' && draft.faceConsent === 'staff-check')
        update({ type: 'document', requirementId: requirement.id, value: { kind: 'staff-check' } });
      advance();
    },
    sign(png, mark = null, spoken = null) {
      update({ type: 'signature', png, mark, spoken });
      advance();
    },
    async submit() {
      if (service === undefined || draft.parties === null || draft.signaturePng === null) return;
      setSubmitting(true);
      setSubmitProblem(null);
      const documents = Object.entries(draft.documents).flatMap(([requirementId, doc]) =>
        doc.kind === 'photo' ? [{ requirementId, sha256: doc.sha256 }] : [],
      );
      const result = await client.call('journey.submit', {
        serviceCode: service.code,
        parties: draft.parties,
        answers: { ...draft.answers },
        documents,
        signaturePngBase64: draft.signaturePng.replace(/^data:image\/png;base64,/, ''),
        signatureKind: draft.signatureSpoken !== null ? 'spoken' : draft.signatureMark === null ? 'name' : 'mark',
        consent: { textVersion: consentTextVersion, face: draft.faceConsent },
      });
      setSubmitting(false);
      if (!result.ok) {
        setSubmitProblem(submitProblemText(result.error));
        setSavedWithoutReceipt(result.error.kind === 'receipt-failed');
        return;
      }
      update({ type: 'submitted', result: result.value });
      // No way back into the application once it is saved: Back from here leads to goodbye.
      dispatch({ type: 'replace-all', stack: [{ name: 'goodbye' }, { name: 'submitted', serviceCode: service.code }] });
      void printReceipt(result.value.applicationId, false);
    },
    reprint() {
      if (draft.submitted !== null) void printReceipt(draft.submitted.applicationId, true);
    },
    rate(level, reasons) {
      // A rating the services refuse changes nothing for the resident: they are thanked either way.
      if (draft.submitted !== null)
        void client.call('rating.submit', { applicationId: draft.submitted.applicationId, level, reasons });
      advance();
    },
    lookup,
    clearProgress: () => setProgress(null),
    clearCardProblem: () => setCardProblem(null),
  };
}
