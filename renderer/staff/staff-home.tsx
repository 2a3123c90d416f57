import { useState } from 'preact/hooks';
import { terminalTimeZone } from '../../foundation/local-time';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { QueueItem, StaffHealth } from '../../electron/api/staff-contract';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-zh';
import { FailedPrintsView } from './failed-prints-view';
import { Outcome, StaffFrame } from './staff-frame';
import { staffRefusalText, WhenLoaded } from './staff-failures';
import { QueueRefusal } from './queue-refusal';
import { a4StatusLine } from './a4-printer-words';
import { useStaffCall } from './use-staff-call';

/**
 * Staff mode: help a resident (帮办代办), the send queue with retry and reprint, device and
 * network health with plain next steps, and the day's summary. No personal data is shown here.
 */
type Tab = 'queue' | 'health' | 'summary';
const tabs: ReadonlyArray<{ id: Tab; label: MessageKey }> = [
  { id: 'queue', label: 'staff.tab.queue' },
  { id: 'health', label: 'staff.tab.health' },
  { id: 'summary', label: 'staff.tab.summary' },
];

export interface StaffHomeProps {
  readonly client: KioskClient;
  readonly catalogue: Catalogue;
  readonly onLanguage: () => void;
  readonly onSignOut: () => void;
}

export function StaffHome(props: StaffHomeProps) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('queue');
  const [assistFailed, setAssistFailed] = useState<string | null>(null);
  // Once staff hand over, staff mode ends (staff.changed); a refusal stays on this screen, in words.
  const assist = async () => {
    const started = await props.client.call('staff.assist.start', {});
    setAssistFailed(started.ok ? null : staffRefusalText(started.error, t));
  };
  return (
    <StaffFrame
      screenId={`staff-${tab}`}
      title="staff.title"
      tabs={tabs}
      tab={tab}
      onTab={setTab}
      onLanguage={props.onLanguage}
      onSignOut={props.onSignOut}
      notice={
        <div class="staff-notice">
          <button type="button" class="primary assist-button" data-testid="assist-start" onClick={() => void assist()}>
            {t('staff.assist.start')}
          </button>
          <p class="instruction">{t('staff.assist.explain')}</p>
          {assistFailed !== null && <Outcome ok={false} text={assistFailed} testId="assist-outcome" />}
        </div>
      }
    >
      {tab === 'queue' && <FailedPrintsView client={props.client} catalogue={props.catalogue} />}
      {tab === 'queue' && <QueueView client={props.client} catalogue={props.catalogue} />}
      {tab === 'health' && <HealthView client={props.client} />}
      {tab === 'summary' && <SummaryView client={props.client} catalogue={props.catalogue} />}
    </StaffFrame>
  );
}

function serviceName(
  catalogue: Catalogue,
  code: string,
  pick: (text: { 'zh-CN': string; en: string }) => string,
): string {
  const service = catalogue.services.find((s) => s.code === code);
  return service === undefined ? code : pick(service.name);
}

const localTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: terminalTimeZone, hour12: false });

function QueueView({ client, catalogue }: { client: KioskClient; catalogue: Catalogue }) {
  const { t, l } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'staff.queue', {});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const notDone = (failure: CallFailure<'staff.retry'> | CallFailure<'staff.reprint'>): string => {
    switch (failure.kind) {
      case 'not-found':
        return t('staff.queue.notFound');
      case 'not-allowed':
      case 'unavailable':
        return staffRefusalText(failure, t);
    }
  };
  const retry = async (item: QueueItem) => {
    const result = await client.call('staff.retry', { applicationId: item.applicationId });
    setOutcome(
      result.ok
        ? { ok: result.value.requeued > 0, text: t('staff.queue.retried', { number: item.localNumber }) }
        : { ok: false, text: notDone(result.error) },
    );
    reload();
  };
  const reprint = async (item: QueueItem) => {
    const result = await client.call('staff.reprint', { applicationId: item.applicationId });
    const number = t('staff.queue.reprinted', { number: item.localNumber });
    setOutcome(
      result.ok
        ? { ok: result.value.outcome === 'printed', text: `${number} ${t(`staff.print.${result.value.outcome}`)}` }
        : { ok: false, text: `${number} ${notDone(result.error)}` },
    );
    reload();
  };
  return (
    <WhenLoaded loaded={loaded}>
      {(data) => (
        <section class="staff-section" aria-label={t('staff.tab.queue')}>
          <div class="button-row">
            <button type="button" data-testid="queue-refresh" onClick={reload}>
              {t('staff.refresh')}
            </button>
          </div>
          {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="queue-outcome" />}
          {data.items.length === 0 && <p>{t('staff.queue.empty')}</p>}
          <ul class="staff-list">
            {data.items.map((item) => (
              <li
                key={item.applicationId}
                class={`queue-item state-${item.state}`}
                data-testid={`queue-${item.localNumber}`}
                data-state={item.state}
              >
                <div class="queue-head">
                  <strong class="number">{item.localNumber}</strong>
                  <span class="state-label">{t(`staff.queue.state.${item.state}`)}</span>
                </div>
                <div>
                  {serviceName(catalogue, item.serviceCode, l)} · {localTime(item.createdAt)}
                  {item.caseNumber !== null && ` · ${t('staff.queue.case', { number: item.caseNumber })}`}
                  {item.assisted && ` · ${t('staff.queue.assisted')}`}
                  {item.reprints > 0 && ` · ${t('staff.queue.reprints', { count: item.reprints })}`}
                </div>
                {(item.receipt === 'in-doubt' || item.receipt === 'not-printed') && (
                  <p class="field-error" data-testid="queue-receipt" data-receipt={item.receipt}>
                    {t(`staff.queue.receipt.${item.receipt}`)}
                  </p>
                )}
                <QueueRefusal item={item} catalogue={catalogue} />
                <div class="button-row">
                  {item.state !== 'submitted' && item.state !== 'sending' && (
                    <button type="button" class="primary" data-testid="queue-retry" onClick={() => void retry(item)}>
                      {t('staff.queue.retry')}
                    </button>
                  )}
                  <button type="button" data-testid="queue-reprint" onClick={() => void reprint(item)}>
                    {t('staff.queue.reprint')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </WhenLoaded>
  );
}

const knownStates = ['ready', 'busy', 'no-device', 'error', 'paper-near-end', 'paper-out', 'cover-open'] as const;
/** Device states in words; one the device manager adds later still shows, as its code. */
function deviceStateText(state: string, t: ReturnType<typeof useI18n>['t']): string {
  const known = knownStates.find((k) => k === state);
  return known === undefined ? state : t(`staff.state.${known}`);
}

const gigabytes = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

function HealthView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'staff.health', {});
  return (
    <WhenLoaded loaded={loaded}>
      {(health: StaffHealth) => (
        <section class="staff-section" aria-label={t('staff.tab.health')}>
          <div class="button-row">
            <button type="button" data-testid="health-refresh" onClick={reload}>
              {t('staff.refresh')}
            </button>
          </div>
          {health.problems.length === 0 ? (
            <p class="outcome ok" data-testid="health-ok">
              ✓ {t('staff.health.allGood')}
            </p>
          ) : (
            <ul class="staff-list problems" data-testid="health-problems">
              {health.problems.map((problem) => (
                <li key={problem} class="problem" data-problem={problem}>
                  <strong>{t(`staff.problem.${problem}`, { minutes: health.clockOffMinutes ?? '?' })}</strong>
                  <span>→ {t(`staff.nextStep.${problem}`)}</span>
                </li>
              ))}
            </ul>
          )}
          <dl class="card-summary health-facts">
            {health.devices.map((device) => (
              <>
                <dt key={`${device.role}-name`}>{t(`staff.device.${device.role}`)}</dt>
                <dd key={`${device.role}-state`} data-testid={`health-${device.role}`}>
                  {device.link.kind === 'none' ? t('staff.device.notAttached') : deviceStateText(device.state, t)}
                </dd>
              </>
            ))}
            <dt>{t('staff.device.a4Printer')}</dt>
            <dd data-testid="health-a4-printer">
              {health.a4Printer.link.kind === 'none'
                ? t('staff.device.notAttached')
                : a4StatusLine(health.a4Printer, t)}
            </dd>
            <dt>{t('staff.health.platform')}</dt>
            <dd data-testid="health-platform">
              {health.platform.reachable ? t('staff.health.reachable') : t('staff.health.unreachable')}
            </dd>
            <dt>{t('staff.health.lastSync')}</dt>
            <dd>{health.lastSync === null ? t('staff.health.never') : localTime(health.lastSync)}</dd>
            <dt>{t('staff.health.outbox')}</dt>
            <dd data-testid="health-outbox">
              {t('staff.health.outboxFigures', { depth: health.outbox.depth, failed: health.outbox.failed })}
            </dd>
            <dt>{t('staff.health.disk')}</dt>
            <dd>
              {health.disk === null
                ? '—'
                : t('staff.health.diskFigures', {
                    free: gigabytes(health.disk.freeBytes),
                    total: gigabytes(health.disk.totalBytes),
                  })}
            </dd>
          </dl>
        </section>
      )}
    </WhenLoaded>
  );
}

function SummaryView({ client, catalogue }: { client: KioskClient; catalogue: Catalogue }) {
  const { t, l } = useI18n();
  const { loaded } = useStaffCall(client, 'staff.summary', {});
  const [printed, setPrinted] = useState<{ ok: boolean; text: string } | null>(null);
  const print = async () => {
    const result = await client.call('staff.summary.print', {});
    setPrinted(
      result.ok
        ? { ok: result.value.outcome === 'printed', text: t(`staff.print.${result.value.outcome}`) }
        : { ok: false, text: staffRefusalText(result.error, t) },
    );
  };
  const levels: MessageKey[] = [
    'staff.summary.level1',
    'staff.summary.level2',
    'staff.summary.level3',
    'staff.summary.level4',
    'staff.summary.level5',
  ];
  return (
    <WhenLoaded loaded={loaded}>
      {(data) => (
        <section class="staff-section" aria-label={t('staff.tab.summary')}>
          <h2>{t('staff.summary.heading', { date: data.date })}</h2>
          <p data-testid="summary-total">{t('staff.summary.total', { total: data.total, assisted: data.assisted })}</p>
          <table class="staff-table">
            <thead>
              <tr>
                <th scope="col">{t('staff.summary.service')}</th>
                <th scope="col">{t('staff.summary.count')}</th>
                <th scope="col">{t('staff.queue.state.submitted')}</th>
                <th scope="col">{t('staff.queue.state.waiting')}</th>
                <th scope="col">{t('staff.queue.state.failed')}</th>
              </tr>
            </thead>
            <tbody>
              {data.byService.map((row) => (
                <tr key={row.serviceCode}>
                  <td>{serviceName(catalogue, row.serviceCode, l)}</td>
                  <td>{row.total}</td>
                  <td>{row.submitted}</td>
                  <td>{row.waiting}</td>
                  <td>{row.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('staff.summary.ratings', { count: data.ratings.count })}</h2>
          <ul class="rating-figures">
            {[...data.ratings.byLevel.entries()].reverse().map(([index, count]) => (
              <li key={index}>
                {t('common.labelled', { label: t(levels[index] ?? 'staff.summary.level3'), value: count })}
              </li>
            ))}
          </ul>
          <div class="button-row">
            <button type="button" class="primary" data-testid="summary-print" onClick={() => void print()}>
              {t('staff.summary.print')}
            </button>
          </div>
          {printed !== null && <Outcome ok={printed.ok} text={printed.text} testId="summary-outcome" />}
        </section>
      )}
    </WhenLoaded>
  );
}
