import { useEffect, useState } from 'preact/hooks';
import type { KioskClient } from '../api/kiosk-client';
import { NumericKeypad } from '../components/inputs/numeric-keypad';
import { useI18n } from '../i18n/i18n';
import { Outcome } from './staff-frame';
import { useStaffCall } from './use-staff-call';

/**
 * The technician's other tools: enrolment with the platform and the key fingerprint, recent logs,
 * the diagnostic bundle, the audit log with its verification, PINs and staff cards.
 */
type Result = { ok: boolean; text: string } | null;

export function EnrolView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { data, reload } = useStaffCall(client, 'tech.identity', {});
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<Result>(null);
  const enrol = async () => {
    try {
      const result = await client.call('tech.enrol', { platformUrl: url, code });
      setOutcome({ ok: result.ok, text: result.ok ? t('tech.enrol.done') : result.message });
      reload();
    } catch {
      setOutcome({ ok: false, text: t('tech.enrol.codeNeeded') });
    }
  };
  return (
    <section class="staff-section" aria-label={t('tech.tab.enrol')}>
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
  const { data, reload } = useStaffCall(client, 'tech.logs', source === undefined ? {} : { source }, source ?? '');
  return (
    <section class="staff-section" aria-label={t('tech.tab.logs')}>
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
  const { data } = useStaffCall(client, 'tech.diagnostics.targets', {});
  const [outcome, setOutcome] = useState<Result>(null);
  const toFolder = async (folder: string) => {
    const result = await client.call('tech.diagnostics.export', { to: 'folder', folder }).catch(() => null);
    setOutcome(
      result === null
        ? { ok: false, text: t('staff.loadFailed') }
        : {
            ok: result.ok,
            text: result.ok ? t('tech.diagnostics.written', { path: result.path ?? '' }) : result.message,
          },
    );
  };
  const download = async () => {
    const result = await client.call('tech.diagnostics.export', { to: 'download' }).catch(() => null);
    if (result === null || result.bundleJson === null) return setOutcome({ ok: false, text: t('staff.loadFailed') });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.bundleJson], { type: 'application/json' }));
    link.download = result.message;
    link.click();
    URL.revokeObjectURL(link.href);
    setOutcome({ ok: true, text: t('tech.diagnostics.downloaded', { name: result.message }) });
  };
  return (
    <section class="staff-section" aria-label={t('tech.tab.diagnostics')}>
      <p class="instruction">{t('tech.diagnostics.explain')}</p>
      <ul class="staff-list">
        {(data?.folders ?? []).map((folder) => (
          <li key={folder}>
            <button
              type="button"
              class="choice"
              data-testid="diagnostics-folder"
              data-folder={folder}
              onClick={() => void toFolder(folder)}
            >
              {t('tech.diagnostics.toFolder', { folder })}
            </button>
          </li>
        ))}
      </ul>
      <div class="button-row">
        <button type="button" data-testid="diagnostics-download" onClick={() => void download()}>
          {t('tech.diagnostics.download')}
        </button>
      </div>
      <p class="instruction">{t('tech.diagnostics.cli')}</p>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="diagnostics-outcome" />}
    </section>
  );
}

export function AuditView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { data, reload } = useStaffCall(client, 'tech.audit', { limit: 100 });
  return (
    <section class="staff-section" aria-label={t('tech.tab.audit')}>
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
  const { data: cards, reload } = useStaffCall(client, 'tech.cards', {});
  // While a card registration waits, look for its outcome.
  useEffect(() => {
    if (cards?.outcome !== 'waiting') return;
    const timer = setTimeout(reload, 1000);
    return () => clearTimeout(timer);
  }, [cards, reload]);
  const setNewPin = async () => {
    const result = await client
      .call('tech.pin.set', { role, pin })
      .catch(() => ({ ok: false, message: t('staff.loadFailed') }));
    setPin('');
    setOutcome({
      ok: result.ok,
      text: result.ok ? t('tech.access.pinChanged', { role: t(`tech.access.role.${role}`) }) : result.message,
    });
  };
  const register = async () => {
    const result = await client
      .call('tech.cards.register', { staffId })
      .catch(() => ({ ok: false, message: t('staff.loadFailed') }));
    setOutcome({ ok: result.ok, text: result.ok ? t('tech.access.swipe', { staffId }) : result.message });
    reload();
  };
  return (
    <section class="staff-section" aria-label={t('tech.tab.access')}>
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
              <button
                type="button"
                onClick={() =>
                  void client
                    .call('tech.cards.remove', { staffId: card.staffId })
                    .catch(() => undefined)
                    .then(reload)
                }
              >
                {t('tech.access.remove')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
