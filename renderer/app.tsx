import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { KioskInfo } from '../electron/api/contract';
import type { Catalogue } from '../kiosk-config/catalogue-schema';
import type { Language } from '../kiosk-config/config-schema';
import type { KioskClient } from './api/kiosk-client';
import { Chrome } from './components/chrome';
import { TimeoutDialog } from './components/timeout-dialog';
import { I18nContext, makeI18n } from './i18n/i18n';
import { CategoriesScreen } from './screens/categories-screen';
import { IdleScreen } from './screens/idle-screen';
import { NoticeScreen } from './screens/notice-screen';
import { ServicesScreen } from './screens/services-screen';
import { currentScreen, initialNavigation, navigate, screenId } from './state/navigation';
import { useInactivity } from './state/use-inactivity';

/**
 * The resident-facing app. Per-person state lives in `Person`; wiping replaces it wholesale, and
 * the `personKey` remount drops every component's local state too.
 */
export function App({ client, info, catalogue }: { client: KioskClient; info: KioskInfo; catalogue: Catalogue }) {
  const [personKey, setPersonKey] = useState(0);
  const sessionId = useRef<string | null>(null);
  const wipe = useCallback(
    (reason: 'timeout' | 'finished' | 'cancelled') => {
      if (sessionId.current !== null) void client.call('session.end', { reason }).catch(() => undefined);
      sessionId.current = null;
      setPersonKey((k) => k + 1);
    },
    [client],
  );
  // The service side may end our session (staff, a new card); other sessions' ends are not ours.
  useEffect(
    () =>
      client.on('session.ended', (event) => {
        if (event.sessionId !== sessionId.current) return;
        sessionId.current = null;
        setPersonKey((k) => k + 1);
      }),
    [client],
  );
  const startSession = useCallback(() => {
    void client.call('session.start', {}).then(
      (started) => (sessionId.current = started.sessionId),
      () => undefined,
    );
  }, [client]);
  return <Person key={personKey} client={client} info={info} catalogue={catalogue} onWipe={wipe} onStart={startSession} />;
}

interface PersonProps {
  readonly client: KioskClient;
  readonly info: KioskInfo;
  readonly catalogue: Catalogue;
  readonly onWipe: (reason: 'timeout' | 'finished' | 'cancelled') => void;
  readonly onStart: () => void;
}

function Person({ client, info, catalogue, onWipe, onStart }: PersonProps) {
  const [nav, dispatch] = useReducer(navigate, initialNavigation);
  const [language, setLanguage] = useState<Language>(info.defaultLanguage);
  const [largeText, setLargeText] = useState(info.largeTextByDefault);
  const [staffCalled, setStaffCalled] = useState(false);
  const i18n = useMemo(() => makeI18n(language), [language]);
  const screen = currentScreen(nav);
  const id = screenId(screen);

  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.classList.toggle('large-text', largeText);
  }, [language, largeText]);
  useEffect(() => {
    void client.call('ui.report', { action: 'navigate', screen: id }).catch(() => undefined);
  }, [client, id]);

  const { secondsLeft, extend } = useInactivity({
    active: screen.name !== 'idle',
    timeoutSeconds: info.idleTimeoutSeconds,
    warningSeconds: info.idleWarningSeconds,
    onExpire: () => onWipe('timeout'),
    onWarn: () => void client.call('ui.report', { action: 'timeout-warning', screen: id }).catch(() => undefined),
  });

  const start = () => {
    onStart();
    dispatch({ type: 'push', screen: { name: 'categories' } });
  };

  let body;
  switch (screen.name) {
    case 'idle':
      body = <IdleScreen catalogue={catalogue} terminalName={info.terminalName} onStart={start} />;
      break;
    case 'categories':
      body = <CategoriesScreen catalogue={catalogue} onChoose={(categoryId) => dispatch({ type: 'push', screen: { name: 'services', categoryId } })} />;
      break;
    case 'services':
      body = <ServicesScreen catalogue={catalogue} categoryId={screen.categoryId} onChoose={(serviceCode) => dispatch({ type: 'push', screen: { name: 'notice', serviceCode } })} />;
      break;
    case 'notice': {
      const service = catalogue.services.find((s) => s.code === screen.serviceCode);
      body = service === undefined ? null : <NoticeScreen service={service} onStart={() => undefined} />;
      break;
    }
  }

  const report = (action: 'language' | 'large-text' | 'call-staff') => void client.call('ui.report', { action, screen: id }).catch(() => undefined);
  return (
    <I18nContext.Provider value={i18n}>
      <Chrome
        screenId={id}
        placeName={info.servicePointName}
        largeText={largeText}
        staffCalled={staffCalled}
        navigation={screen.name !== 'idle'}
        onBack={() => dispatch({ type: 'back' })}
        onHome={() => onWipe('cancelled')}
        onLanguage={() => {
          report('language');
          const index = info.languages.indexOf(language);
          setLanguage(info.languages[(index + 1) % info.languages.length] ?? info.defaultLanguage);
        }}
        onLargeText={() => {
          report('large-text');
          setLargeText((on) => !on);
        }}
        onCallStaff={() => {
          report('call-staff');
          setStaffCalled(true);
        }}
      >
        {body}
      </Chrome>
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
