import { useEffect, useState } from 'preact/hooks';
import type { KioskClient } from '../api/kiosk-client';
import { NumericKeypad } from '../components/inputs/numeric-keypad';
import { useI18n } from '../i18n/i18n';
import type { StaffRoleView } from '../../electron/api/staff-contract';

/**
 * The PIN pad behind the corner gesture. The PIN decides the mode (staff or technician); a staff
 * member's registered ID card works too while this screen is open. Wrong tries and the lock-out
 * are told plainly, with the seconds left.
 *
 * The same pad signs staff in at a resident's screen to confirm a mark (不会写字, `purpose`
 * 'witness'): there the PIN alone, since a card read during a resident's session is always the
 * resident's (staff.awaitCard refuses).
 */
const padIdleMs = 60_000;

/** What the pad opens for: staff mode (corner gesture) or confirming a resident's mark on the spot. */
export type PinPurpose = 'sign-in' | 'witness';

type Problem =
  { kind: 'wrong-pin'; triesBeforeLock: number } | { kind: 'locked' } | { kind: 'unknown-card' } | { kind: 'error' };

export function PinScreen({
  client,
  onSignedIn,
  onCancel,
  purpose = 'sign-in',
}: {
  client: KioskClient;
  onSignedIn: (role: StaffRoleView) => void;
  onCancel: () => void;
  purpose?: PinPurpose;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [lockedSeconds, setLockedSeconds] = useState(0);
  const [busy, setBusy] = useState(false);

  // While the pad is open, a registered staff card signs in too.
  useEffect(() => {
    if (purpose === 'witness') return;
    let alive = true;
    void client.call('staff.awaitCard', {});
    const check = () =>
      void client.call('staff.status', {}).then((answer) => {
        // Unavailable: the next poll asks again.
        if (!alive || !answer.ok) return;
        const status = answer.value;
        // Only a card read for this pad counts; a session someone else left open does not.
        if (status.role !== null && status.cardOutcome === 'signed-in') onSignedIn(status.role);
        else if (status.cardOutcome === 'unknown-card') setProblem({ kind: 'unknown-card' });
        setLockedSeconds(status.lockedSeconds);
      });
    // At once, so a lock-out in force shows before the first try.
    check();
    const poll = setInterval(check, 1000);
    return () => {
      alive = false;
      clearInterval(poll);
      // Closed: a card read from now on is a resident's again, not a refused staff card.
      void client.call('staff.cancelAwaitCard', {});
    };
  }, [client, onSignedIn, purpose]);

  // A PIN pad left open would lock residents out: it closes after a minute without a tap.
  useEffect(() => {
    const timer = setTimeout(onCancel, padIdleMs);
    return () => clearTimeout(timer);
  }, [pin, problem, onCancel]);

  useEffect(() => {
    if (lockedSeconds <= 0) return;
    const timer = setTimeout(() => setLockedSeconds((s) => Math.max(0, s - 1)), 1000);
    return () => clearTimeout(timer);
  }, [lockedSeconds]);

  const submit = async () => {
    setBusy(true);
    const result = await client.call('staff.signIn', { pin });
    setBusy(false);
    setPin('');
    if (result.ok) {
      onSignedIn(result.value.role);
      return;
    }
    const failure = result.error;
    switch (failure.kind) {
      case 'wrong-pin':
        setLockedSeconds(failure.lockedSeconds);
        return setProblem({ kind: 'wrong-pin', triesBeforeLock: failure.triesBeforeLock });
      case 'locked':
        setLockedSeconds(failure.lockedSeconds);
        return setProblem({ kind: 'locked' });
      case 'unavailable':
        return setProblem({ kind: 'error' });
    }
  };

  const locked = lockedSeconds > 0;
  let message: string | null = null;
  if (locked) message = t('staff.pin.locked', { seconds: lockedSeconds });
  else if (problem?.kind === 'wrong-pin')
    message =
      problem.triesBeforeLock > 0 ? t('staff.pin.wrong', { tries: problem.triesBeforeLock }) : t('staff.pin.wrongLast');
  else if (problem?.kind === 'unknown-card') message = t('staff.pin.unknownCard');
  else if (problem?.kind === 'error') message = t('staff.pin.error');

  return (
    <div
      class="screen staff-screen pin-overlay"
      data-screen="staff-pin"
      role="dialog"
      aria-modal="true"
      aria-labelledby="pin-title"
    >
      <main class="content pin-content">
        <h1 id="pin-title" data-speak>
          {t(purpose === 'witness' ? 'signature.witnessTitle' : 'staff.pin.title')}
        </h1>
        <p class="instruction" data-speak>
          {t(purpose === 'witness' ? 'signature.witnessInstruction' : 'staff.pin.instruction')}
        </p>
        <div class="entry pin-entry" data-testid="pin-entry" aria-label={t('staff.pin.entered', { count: pin.length })}>
          {pin.length === 0 ? <span class="placeholder">{t('staff.pin.placeholder')}</span> : '●'.repeat(pin.length)}
        </div>
        {message !== null && (
          <p class="field-error" role="alert" data-testid="pin-message">
            {message}
          </p>
        )}
        <NumericKeypad value={pin} onChange={setPin} maxLength={8} />
        <div class="button-row">
          <button type="button" data-testid="pin-cancel" onClick={onCancel}>
            {t('staff.cancel')}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="pin-ok"
            disabled={pin.length < 4 || locked || busy}
            onClick={() => void submit()}
          >
            {t('staff.pin.ok')}
          </button>
        </div>
        {purpose === 'sign-in' && <p class="instruction">{t('staff.pin.card')}</p>}
      </main>
    </div>
  );
}
