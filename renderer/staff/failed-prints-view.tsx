import { useState } from 'preact/hooks';
import type { FailedPrintView } from '../../electron/api/document-contract';
import { localDateTime } from '../../foundation/local-time';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { KioskClient } from '../api/kiosk-client';
import { useI18n } from '../i18n/i18n';
import { a4StateWords } from './a4-printer-words';
import { Outcome } from './staff-frame';
import { staffRefusalText } from './staff-failures';
import { useStaffCall } from './use-staff-call';

/**
 * A4 proofs that did not print (paper out mid-document, a jam), held in the terminal's memory for a
 * while: staff fix the printer and reprint them here. Shown only when there are some; by number,
 * kind, pages and time, never by name.
 */
export function FailedPrintsView({ client, catalogue }: { client: KioskClient; catalogue: Catalogue }) {
  const { t, l } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'staff.documents.failed', {});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // A reprint follows its job to the end (minutes, if the printer is slow): show it, and take no second tap.
  const [printing, setPrinting] = useState<string | null>(null);
  // Reprinted ones leave the list with the answer that says so, not a reload later (the service has
  // already let go of them): staff never see "printed" beside a row still offering 重新打印.
  const [reprinted, setReprinted] = useState<ReadonlySet<string>>(new Set());
  if (loaded.status !== 'loaded') return null;
  const items = loaded.data.items.filter((item) => !reprinted.has(item.documentNumber));
  if (items.length === 0 && outcome === null) return null;
  const title = (item: FailedPrintView) => {
    const service = catalogue.services.find((s) => s.document?.type === item.type);
    return service === undefined ? item.type : l(service.name);
  };
  const reprint = async (item: FailedPrintView) => {
    setPrinting(item.documentNumber);
    const result = await client.call('staff.documents.reprint', { documentNumber: item.documentNumber });
    setPrinting(null);
    if (result.ok) {
      setReprinted((done) => new Set([...done, item.documentNumber]));
      setOutcome({ ok: true, text: t('staff.a4.reprinted', { number: item.documentNumber }) });
    } else {
      const failure = result.error;
      switch (failure.kind) {
        case 'print-failed':
          setOutcome({ ok: false, text: t('staff.a4.stillFailing', { state: a4StateWords(failure.state, t) }) });
          break;
        case 'not-found':
          setOutcome({ ok: false, text: t('staff.a4.notFound') });
          break;
        case 'not-allowed':
        case 'unavailable':
          setOutcome({ ok: false, text: staffRefusalText(failure, t) });
      }
    }
    reload();
  };
  return (
    <section class="staff-section" aria-label={t('staff.a4.heading')} data-testid="failed-prints">
      <h2>{t('staff.a4.heading')}</h2>
      <p class="instruction">{t('staff.a4.explain')}</p>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="failed-print-outcome" />}
      <ul class="staff-list">
        {items.map((item) => (
          <li
            key={item.documentNumber}
            class="queue-item state-failed"
            data-testid={`failed-print-${item.documentNumber}`}
          >
            <div class="queue-head">
              <strong class="number">{item.documentNumber}</strong>
              <span class="state-label">{a4StateWords(item.state, t)}</span>
            </div>
            <div>
              {title(item)} · {t('staff.a4.pages', { pages: item.pages })} · {localTime(item.failedAt)} ·{' '}
              {t('staff.a4.until', { time: localTime(item.expiresAt) })}
            </div>
            <div class="button-row">
              <button
                type="button"
                class="primary"
                data-testid="failed-print-reprint"
                disabled={printing !== null}
                onClick={() => void reprint(item)}
              >
                {t(printing === item.documentNumber ? 'staff.a4.printing' : 'staff.a4.reprint')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

const localTime = (iso: string) => localDateTime(new Date(iso));
