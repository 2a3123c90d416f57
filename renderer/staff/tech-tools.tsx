import { useEffect, useState } from 'preact/hooks';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { NumericKeypad } from '../components/inputs/numeric-keypad';
import { useI18n, type Translate } from '../i18n/i18n';
import { Outcome } from './staff-frame';
import { LoadFailure, staffRefusalText } from './staff-failures';
import { useStaffCall } from './use-staff-call';

/**
 * The technician's other tools: enrolment with the platform and the key fingerprint, recent logs,
 * the diagnostic bundle, the audit log with its verification, PINs and staff cards.
 */
type Result = { ok: boolean; text: string } | null;

function enrolFailureText(failure: CallFailure<'tech.enrol'>, t: Translate): string {
  switch (failure.kind) {
    case 'invalid-url':
      return t('tech.enrol.invalidUrl');
    case 'refused':
      return t('tech.enrol.refused', { status: failure.status, detail: failure.detail });
    case 'unreachable':
      return t('tech.enrol.unreachable', { detail: failure.detail });
    case 'queue-not-empty':
      return t('tech.enrol.queueNotEmpty', { waiting: failure.waiting });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

export function EnrolView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'tech.identity', {});
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<Result>(null);
  const enrol = async () => {
    const result = await client.call('tech.enrol', { platformUrl: url, code });
    setOutcome(
      result.ok ? { ok: true, text: t('tech.enrol.done') } : { ok: false, text: enrolFailureText(result.error, t) },
    );
    reload();
  };
  const data = loaded.status === 'loaded' ? loaded.data : null;
  return (
    <section class="staff-section" aria-label={t('tech.tab.enrol')}>
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      {data !== null && (
        <dl class="card-summary">
          <dt>{t('tech.enrol.terminal')}</dt>
          <dd>{data.terminalId}</dd>
          <dt>{t('tech.enrol.fingerprint')}</dt>
          <dd class="fingerprint" data-testid="enrol-fingerprint">
            {data.fingerprint}
          </dd>
          <dt>{t('tech.enrol.platform')}</dt>
          <dd>{data.platformUrl}</dd>
          <dt>{t('tech.enrol.enrolledAt')}</dt>
          <dd data-testid="enrol-status">
            {data.enrolledAt === null
              ? t('tech.enrol.notYet')
              : new Date(data.enrolledAt).toLocaleString('zh-CN', { hour12: false })}
          </dd>
        </dl>
      )}
      <label class="field">
        {t('tech.enrol.url')}
        <input
          type="text"
          data-testid="enrol-url"
          value={url}
          placeholder={data?.platformUrl ?? ''}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </label>
      <label class="field">
        {t('tech.enrol.code')}
        <input type="text" data-testid="enrol-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <div class="button-row">
        <button
          type="button"
          class="primary"
          data-testid="enrol-submit"
          disabled={code.trim().length < 4}
          onClick={() => void enrol()}
        >
          {t('tech.enrol.submit')}
        </button>
      </div>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="enrol-outcome" />}
    </section>
  );
}

export function LogsView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const [source, setSource] = useState<string | undefined>(undefined);
  const { loaded, reload } = useStaffCall(client, 'tech.logs', source === undefined ? {} : { source }, source ?? '');
  const data = loaded.status === 'loaded' ? loaded.data : null;
  return (
    <section class="staff-section" aria-label={t('tech.tab.logs')}>
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      <div class="button-row compact" role="group" aria-label={t('tech.logs.filter')}>
        <button type="button" class="choice" aria-pressed={source === undefined} onClick={() => setSource(undefined)}>
          {t('tech.logs.all')}
        </button>
        {(data?.sources ?? []).map((s) => (
          <button
            type="button"
            key={s}
            class="choice"
            aria-pressed={source === s}
            data-testid={`logs-source-${s}`}
            onClick={() => setSource(s)}
          >
            {s}
          </button>
        ))}
        <button type="button" onClick={reload}>
          {t('staff.refresh')}
        </button>
      </div>
      <ol class="log-lines" data-testid="log-lines">
        {[...(data?.lines ?? [])].reverse().map((line, i) => (
          <li key={`${line.at}-${i}`} class={`log-${line.level}`}>
            <span class="log-time">{line.at.slice(11, 19)}</span> <span class="log-level">{line.level}</span>{' '}
            <span class="log-source">{line.source}</span> {line.message}{' '}
            <span class="log-fields">
              {Object.entries(line.fields)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function DiagnosticsView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { loaded } = useStaffCall(client, 'tech.diagnostics.targets', {});
  const [outcome, setOutcome] = useState<Result>(null);
  const exported = async (to: { to: 'folder'; folder: string } | { to: 'download' }) => {
    const result = await client.call('tech.diagnostics.export', to);
    if (!result.ok) return setOutcome({ ok: false, text: exportFailureText(result.error, t) });
    const bundle = result.value;
    switch (bundle.to) {
      case 'folder':
        return setOutcome({ ok: true, text: t('tech.diagnostics.written', { path: bundle.path }) });
      case 'download': {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([bundle.bundleJson], { type: 'application/json' }));
        link.download = bundle.name;
        link.click();
        URL.revokeObjectURL(link.href);
        return setOutcome({ ok: true, text: t('tech.diagnostics.downloaded', { name: bundle.name }) });
      }
    }
  };
  const data = loaded.status === 'loaded' ? loaded.data : null;
  return (
    <section class="staff-section" aria-label={t('tech.tab.diagnostics')}>
      <p class="instruction">{t('tech.diagnostics.explain')}</p>
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      <ul class="staff-list">
        {(data?.folders ?? []).map((folder) => (
          <li key={folder}>
            <button
              type="button"
              class="choice"
              data-testid="diagnostics-folder"
              data-folder={folder}
              onClick={() => void exported({ to: 'folder', folder })}
            >
              {t('tech.diagnostics.toFolder', { folder })}
            </button>
          </li>
        ))}
      </ul>
      <div class="button-row">
        <button type="button" data-testid="diagnostics-download" onClick={() => void exported({ to: 'download' })}>
          {t('tech.diagnostics.download')}
        </button>
      </div>
      <p class="instruction">{t('tech.diagnostics.cli')}</p>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="diagnostics-outcome" />}
    </section>
  );
}

function exportFailureText(failure: CallFailure<'tech.diagnostics.export'>, t: Translate): string {
  switch (failure.kind) {
    case 'folder-not-offered':
      return t('tech.diagnostics.folderNotOffered');
    case 'not-written':
      return t('tech.diagnostics.notWritten', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

export function AuditView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'tech.audit', { limit: 100 });
  const data = loaded.status === 'loaded' ? loaded.data : null;
  return (
    <section class="staff-section" aria-label={t('tech.tab.audit')}>
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      <div class="button-row">
        <button type="button" class="primary" data-testid="audit-verify" onClick={reload}>
          {t('tech.audit.verify')}
        </button>
      </div>
      {data !== null &&
        (data.verdict.ok ? (
          <Outcome ok text={t('tech.audit.ok', { rows: data.verdict.rows })} testId="audit-verdict" />
        ) : (
          <Outcome
            ok={false}
            text={t('tech.audit.broken', { seq: data.verdict.firstBadSeq, reason: data.verdict.reason })}
            testId="audit-verdict"
          />
        ))}
      <table class="staff-table audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('tech.audit.when')}</th>
            <th scope="col">{t('tech.audit.who')}</th>
            <th scope="col">{t('tech.audit.what')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.rows ?? []).map((row) => (
            <tr key={row.seq} data-testid="audit-row" data-action={row.action}>
              <td>{row.seq}</td>
              <td>{new Date(row.at).toLocaleString('zh-CN', { hour12: false })}</td>
              <td>{row.actor}</td>
              <td>
                {row.action} <span class="log-fields">{row.details === '{}' ? '' : row.details}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AccessView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const [role, setRole] = useState<'staff' | 'technician'>('staff');
  const [pin, setPin] = useState('');
  const [staffId, setStaffId] = useState('');
  const [outcome, setOutcome] = useState<Result>(null);
  const { loaded, reload } = useStaffCall(client, 'tech.cards', {});
  const cards = loaded.status === 'loaded' ? loaded.data : null;
  // While a card registration waits, look for its outcome.
  useEffect(() => {
    if (cards?.outcome !== 'waiting') return;
    const timer = setTimeout(reload, 1000);
    return () => clearTimeout(timer);
  }, [cards, reload]);
  const setNewPin = async () => {
    const result = await client.call('tech.pin.set', { role, pin });
    setPin('');
    setOutcome(
      result.ok
        ? { ok: true, text: t('tech.access.pinChanged', { role: t(`tech.access.role.${role}`) }) }
        : { ok: false, text: accessFailureText(result.error, t) },
    );
  };
  const register = async () => {
    const result = await client.call('tech.cards.register', { staffId });
    setOutcome(
      result.ok
        ? { ok: true, text: t('tech.access.swipe', { staffId }) }
        : { ok: false, text: accessFailureText(result.error, t) },
    );
    reload();
  };
  const remove = async (id: string) => {
    const result = await client.call('tech.cards.remove', { staffId: id });
    setOutcome(
      result.ok
        ? { ok: true, text: t('tech.access.removed', { staffId: id }) }
        : { ok: false, text: accessFailureText(result.error, t) },
    );
    reload();
  };
  return (
    <section class="staff-section" aria-label={t('tech.tab.access')}>
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="access-outcome" />}
      <div class="notice-section">
        <h2>{t('tech.access.pinTitle')}</h2>
        <div class="button-row compact">
          {(['staff', 'technician'] as const).map((r) => (
            <button type="button" key={r} class="choice" aria-pressed={role === r} onClick={() => setRole(r)}>
              {t(`tech.access.role.${r}`)}
            </button>
          ))}
        </div>
        <div class="entry pin-entry">{pin === '' ? t('staff.pin.placeholder') : '●'.repeat(pin.length)}</div>
        <NumericKeypad value={pin} onChange={setPin} maxLength={8} />
        <button
          type="button"
          class="primary"
          data-testid="access-pin-set"
          disabled={pin.length < 4}
          onClick={() => void setNewPin()}
        >
          {t('tech.access.setPin')}
        </button>
      </div>
      <div class="notice-section">
        <h2>{t('tech.access.cardsTitle')}</h2>
        <label class="field">
          {t('tech.access.staffId')}
          <input
            type="text"
            data-testid="access-staff-id"
            value={staffId}
            onInput={(e) => setStaffId(e.currentTarget.value)}
          />
        </label>
        <button
          type="button"
          data-testid="access-register"
          disabled={staffId.trim() === ''}
          onClick={() => void register()}
        >
          {t('tech.access.register')}
        </button>
        {cards !== null && cards.outcome !== 'none' && <p role="status">{t(`tech.access.outcome.${cards.outcome}`)}</p>}
        <ul class="staff-list">
          {(cards?.cards ?? []).map((card) => (
            <li key={card.staffId}>
              {card.staffId} · {new Date(card.registeredAt).toLocaleDateString('zh-CN')}{' '}
              <button type="button" onClick={() => void remove(card.staffId)}>
                {t('tech.access.remove')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function accessFailureText(
  failure: CallFailure<'tech.pin.set'> | CallFailure<'tech.cards.register'> | CallFailure<'tech.cards.remove'>,
  t: Translate,
): string {
  switch (failure.kind) {
    case 'pin-format':
      return t('tech.access.pinFormat');
    case 'pins-must-differ':
      return t('tech.access.pinsMustDiffer');
    case 'staff-id-format':
      return t('tech.access.staffIdFormat');
    case 'no-such-card':
      return t('tech.access.noSuchCard');
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}
