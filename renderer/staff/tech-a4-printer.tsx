import { useState } from 'preact/hooks';
import type { ResultOf } from '../../electron/api/contract';
import type { A4PrinterLink } from '../../kiosk-config/config-schema';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { useI18n, type Translate } from '../i18n/i18n';
import { a4StateWords, a4StatusLine } from './a4-printer-words';
import { Outcome } from './staff-frame';
import { LoadFailure, staffRefusalText } from './staff-failures';
import { useStaffCall } from './use-staff-call';

/**
 * The A4 printer for proofs in the technician's device view, beside the receipt printer: where it
 * is, its IPP state in plain words, moving it to another printer by URI (the kiosk checks that a
 * printer answers there before keeping it) and a test page followed until it came out.
 */
type Kind = A4PrinterLink['kind'];
const kinds: readonly Kind[] = ['ipp', 'simulated', 'none'];
const ippUri = /^ipps?:\/\/[^\s]+$/;

export function describeA4Link(link: A4PrinterLink, t: Translate): string {
  switch (link.kind) {
    case 'ipp':
      return link.uri;
    case 'simulated':
      return t('tech.a4.simulated');
    case 'none':
      return t('tech.a4.none');
  }
}

function setFailureText(failure: CallFailure<'tech.a4Printer.set'>, t: Translate): string {
  switch (failure.kind) {
    case 'unreachable':
      return t('tech.a4.unreachable', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

function testFailureText(failure: CallFailure<'tech.a4Printer.testPage'>, t: Translate): string {
  switch (failure.kind) {
    case 'print-failed':
      return t('tech.a4.testFailed', { state: a4StatusLine({ state: failure.state, warnings: [] }, t) });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

export function A4PrinterEditor({ client }: { client: KioskClient }) {
  const { loaded, reload } = useStaffCall(client, 'tech.a4Printer', {});
  if (loaded.status === 'loading') return null;
  if (loaded.status === 'failed') return <LoadFailure failure={loaded.failure} />;
  return (
    // Not keyed by the link: the outcome of a change stays shown after the state reloads.
    <A4PrinterForm client={client} printer={loaded.data} onChanged={reload} />
  );
}

interface FormProps {
  readonly client: KioskClient;
  readonly printer: ResultOf<'tech.a4Printer'>;
  readonly onChanged: () => void;
}

function A4PrinterForm({ client, printer, onChanged }: FormProps) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>(printer.link.kind);
  const [uri, setUri] = useState(printer.link.kind === 'ipp' ? printer.link.uri : '');
  const [busy, setBusy] = useState<'checking' | 'printing' | 'searching' | null>(null);
  const [found, setFound] = useState<ResultOf<'tech.a4Printer.discover'> | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const use = async () => {
    const trimmed = uri.trim();
    if (kind === 'ipp' && !ippUri.test(trimmed)) return setOutcome({ ok: false, text: t('tech.a4.badUri') });
    const link: A4PrinterLink = kind === 'ipp' ? { kind, uri: trimmed } : { kind };
    setBusy('checking');
    setOutcome(null);
    const result = await client.call('tech.a4Printer.set', { link });
    setBusy(null);
    if (!result.ok) return setOutcome({ ok: false, text: setFailureText(result.error, t) });
    const name = describeA4Link(link, t);
    setOutcome({
      ok: true,
      text: `${t(result.value.keptForNextStart ? 'tech.a4.set' : 'tech.a4.setNotKept', { printer: name })} ${a4StatusLine(result.value.printer, t)}`,
    });
    onChanged();
  };
  const discover = async () => {
    setBusy('searching');
    setOutcome(null);
    const result = await client.call('tech.a4Printer.discover', {});
    setBusy(null);
    if (result.ok) setFound(result.value);
    else setOutcome({ ok: false, text: staffRefusalText(result.error, t) });
  };
  const testPage = async () => {
    setBusy('printing');
    setOutcome(null);
    const result = await client.call('tech.a4Printer.testPage', {});
    setBusy(null);
    setOutcome(
      result.ok ? { ok: true, text: t('tech.a4.testPrinted') } : { ok: false, text: testFailureText(result.error, t) },
    );
    onChanged();
  };

  const needsAttention = printer.state !== 'ready' && printer.state !== 'busy';
  return (
    <div class="notice-section device-role" data-testid="device-a4">
      <h2>
        {t('tech.a4.title')}: <span data-testid="device-a4-link">{describeA4Link(printer.link, t)}</span> ·{' '}
        <span data-testid="device-a4-state" data-state={printer.state}>
          {a4StateWords(printer.state, t)}
        </span>
      </h2>
      <p class={needsAttention ? 'outcome bad' : 'instruction'} data-testid="device-a4-status">
        {a4StatusLine(printer, t)}
        {printer.model === null ? '' : ` · ${printer.model}`}
        {printer.detail === null ? '' : ` (${printer.detail})`}
      </p>
      <div class="button-row compact" role="group" aria-label={t('tech.devices.kind')}>
        {kinds.map((k) => (
          <button
            type="button"
            key={k}
            class="choice"
            aria-pressed={kind === k}
            data-testid={`device-a4-kind-${k}`}
            onClick={() => setKind(k)}
          >
            {k === 'ipp' ? 'IPP' : describeA4Link({ kind: k }, t)}
          </button>
        ))}
      </div>
      {kind === 'ipp' && (
        <div class="button-row compact">
          <button
            type="button"
            data-testid="device-a4-discover"
            disabled={busy !== null}
            onClick={() => void discover()}
          >
            {t(busy === 'searching' ? 'tech.a4.searching' : 'tech.a4.discover')}
          </button>
        </div>
      )}
      {kind === 'ipp' && found !== null && (
        <div data-testid="device-a4-found">
          {found.printers.length === 0 ? (
            <p class="instruction">
              {t('tech.a4.noneFound')}
              {found.detail === null ? '' : ` ${t('tech.a4.cannotSearch', { detail: found.detail })}`}
            </p>
          ) : (
            <>
              <p class="instruction">{t('tech.a4.found', { count: found.printers.length })}</p>
              <div class="button-row compact">
                {found.printers.map((p) => (
                  <button
                    type="button"
                    key={p.uri}
                    class="choice"
                    aria-pressed={uri === p.uri}
                    title={p.uri}
                    onClick={() => setUri(p.uri)}
                  >
                    {p.name}
                  </button>
                ))}
              </div>
            </>
          )}
        </div>
      )}
      {kind === 'ipp' && (
        <label class="field">
          {t('tech.a4.uri')}
          <input
            type="url"
            data-testid="device-a4-uri"
            value={uri}
            placeholder="ipp://192.168.1.20/ipp/print"
            onInput={(e) => setUri(e.currentTarget.value)}
          />
        </label>
      )}
      <div class="button-row">
        <button
          type="button"
          class="primary"
          data-testid="device-a4-use"
          disabled={busy !== null}
          onClick={() => void use()}
        >
          {t(busy === 'checking' ? 'tech.a4.checking' : kind === 'ipp' ? 'tech.a4.useUri' : 'tech.devices.assign')}
        </button>
        <button type="button" data-testid="device-a4-test" disabled={busy !== null} onClick={() => void testPage()}>
          {t(busy === 'printing' ? 'tech.a4.testPrinting' : 'tech.a4.testPage')}
        </button>
      </div>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="device-a4-outcome" />}
    </div>
  );
}
