import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { IdleNotice, KioskInfo } from '../electron/api/contract';
import type { CardProblem, PrintOutcome, ProgressResult } from '../electron/api/journey-contract';
import type { Catalogue } from '../kiosk-config/catalogue-schema';
import type { Language } from '../kiosk-config/config-schema';
import type { KioskClient } from './api/kiosk-client';
import { Chrome } from './components/chrome';
import { TimeoutDialog } from './components/timeout-dialog';
import { I18nContext, makeI18n } from './i18n/i18n';
import { applicantCard, newDraft, prefillValue, scrubDraft, updateDraft } from './journey/draft';
import { nextScreen, stepOf } from './journey/flow';
import { CategoriesScreen } from './screens/categories-screen';
import { IdleScreen } from './screens/idle-screen';
import { CheckScreen, type EditTarget } from './screens/journey/check-screen';
import { ConsentScreen, consentTextVersion } from './screens/journey/consent-screen';
import { DocumentScreen } from './screens/journey/document-screen';
import { GoodbyeScreen } from './screens/journey/goodbye-screen';
import { IdentifyScreen } from './screens/journey/identify-screen';
import { PartiesScreen } from './screens/journey/parties-screen';
import { ProgressScreen } from './screens/journey/progress-screen';
import { QuestionScreen } from './screens/journey/question-screen';
import { RatingScreen } from './screens/journey/rating-screen';
import { SignatureScreen } from './screens/journey/signature-screen';
import { SubmittedScreen } from './screens/journey/submitted-screen';
import { NoticeScreen } from './screens/notice-screen';
import { ServicesScreen } from './screens/services-screen';
import { StaffMode } from './staff/staff-mode';
import { currentScreen, initialNavigation, navigate, screenId, type Screen } from './state/navigation';
import { useInactivity } from './state/use-inactivity';
import { useWedgeScanner } from './input/use-wedge-scanner';
import { ScreenSpeech } from './voice/screen-speech';
import { VoiceProvider, useVoice } from './voice/use-voice';

/**
 * The resident-facing app. Everything about one person lives inside `Person`; the wipe remounts it
 * (new `personKey`), so no component keeps anything of theirs.
 */
type WipeReason = 'timeout' | 'finished' | 'cancelled';

export function App({ client, info, catalogue }: { client: KioskClient; info: KioskInfo; catalogue: Catalogue }) {
  const [personKey, setPersonKey] = useState(0);
  const sessionId = useRef<string | null>(null);
  const wipe = useCallback(
    (reason: WipeReason) => {
      if (sessionId.current !== null) void client.call('session.end', { reason }).catch(() => undefined);
      sessionId.current = null;
      setPersonKey((k) => k + 1);
    },
    [client],
  );
  // The service side may end our session (staff, a new resident); other sessions' ends are not ours.
  useEffect(
    () =>
      client.on('session.ended', (event) => {
        if (event.sessionId !== sessionId.current) return;
        sessionId.current = null;
        setPersonKey((k) => k + 1);
      }),
    [client],
  );
  const session = useMemo(
    () => ({
      current: () => sessionId.current,
      adopt: (id: string) => (sessionId.current = id),
      start: async () => {
        const started = await client.call('session.start', {});
        sessionId.current = started.sessionId;
      },
    }),
    [client],
  );
  // The wedge-scanner listener lives here, above the per-person tree, so a burst arriving just after
  // a wipe (before the new person's effects ran) still reaches whoever is on screen.
  const scanTarget = useRef<((code: string) => void) | null>(null);
  useWedgeScanner((code) => scanTarget.current?.(code));
  // The county's notice for the idle screen outlives every person's session.
  const [notice, setNotice] = useState<IdleNotice | null>(null);
  useEffect(() => {
    void client
      .call('notice.get', {})
      .then((answer) => setNotice(answer.notice))
      .catch(() => undefined);
    return client.on('notice.changed', (event) => setNotice(event.notice));
  }, [client]);
  // Staff mode (five taps in the top-left corner) replaces the resident screens while it is open.
  return (
    <StaffMode client={client} info={info} catalogue={catalogue}>
      <Person
        key={personKey}
        client={client}
        info={info}
        catalogue={catalogue}
        onWipe={wipe}
        session={session}
        scanTarget={scanTarget}
        notice={notice}
      />
    </StaffMode>
  );
}

interface PersonProps {
  readonly client: KioskClient;
  readonly info: KioskInfo;
  readonly catalogue: Catalogue;
  readonly onWipe: (reason: WipeReason) => void;
  readonly session: { current(): string | null; adopt(id: string): void; start(): Promise<void> };
  /** Where the app-level wedge scanner delivers codes for this person. */
  readonly scanTarget: { current: ((code: string) => void) | null };
  readonly notice: IdleNotice | null;
}

function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** Voice belongs to the person: on/off and volume reset with every wipe. Large text brings voice with it. */
function Person(props: PersonProps) {
  const [language, setLanguage] = useState<Language>(props.info.defaultLanguage);
  return (
    <VoiceProvider
      client={props.client}
      language={language}
      languages={props.info.languages}
      initiallyEnabled={props.info.voiceByDefault || props.info.largeTextByDefault}
    >
      <PersonScreens {...props} language={language} setLanguage={setLanguage} />
    </VoiceProvider>
  );
}

function PersonScreens({
  client,
  info,
  catalogue,
  onWipe,
  session,
  scanTarget,
  notice,
  language,
  setLanguage,
}: PersonProps & { language: Language; setLanguage: (l: Language) => void }) {
  const voice = useVoice();
  const [nav, dispatch] = useReducer(navigate, initialNavigation);
  const [draft, update] = useReducer(updateDraft, undefined, newDraft);
  // On the wipe, empty what was held for the person in place: a stale closure kept alive by the
  // browser (a detached node's listener) then points at nothing of theirs.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(() => () => scrubDraft(draftRef.current), []);
  const [largeText, setLargeText] = useState(info.largeTextByDefault);
  const [staffCalled, setStaffCalled] = useState(false);
  const [cardProblem, setCardProblem] = useState<CardProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState(false);
  const [print, setPrint] = useState<PrintOutcome | 'printing'>('printing');
  const [progress, setProgress] = useState<ProgressResult | null>(null);
  const i18n = useMemo(() => makeI18n(language), [language]);
  const screen = currentScreen(nav);
  const id = screenId(screen);
  const service = 'serviceCode' in screen ? catalogue.services.find((s) => s.code === screen.serviceCode) : undefined;
  const screenRef = useRef(screen);
  screenRef.current = screen;

  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.classList.toggle('large-text', largeText);
  }, [language, largeText]);
  useEffect(() => {
    void client.call('ui.report', { action: 'navigate', screen: id }).catch(() => undefined);
  }, [client, id]);

  // Cards: a card read on the idle screen starts the person's session (the service started it).
  useEffect(() => {
    const offRead = client.on('card.read', (event) => {
      const mine = session.current();
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
  }, [client, session]);

  const lookup = useCallback(
    (query: { payload: string } | { code: string }) => {
      void client
        .call('progress.lookup', query)
        .then(setProgress, () => setProgress({ found: false, reason: 'unknown' }));
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

  const { secondsLeft, extend } = useInactivity({
    active: screen.name !== 'idle',
    timeoutSeconds: info.idleTimeoutSeconds,
    warningSeconds: info.idleWarningSeconds,
    onExpire: () => onWipe('timeout'),
    onWarn: () => {
      voice.say(i18n.t('timeout.speak'));
      void client.call('ui.report', { action: 'timeout-warning', screen: id }).catch(() => undefined);
    },
  });

  const go = (to: Screen) => dispatch({ type: 'push', screen: to });
  /** Forward in the journey, or back to the summary when the resident came from 修改. */
  const advance = () => {
    if ('returnToCheck' in screen && screen.returnToCheck === true) dispatch({ type: 'back' });
    else if (service !== undefined) go(nextScreen(screen, service));
  };

  const printReceipt = async (applicationId: string, reprint: boolean) => {
    setPrint('printing');
    try {
      setPrint((await client.call('receipt.print', { applicationId, reprint })).outcome);
    } catch {
      setPrint('error');
    }
  };

  const submit = async () => {
    if (service === undefined || draft.parties === null || draft.signaturePng === null) return;
    setSubmitting(true);
    setSubmitError(false);
    try {
      const documents = Object.entries(draft.documents).flatMap(([requirementId, doc]) =>
        doc.kind === 'photo' ? [{ requirementId, sha256: doc.sha256 }] : [],
      );
      const result = await client.call('journey.submit', {
        serviceCode: service.code,
        parties: draft.parties,
        answers: { ...draft.answers },
        documents,
        signaturePngBase64: draft.signaturePng.replace(/^data:image\/png;base64,/, ''),
        consent: { textVersion: consentTextVersion, face: draft.faceConsent },
      });
      update({ type: 'submitted', result });
      // No way back into the application once it is saved: Back from here leads to goodbye.
      dispatch({ type: 'replace-all', stack: [{ name: 'goodbye' }, { name: 'submitted', serviceCode: service.code }] });
      void printReceipt(result.applicationId, false);
    } catch {
      setSubmitError(true);
    } finally {
      setSubmitting(false);
    }
  };

  const edit = (target: EditTarget) => {
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
  };

  const hall = service === undefined ? undefined : catalogue.halls.find((h) => h.id === service.hallId);
  let body;
  switch (screen.name) {
    case 'idle':
      body = (
        <IdleScreen
          catalogue={catalogue}
          terminalName={info.terminalName}
          notice={notice}
          onStart={() => {
            void session.start().catch(() => undefined);
            go({ name: 'categories' });
          }}
          onProgress={() => go({ name: 'progress' })}
        />
      );
      break;
    case 'categories':
      body = (
        <CategoriesScreen
          catalogue={catalogue}
          card={applicantCard(draft)}
          onChoose={(categoryId) => go({ name: 'services', categoryId })}
          onChooseService={(serviceCode) => go({ name: 'notice', serviceCode })}
        />
      );
      break;
    case 'services':
      body = (
        <ServicesScreen
          catalogue={catalogue}
          categoryId={screen.categoryId}
          card={draft.cards[0]}
          onChoose={(serviceCode) => go({ name: 'notice', serviceCode })}
        />
      );
      break;
    case 'notice':
      body =
        service === undefined ? null : (
          <NoticeScreen service={service} onStart={() => go({ name: 'identify', serviceCode: service.code })} />
        );
      break;
    case 'identify':
      body = <IdentifyScreen card={draft.cards[0]} problem={cardProblem} onNext={advance} />;
      break;
    case 'parties':
      body = (
        <PartiesScreen
          parties={draft.parties}
          secondCard={draft.cards[1]}
          onChoose={(parties) => {
            update({ type: 'parties', parties });
            if (parties.mode === 'self') advance();
          }}
          onNext={advance}
        />
      );
      break;
    case 'question': {
      const question = service?.questions[screen.index];
      body =
        service === undefined || question === undefined ? null : (
          <QuestionScreen
            key={question.id}
            question={question}
            index={screen.index}
            total={service.questions.length}
            value={draft.answers[question.id]}
            prefilled={prefillValue(applicantCard(draft), question.prefill)}
            today={todayIso()}
            onAnswer={(value) => {
              update({ type: 'answer', questionId: question.id, value });
              advance();
            }}
          />
        );
      break;
    }
    case 'consent':
      body =
        service === undefined ? null : (
          <ConsentScreen
            service={service}
            hall={hall}
            retentionDays={info.retentionDays}
            onAgree={(face) => {
              update({ type: 'consent', face });
              advance();
            }}
          />
        );
      break;
    case 'document': {
      const requirement = service?.documents[screen.index];
      body =
        service === undefined || requirement === undefined ? null : (
          <DocumentScreen
            key={requirement.id}
            requirement={requirement}
            index={screen.index}
            total={service.documents.length}
            cameraLabel={info.cameraLabel}
            current={draft.documents[requirement.id]}
            staffCheckChosen={draft.faceConsent === 'staff-check'}
            onPhoto={async (dataUrl) => {
              const stored = await client.call('journey.attachDocument', {
                requirementId: requirement.id,
                jpegBase64: dataUrl.replace(/^data:image\/jpeg;base64,/, ''),
              });
              update({
                type: 'document',
                requirementId: requirement.id,
                value: { kind: 'photo', sha256: stored.sha256, previewUrl: dataUrl },
              });
            }}
            onSkip={() => {
              update({ type: 'document', requirementId: requirement.id, value: { kind: 'skipped' } });
              advance();
            }}
            onNext={() => {
              if (requirement.kind === 'face' && draft.faceConsent === 'staff-check')
                update({ type: 'document', requirementId: requirement.id, value: { kind: 'staff-check' } });
              advance();
            }}
          />
        );
      break;
    }
    case 'signature':
      body = (
        <SignatureScreen
          onDone={(png) => {
            update({ type: 'signature', png });
            advance();
          }}
        />
      );
      break;
    case 'check':
      body =
        service === undefined ? null : (
          <CheckScreen
            service={service}
            draft={draft}
            submitting={submitting}
            error={submitError}
            onEdit={edit}
            onSubmit={() => void submit()}
          />
        );
      break;
    case 'submitted':
      body =
        service === undefined || draft.submitted === null ? null : (
          <SubmittedScreen
            result={draft.submitted}
            service={service}
            print={print}
            onReprint={() => draft.submitted !== null && void printReceipt(draft.submitted.applicationId, true)}
            onContinue={advance}
          />
        );
      break;
    case 'rating':
      body = (
        <RatingScreen
          onRate={(level, reasons) => {
            if (draft.submitted !== null)
              void client
                .call('rating.submit', { applicationId: draft.submitted.applicationId, level, reasons })
                .catch(() => undefined);
            advance();
          }}
          onSkip={advance}
        />
      );
      break;
    case 'goodbye':
      body = <GoodbyeScreen onDone={() => onWipe('finished')} />;
      break;
    case 'progress':
      body = (
        <ProgressScreen
          catalogue={catalogue}
          cameraLabel={info.cameraLabel}
          result={progress}
          onLookupCode={(code) => lookup({ code })}
          onLookupPayload={(payload) => lookup({ payload })}
        />
      );
      break;
  }

  const report = (action: 'language' | 'large-text' | 'call-staff') =>
    void client.call('ui.report', { action, screen: id }).catch(() => undefined);
  return (
    <I18nContext.Provider value={i18n}>
      <Chrome
        screenId={id}
        placeName={info.servicePointName}
        largeText={largeText}
        staffCalled={staffCalled}
        navigation={screen.name !== 'idle'}
        progress={stepOf(screen, service)}
        onBack={() =>
          nav.stack.length <= 2 && screen.name === 'progress' ? onWipe('cancelled') : dispatch({ type: 'back' })
        }
        onHome={() => onWipe('cancelled')}
        onLanguage={() => {
          report('language');
          const index = info.languages.indexOf(language);
          setLanguage(info.languages[(index + 1) % info.languages.length] ?? info.defaultLanguage);
        }}
        onLargeText={() => {
          report('large-text');
          if (!largeText) voice.setEnabled(true);
          setLargeText(!largeText);
        }}
        onCallStaff={() => {
          report('call-staff');
          setStaffCalled(true);
        }}
      >
        {body}
      </Chrome>
      {/* A progress result arrives after its screen: it is read out when it comes. */}
      <ScreenSpeech screenKey={`${id}|${language}|${progress === null ? '' : JSON.stringify(progress)}`} />
      {secondsLeft !== null && (
        <TimeoutDialog
          secondsLeft={secondsLeft}
          onContinue={() => {
            void client.call('ui.report', { action: 'timeout-extend', screen: id }).catch(() => undefined);
            extend();
          }}
        />
      )}
    </I18nContext.Provider>
  );
}
