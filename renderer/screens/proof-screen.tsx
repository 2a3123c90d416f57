import { useEffect, useState } from 'preact/hooks';
import type { DocumentFailure } from '../../electron/api/document-contract';
import type { CardView } from '../../electron/api/journey-contract';
import type { Service } from '../../kiosk-config/catalogue-schema';
import type { KioskClient } from '../api/kiosk-client';
import { ScreenBody } from '../components/screen-body';
import { useI18n } from '../i18n/i18n';
import { CardOnReaderPicture, CardSummary } from './journey/identify-screen';

type Step =
  | { readonly name: 'checking' }
  | { readonly name: 'unavailable' }
  | { readonly name: 'card' }
  | { readonly name: 'fetching' }
  | { readonly name: 'preview'; readonly documentNumber: string; readonly pages: number; readonly page: number }
  | { readonly name: 'printing'; readonly documentNumber: string }
  | { readonly name: 'printed'; readonly pages: number }
  | { readonly name: 'failed'; readonly failure: DocumentFailure['kind'] | 'unavailable' };

/**
 * A proof printed here and now (查询打印): the printer is checked before the card is read, then
 * card → period → the pages on screen → print → take the papers and the card. Kept small and in
 * the shared screen frame; the PDF stays on the service side, the screen shows page images only.
 */
export function ProofScreen({
  service,
  card,
  client,
  onDone,
}: {
  service: Service;
  card: CardView | undefined;
  client: KioskClient;
  onDone: () => void;
}) {
  const { t, l } = useI18n();
  const document = service.document;
  const [step, setStep] = useState<Step>({ name: 'checking' });
  const [months, setMonths] = useState(document?.months[0] ?? 12);
  const [image, setImage] = useState<string | null>(null);

  useEffect(() => {
    void client.call('document.printerState', {}).then((answer) => {
      const state = answer.ok ? answer.value.state : 'offline';
      setStep(state === 'ready' || state === 'busy' ? { name: 'card' } : { name: 'unavailable' });
    });
  }, [client]);

  useEffect(() => {
    if (step.name !== 'preview') return;
    setImage(null);
    void client.call('document.page', { documentNumber: step.documentNumber, page: step.page }).then((answer) => {
      if (answer.ok) setImage(`data:image/png;base64,${answer.value.pngBase64}`);
    });
  }, [client, step]);

  if (document === undefined) return null;

  const fetchDocument = async () => {
    setStep({ name: 'fetching' });
    const answer = await client.call('document.request', { type: document.type, months });
    setStep(
      answer.ok
        ? { name: 'preview', documentNumber: answer.value.documentNumber, pages: answer.value.pageCount, page: 1 }
        : { name: 'failed', failure: answer.error.kind },
    );
  };
  const print = async (documentNumber: string) => {
    setStep({ name: 'printing', documentNumber });
    const answer = await client.call('document.print', { documentNumber });
    setStep(
      answer.ok ? { name: 'printed', pages: answer.value.pages } : { name: 'failed', failure: answer.error.kind },
    );
  };

  const problem = (message: ReturnType<typeof failureMessage>, testId: string) => (
    <ScreenBody
      primary={
        <button class="primary" data-testid="proof-ok" onClick={onDone}>
          {t('proof.ok')}
        </button>
      }
    >
      <h1 data-speak>{l(service.name)}</h1>
      <p class="field-error" role="alert" data-speak data-testid={testId}>
        {t(message)}
      </p>
    </ScreenBody>
  );

  switch (step.name) {
    case 'checking':
    case 'fetching':
    case 'printing':
      return (
        <ScreenBody>
          <h1 data-speak>{l(service.name)}</h1>
          <p class="instruction big" role="status" data-speak data-testid="proof-wait">
            {t(step.name === 'printing' ? 'proof.printing' : 'proof.wait')}
          </p>
        </ScreenBody>
      );
    case 'unavailable':
      return problem('proof.noPrinter', 'proof-unavailable');
    case 'card':
      return card === undefined ? (
        <ScreenBody side={<CardOnReaderPicture />}>
          <h1 data-speak>{t('identify.title')}</h1>
          <p class="instruction big" data-speak>
            {t('identify.instruction')}
          </p>
          <p data-speak>{t('proof.whatIsPrinted')}</p>
        </ScreenBody>
      ) : (
        <ScreenBody
          side={
            // What is printed sits beside the card, not under it: in landscape with large text the card's
            // column ran out of room and the words went under the action bar.
            <>
              {document.months.length > 1 && (
                <div class="choice-list" role="group" aria-label={t('proof.period')}>
                  {document.months.map((m) => (
                    <button
                      key={m}
                      type="button"
                      class="choice"
                      aria-pressed={m === months}
                      data-testid={`proof-months-${m}`}
                      onClick={() => setMonths(m)}
                    >
                      {t('proof.months', { months: m })}
                    </button>
                  ))}
                </div>
              )}
              <p data-speak>{t('proof.whatIsPrinted')}</p>
            </>
          }
          primary={
            <button class="primary" data-testid="proof-fetch" onClick={() => void fetchDocument()}>
              {t('proof.show')}
            </button>
          }
        >
          <h1 data-speak>{l(service.name)}</h1>
          <CardSummary card={card} />
        </ScreenBody>
      );
    case 'preview':
      return (
        <ScreenBody
          side={
            image === null ? (
              <p role="status">{t('proof.wait')}</p>
            ) : (
              <img class="proof-page" src={image} alt={t('proof.page', { page: step.page, pages: step.pages })} />
            )
          }
          secondary={
            step.pages > 1 ? (
              <>
                <button disabled={step.page <= 1} onClick={() => setStep({ ...step, page: step.page - 1 })}>
                  {t('proof.previous')}
                </button>
                <button disabled={step.page >= step.pages} onClick={() => setStep({ ...step, page: step.page + 1 })}>
                  {t('proof.next')}
                </button>
              </>
            ) : undefined
          }
          primary={
            <button class="primary" data-testid="proof-print" onClick={() => void print(step.documentNumber)}>
              {t('proof.print')}
            </button>
          }
        >
          <h1 data-speak>{l(service.name)}</h1>
          <p data-speak data-testid="proof-pages">
            {t('proof.page', { page: step.page, pages: step.pages })}
          </p>
        </ScreenBody>
      );
    case 'printed':
      return (
        <ScreenBody
          primary={
            <button class="primary" data-testid="proof-done" onClick={onDone}>
              {t('proof.ok')}
            </button>
          }
        >
          <h1 data-speak data-testid="proof-printed">
            {t('proof.takePapers')}
          </h1>
        </ScreenBody>
      );
    case 'failed':
      return problem(failureMessage(step.failure), 'proof-failed');
  }
}

function failureMessage(kind: DocumentFailure['kind'] | 'unavailable') {
  switch (kind) {
    case 'no-record':
      return 'proof.noRecord' as const;
    case 'platform-unreachable':
    case 'unavailable':
      return 'proof.platformDown' as const;
    case 'print-failed':
      return 'proof.printFailed' as const;
    case 'no-printer':
      return 'proof.noPrinter' as const;
    case 'no-session':
    case 'card-missing':
    case 'platform-refused':
    case 'no-document':
    case 'no-page':
      return 'proof.askStaff' as const;
  }
}
