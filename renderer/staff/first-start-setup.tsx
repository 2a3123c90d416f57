import { invalidSettingsText } from './settings-refusal';
import { useState } from 'preact/hooks';
import type { CallFailure } from '../api/kiosk-client';
import type { KioskClient } from '../api/kiosk-client';
import type { SetupStatus } from '../../electron/api/staff-contract';
import { useI18n, type Translate } from '../i18n/i18n';
import { Outcome } from './staff-frame';

/**
 * The first-start setup (shown instead of the resident screen while the terminal has no PINs): the
 * site, enrolment at a remote platform with its one-time code, and both PINs. Done, the technician
 * is signed in and continues in the console: assign devices, self-test (a test receipt).
 */
function setupFailureText(failure: CallFailure<'setup.complete'>, t: Translate): string {
  switch (failure.kind) {
    case 'already-provisioned':
      return t('setup.failure.alreadyProvisioned');
    case 'name-format':
      return t('setup.failure.nameFormat');
    case 'code-needed':
      return t('setup.failure.codeNeeded');
    case 'pin-format':
      return t('tech.access.pinFormat');
    case 'pins-must-differ':
      return t('tech.access.pinsMustDiffer');
    case 'invalid-url':
      return t('setup.failure.invalidUrl');
    case 'refused':
      return `${t('setup.failure.refused')} (HTTP ${failure.status}: ${failure.detail})`;
    case 'unreachable':
      return `${t('setup.failure.unreachable')} (${failure.detail})`;
    case 'queue-not-empty':
      return t('tech.enrol.queueNotEmpty', { waiting: failure.waiting });
    case 'enrol-first':
      return t('tech.config.enrolFirst');
    case 'invalid-settings':
      return invalidSettingsText(failure, t);
    case 'not-saved':
      return `${t('setup.failure.notSaved')} (${failure.detail})`;
    case 'unavailable':
      return t('setup.failure.unavailable');
  }
}

export function FirstStartSetup(props: {
  readonly client: KioskClient;
  readonly status: SetupStatus;
  readonly onDone: () => void;
}) {
  const { t } = useI18n();
  const { status } = props;
  const [terminalName, setTerminalName] = useState(status.terminalName);
  const [servicePointName, setServicePointName] = useState(status.servicePointName);
  const [platformUrl, setPlatformUrl] = useState(status.platform.mode === 'remote' ? status.platform.url : '');
  const [code, setCode] = useState('');
  const [staffPin, setStaffPin] = useState('');
  const [technicianPin, setTechnicianPin] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsCode = status.platform.mode === 'remote' && !status.platform.enrolled;

  const submit = async () => {
    setBusy(true);
    const done = await props.client.call('setup.complete', {
      terminalName,
      servicePointName,
      platformUrl,
      code,
      staffPin,
      technicianPin,
    });
    setBusy(false);
    if (done.ok) props.onDone();
    else setFailure(setupFailureText(done.error, t));
  };
  const field = (label: string, testId: string, value: string, set: (v: string) => void, secret = false) => (
    <label class="field">
      {label}
      <input
        type={secret ? 'password' : 'text'}
        inputMode={secret ? 'numeric' : undefined}
        autoComplete="off"
        data-testid={testId}
        value={value}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  );
  return (
    <div class="screen staff-screen" data-screen="first-start-setup">
      <header class="top-bar staff-bar">
        <h1 class="staff-title">{t('setup.title')}</h1>
      </header>
      <main class="content staff-content">
        <p class="instruction">{t('setup.explain')}</p>
        <section class="notice-section">
          <h2>{t('setup.siteTitle')}</h2>
          <p>
            {t('setup.terminalId')}: <strong data-testid="setup-terminal-id">{status.terminalId}</strong>
          </p>
          {field(t('setup.terminalName'), 'setup-terminal-name', terminalName, setTerminalName)}
          {field(t('setup.servicePointName'), 'setup-site', servicePointName, setServicePointName)}
        </section>
        {status.platform.mode === 'remote' && (
          <section class="notice-section">
            <h2>{t('setup.enrolTitle')}</h2>
            <p>{status.platform.enrolled ? t('setup.enrolled') : t('setup.enrolExplain')}</p>
            {field(t('setup.platformUrl'), 'setup-platform-url', platformUrl, setPlatformUrl)}
            {field(t('setup.code'), 'setup-code', code, setCode)}
          </section>
        )}
        <section class="notice-section">
          <h2>{t('setup.pinsTitle')}</h2>
          {field(t('tech.access.role.staff'), 'setup-staff-pin', staffPin, setStaffPin, true)}
          {field(t('tech.access.role.technician'), 'setup-technician-pin', technicianPin, setTechnicianPin, true)}
          <p class="instruction">{t('setup.pinsExplain')}</p>
        </section>
        <button
          type="button"
          class="primary"
          data-testid="setup-complete"
          disabled={busy || staffPin.length < 4 || technicianPin.length < 4 || (needsCode && code.trim() === '')}
          onClick={() => void submit()}
        >
          {t('setup.complete')}
        </button>
        {failure !== null && <Outcome ok={false} text={failure} testId="setup-outcome" />}
      </main>
    </div>
  );
}
