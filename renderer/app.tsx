import { CallStaffContext } from './components/call-staff';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { IdleNotice, KioskInfo, UiEvent } from '../electron/api/contract';
import type { Catalogue } from '../kiosk-config/catalogue-schema';
import type { Language } from '../kiosk-config/config-schema';
import type { KioskClient } from './api/kiosk-client';
import { residentSessionHold } from './state/resident-session';
import { Chrome } from './components/chrome';
import { TimeoutDialog } from './components/timeout-dialog';
import { I18nContext, makeI18n } from './i18n/i18n';
import { useWedgeScanner } from './input/use-wedge-scanner';
import { isElder } from './journey/elder-mode';
import { stepOf } from './journey/flow';
import { ScreenRouter } from './screens/screen-router';
import { StaffMode } from './staff/staff-mode';
import { screenId } from './state/navigation';
import { useInactivity } from './state/use-inactivity';
import { useJourney, type ResidentSession } from './state/use-journey';
import { KeypadModeProvider, KeypadNavigator, useKeypadMode } from './keypad/keypad-mode';
import { ScreenSpeech } from './voice/screen-speech';
import { VoiceProvider, useVoice } from './voice/use-voice';
import { CallPanel, HelpDialogs, PointRing, ProposalCard } from './remote-help/help-screens';
import { findMirrorElement } from './remote-help/mirror';
import { ProposalTargetsContext, RemoteHelperContext } from './remote-help/proposals';
import { useRemoteHelp } from './remote-help/use-remote-help';

type UiAction = UiEvent['action'];

/**
 * The resident-facing app. Everything about one person lives inside `Person`; the wipe remounts it
 * (new `personKey`), so no component keeps anything of theirs.
 */
type WipeReason = 'timeout' | 'finished' | 'cancelled';

export function App({ client, info, catalogue }: { client: KioskClient; info: KioskInfo; catalogue: Catalogue }) {
  const [personKey, setPersonKey] = useState(0);
  const hold = useMemo(() => residentSessionHold(client), [client]);
  const wipe = useCallback(
    (reason: WipeReason) => {
      hold.wipe(reason);
      setPersonKey((k) => k + 1);
    },
    [hold],
  );
  // The service side may end our session (staff, a new resident); other sessions' ends are not ours.
  useEffect(
    () =>
      client.on('session.ended', (event) => {
        if (hold.ended(event.sessionId)) setPersonKey((k) => k + 1);
      }),
    [client, hold],
  );
  const session = hold.session;
  // The wedge-scanner listener lives here, above the per-person tree, so a burst arriving just after
  // a wipe (before the new person's effects ran) still reaches whoever is on screen.
  const scanTarget = useRef<((code: string) => void) | null>(null);
  useWedgeScanner((code) => scanTarget.current?.(code));
  // The county's notice for the idle screen outlives every person's session.
  const [notice, setNotice] = useState<IdleNotice | null>(null);
  useEffect(() => {
    void client.call('notice.get', {}).then((answer) => {
      if (answer.ok) setNotice(answer.value.notice);
    });
    return client.on('notice.changed', (event) => setNotice(event.notice));
  }, [client]);
  // Whether the terminal takes new applications (false: disk full); changes arrive as events.
  const [accepting, setAccepting] = useState(true);
  const askStorage = useCallback(() => {
    void client.call('storage.get', {}).then((answer) => {
      if (answer.ok) setAccepting(answer.value.accepting);
    });
  }, [client]);
  useEffect(() => {
    askStorage();
    return client.on('storage.changed', (event) => setAccepting(event.accepting));
  }, [client, askStorage]);
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
        accepting={accepting}
        askStorage={askStorage}
      />
    </StaffMode>
  );
}

interface PersonProps {
  readonly client: KioskClient;
  readonly info: KioskInfo;
  readonly catalogue: Catalogue;
  readonly onWipe: (reason: WipeReason) => void;
  readonly session: ResidentSession;
  /** Where the app-level wedge scanner delivers codes for this person. */
  readonly scanTarget: { current: ((code: string) => void) | null };
  readonly notice: IdleNotice | null;
  readonly accepting: boolean;
  readonly askStorage: () => void;
}

/**
 * Voice belongs to the person: on/off and volume reset with every wipe. Large text brings voice with it.
 * So does the audio keypad mode: it ends, and the screen shows again, when the person leaves.
 */
function Person(props: PersonProps) {
  const [language, setLanguage] = useState<Language>(props.info.defaultLanguage);
  return (
    <VoiceProvider
      client={props.client}
      language={language}
      languages={props.info.languages}
      initiallyEnabled={props.info.voiceByDefault || props.info.largeTextByDefault}
    >
      <KeypadModeProvider>
        <PersonScreens {...props} language={language} setLanguage={setLanguage} />
      </KeypadModeProvider>
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
  accepting,
  askStorage,
  language,
  setLanguage,
}: PersonProps & { language: Language; setLanguage: (l: Language) => void }) {
  const voice = useVoice();
  const keypadMode = useKeypadMode();
  const journey = useJourney({ client, catalogue, session, scanTarget });
  const { screen, service, nav } = journey;
  const [largeText, setLargeText] = useState(info.largeTextByDefault);
  const [staffCalled, setStaffCalled] = useState(false);
  // Elder mode: the first card read decides once; the resident's own choices are never overridden.
  const i18n = useMemo(() => makeI18n(language), [language]);
  const id = screenId(screen);
  const elderChecked = useRef(false);
  // The screen the voice offer is made on: moving on without answering is a "no" (the header's
  // voice button stays), so the banner never takes the room of the screens after it.
  const [voiceOfferScreen, setVoiceOfferScreen] = useState<string | null>(null);
  const firstCard = journey.draft.cards[0];
  useEffect(() => {
    if (elderChecked.current || firstCard === undefined) return;
    elderChecked.current = true;
    if (!isElder(firstCard)) return;
    setLargeText(true);
    if (!voice.enabled) setVoiceOfferScreen(id);
  }, [firstCard, voice.enabled, id]);
  // What the resident does is logged (no personal data); the log is best effort, nothing waits for it.
  const report = useCallback((action: UiAction) => void client.call('ui.report', { action, screen: id }), [client, id]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.classList.toggle('large-text', largeText);
  }, [language, largeText]);
  useEffect(() => report('navigate'), [report]);
  // Asked afresh each time a service's notice opens: the last word before the first question.
  const onNotice = screen.name === 'notice';
  useEffect(() => {
    if (onNotice) askStorage();
  }, [onNotice, askStorage]);

  const { secondsLeft, extend, touch } = useInactivity({
    // On idle too once the keypad mode is on: a key pressed there by someone who walked away must not
    // leave the next resident in the mode (or the screen blanked).
    active: screen.name !== 'idle' || keypadMode.active,
    timeoutSeconds: info.idleTimeoutSeconds,
    warningSeconds: info.idleWarningSeconds,
    onExpire: () => onWipe('timeout'),
    onWarn: () => {
      // The audio keypad mode reads the warning's dialog itself, with its choice.
      if (!keypadMode.active) voice.say(i18n.t('timeout.speak'));
      report('timeout-warning');
    },
  });

  const callStaffHere = () => {
    report('call-staff');
    setStaffCalled(true);
  };
  // 呼叫工作人员: where the hall takes video calls, the resident chooses staff here or the hall.
  const help = useRemoteHelp({
    client,
    info,
    language,
    ensureSession: async () => {
      if (session.current() === null) await session.start();
    },
    callStaffHere,
    // An officer pointing or proposing is help in progress: the resident is not gone.
    onOfficerActivity: extend,
  });
  const callStaff = () => (help.offered ? help.open() : callStaffHere());
  const proposalLabel = (itemId: string) => {
    const area = document.querySelector('main.content');
    return (area === null ? null : findMirrorElement(area, itemId))?.getAttribute('data-help-label') ?? '';
  };

  return (
    <I18nContext.Provider value={i18n}>
      <ProposalTargetsContext.Provider value={help.targets}>
        <RemoteHelperContext.Provider value={help.helpedBy}>
          <CallStaffContext.Provider value={callStaff}>
            <Chrome
              screenId={id}
              placeName={info.servicePointName}
              largeText={largeText}
              staffCalled={staffCalled}
              servicePointPhone={info.servicePointPhone}
              navigation={screen.name !== 'idle' && screen.name !== 'submitted'}
              progress={stepOf(screen, service)}
              onBack={() =>
                nav.stack.length <= 2 && screen.name === 'progress' ? onWipe('cancelled') : journey.back()
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
              onCallStaff={callStaff}
              callPanel={<CallPanel help={help} />}
              voiceOffer={
                voiceOfferScreen === id && !voice.enabled
                  ? {
                      onAccept: () => {
                        report('voice');
                        voice.setEnabled(true);
                        setVoiceOfferScreen(null);
                      },
                      onDecline: () => setVoiceOfferScreen(null),
                    }
                  : undefined
              }
            >
              <ScreenRouter
                journey={journey}
                client={client}
                info={info}
                catalogue={catalogue}
                notice={notice}
                accepting={accepting}
                onStart={() => {
                  void session.start();
                  journey.go({ name: 'categories' });
                }}
                onFinished={() => onWipe('finished')}
              />
            </Chrome>
          </CallStaffContext.Provider>
        </RemoteHelperContext.Provider>
      </ProposalTargetsContext.Provider>
      <HelpDialogs help={help} onStaffHere={callStaffHere} />
      <PointRing itemId={help.pointAt} />
      <ProposalCard help={help} label={proposalLabel} />
      {/* A progress result arrives after its screen: it is read out when it comes. The audio keypad
          mode reads the screens itself (heading, choices, the focused item). */}
      {!keypadMode.active && (
        <ScreenSpeech
          screenKey={`${id}|${language}|${journey.progress === null ? '' : JSON.stringify(journey.progress)}`}
        />
      )}
      {/* The tactile keypad's keys arrive from the services (keypad.key); a keyboard works too. */}
      <KeypadNavigator
        screenKey={`${id}|${language}`}
        idle={screen.name === 'idle'}
        subscribe={(onKey) =>
          client.on('keypad.key', ({ key }) => {
            // A key of the tactile keypad is the resident's touch: no DOM event tells the inactivity timer.
            touch();
            onKey(key);
          })
        }
        listenPrivately={async (on) => {
          const answer = await client.call('audio.privateListening', { on });
          return answer.ok && answer.value.speakerMuted;
        }}
      />
      {secondsLeft !== null && (
        <TimeoutDialog
          secondsLeft={secondsLeft}
          onContinue={() => {
            report('timeout-extend');
            extend();
          }}
        />
      )}
    </I18nContext.Provider>
  );
}
