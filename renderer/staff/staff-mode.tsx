import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { KioskInfo } from '../../electron/api/contract';
import type { SetupStatus, StaffRoleView } from '../../electron/api/staff-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { Language } from '../../kiosk-config/config-schema';
import type { KioskClient } from '../api/kiosk-client';
import { I18nContext, makeI18n, useI18n } from '../i18n/i18n';
import { AskStaffContext, type AskStaff } from './ask-staff';
import { addTap, inCorner } from './corner-gesture';
import { FirstStartSetup } from './first-start-setup';
import { PinScreen } from './pin-screen';
import { StaffHome } from './staff-home';
import { TechnicianConsole } from './technician-console';
import './staff.css';

/**
 * A fresh page after staff leave, so nothing of their session stays in memory. The sign-out answer
 * and the service's `staff.changed` event both ask for it; only the first one reloads.
 */
let reloading = false;
function reloadOnce(): void {
  if (reloading) return;
  reloading = true;
  location.reload();
}

/**
 * Wraps the resident app. Five taps in the top-left corner open the PIN pad over the resident
 * screens; the PIN opens staff mode or the technician console in their place (they are unmounted
 * and the resident session ended, so nothing of a resident stays). Leaving — by the button, by the service side's inactivity
 * timeout, or by handing the screen to a resident — reloads the page, so settings a technician
 * changed take effect and no staff view lingers in memory.
 */
type Mode = 'resident' | 'pin' | StaffRoleView;

export function StaffMode({
  client,
  info,
  catalogue,
  children,
}: {
  client: KioskClient;
  info: KioskInfo;
  catalogue: Catalogue;
  children: ComponentChildren;
}) {
  const [mode, setMode] = useState<Mode>('resident');
  // While set, the PIN pad is open for a resident screen's confirmation (AskStaffContext), not for staff mode.
  const [witness, setWitness] = useState<{ onSignedIn: () => void } | null>(null);
  const askStaff = useCallback<AskStaff>((onSignedIn) => setWitness({ onSignedIn }), []);
  // A fresh terminal (no PINs yet) shows the technician's first-start setup, never the resident screens.
  const [setup, setSetup] = useState<SetupStatus | 'checking' | 'done'>('checking');
  useEffect(() => {
    void client
      .call('setup.status', {})
      .then((answer) => setSetup(answer.ok && answer.value.needed ? answer.value : 'done'));
  }, [client]);
  const [assisting, setAssisting] = useState(false);
  const [language, setLanguage] = useState<Language>(info.defaultLanguage);
  const i18n = useMemo(() => makeI18n(language), [language]);
  const taps = useRef<number[]>([]);
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const witnessOpen = useRef(false);
  witnessOpen.current = witness !== null;

  const refresh = useCallback(() => {
    void client.call('staff.status', {}).then((status) => {
      // Unavailable: the banner stays as it was until the next refresh.
      if (!status.ok) return;
      setAssisting(status.value.assisting);
    });
  }, [client]);
  useEffect(refresh, [refresh]);
  // An assisted application ends with the resident's session: the banner goes with it.
  useEffect(() => client.on('session.ended', refresh), [client, refresh]);
  useEffect(
    () =>
      client.on('staff.changed', (event) => {
        if (event.role === null && (modeRef.current === 'staff' || modeRef.current === 'technician')) reloadOnce();
      }),
    [client],
  );

  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      // Taps on the pad confirming a mark are staff typing a PIN, not the corner gesture.
      if (modeRef.current !== 'resident' || witnessOpen.current || !inCorner(event.clientX, event.clientY)) return;
      const next = addTap(taps.current, event.timeStamp);
      taps.current = next.taps;
      if (!next.complete) return;
      setMode('pin');
    };
    document.addEventListener('pointerdown', onPointer, true);
    return () => document.removeEventListener('pointerdown', onPointer, true);
  }, [client]);

  const signedIn = useCallback(
    (role: StaffRoleView) => {
      // Whoever was at the screen is gone once staff take it over.
      void client.call('session.end', { reason: 'cancelled' });
      refresh();
      setMode(role);
    },
    [refresh],
  );
  const backToResident = useCallback(() => setMode('resident'), []);
  const witnessSignedIn = useCallback(() => {
    const asked = witness;
    setWitness(null);
    asked?.onSignedIn();
  }, [witness]);
  const witnessCancelled = useCallback(() => setWitness(null), []);
  const signOut = () => {
    // Whatever it answers, the page starts fresh: the service side ends the session on inactivity anyway.
    void client.call('staff.signOut', {}).then(reloadOnce);
  };
  const nextLanguage = () =>
    setLanguage(
      (current) =>
        info.languages[(info.languages.indexOf(current) + 1) % info.languages.length] ?? info.defaultLanguage,
    );

  if (setup === 'checking') return null;
  if (setup !== 'done' && (mode === 'resident' || mode === 'pin'))
    return (
      <I18nContext.Provider value={i18n}>
        <FirstStartSetup
          client={client}
          status={setup}
          onDone={() => {
            setSetup('done');
            signedIn('technician');
          }}
        />
      </I18nContext.Provider>
    );
  if (mode === 'staff' || mode === 'technician') {
    return (
      <I18nContext.Provider value={i18n}>
        {mode === 'staff' ? (
          <StaffHome client={client} catalogue={catalogue} onLanguage={nextLanguage} onSignOut={signOut} />
        ) : (
          <TechnicianConsole client={client} onLanguage={nextLanguage} onSignOut={signOut} />
        )}
      </I18nContext.Provider>
    );
  }
  // The same tree whether the PIN pad or the assistance banner shows, so the resident screens stay
  // mounted: a resident who tapped the corner by chance cancels the pad and carries on. Under the
  // pad they are inert, out of reach of touch and screen readers.
  return (
    <>
      {mode === 'pin' && (
        <I18nContext.Provider value={i18n}>
          <PinScreen client={client} onSignedIn={signedIn} onCancel={backToResident} />
        </I18nContext.Provider>
      )}
      {mode === 'resident' && witness !== null && (
        <I18nContext.Provider value={i18n}>
          <PinScreen client={client} purpose="witness" onSignedIn={witnessSignedIn} onCancel={witnessCancelled} />
        </I18nContext.Provider>
      )}
      <div class={assisting ? 'assist-frame' : 'staff-underlay'} inert={mode === 'pin' || witness !== null}>
        {assisting && (
          <I18nContext.Provider value={i18n}>
            <AssistBanner onCancel={() => void client.call('staff.assist.cancel', {}).then(refresh)} />
          </I18nContext.Provider>
        )}
        <AskStaffContext.Provider value={askStaff}>{children}</AskStaffContext.Provider>
      </div>
    </>
  );
}

function AssistBanner({ onCancel }: { onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div class="assist-banner" role="status" data-testid="assist-banner">
      <span>{t('staff.assist.banner')}</span>
      <button type="button" data-testid="assist-cancel" onClick={onCancel}>
        {t('staff.assist.cancel')}
      </button>
    </div>
  );
}
