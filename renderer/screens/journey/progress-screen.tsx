import { useState } from 'preact/hooks';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import { NumericKeypad } from '../../components/inputs/numeric-keypad';
import { LazyQrCameraScanner } from '../../components/inputs/lazy-qr-camera-scanner';
import { CallStaffButton, RetryButton } from '../../components/call-staff';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import { groupedCode } from '../../journey/digit-groups';
import type { MessageKey } from '../../i18n/messages-zh';
import type { ProgressAnswer } from '../../state/use-journey';

function notFoundText(reason: 'unknown' | 'invalid-receipt' | 'unavailable'): MessageKey {
  switch (reason) {
    case 'unknown':
      return 'progress.notFound';
    case 'invalid-receipt':
      return 'progress.invalid';
    case 'unavailable':
      return 'progress.unavailable';
  }
}

/**
 * Progress lookup from the idle screen: scan the receipt's QR (the scanner's events arrive as
 * `result` from the parent) or type the verification code; the status in plain words.
 */
export function ProgressScreen(props: {
  catalogue: Catalogue;
  cameraLabel: string;
  result: ProgressAnswer | null;
  onLookupCode: (code: string) => void;
  onLookupPayload: (payload: string) => void;
  onRetry: () => void;
}) {
  const { t, l } = useI18n();
  const [code, setCode] = useState('');
  const [camera, setCamera] = useState(false);
  const { result } = props;
  if (result !== null) {
    if (!result.found) {
      return (
        <ScreenBody secondary={<CallStaffButton />} primary={<RetryButton onRetry={props.onRetry} />}>
          <h1>{t('progress.title')}</h1>
          <p class="field-error" role="alert" data-speak data-testid="progress-result">
            {t(notFoundText(result.reason))}
          </p>
        </ScreenBody>
      );
    }
    const service = props.catalogue.services.find((s) => s.code === result.serviceCode);
    return (
      <ScreenBody>
        <h1>{t('progress.title')}</h1>
        {service !== undefined && <h2 data-speak>{l(service.name)}</h2>}
        <div class="case-number">
          <span>{result.caseNumber === null ? t('submitted.localNumber') : t('submitted.caseNumber')}</span>
          <strong>{result.caseNumber ?? result.localNumber}</strong>
        </div>
        <p class="status-line" data-speak data-testid="progress-result">
          {t(`progress.status.${result.status}`)}
        </p>
        {result.note !== undefined && <p data-speak>{result.note}</p>}
        <p class="instruction">{t('progress.updated', { time: result.updatedAt.slice(0, 16).replace('T', ' ') })}</p>
      </ScreenBody>
    );
  }
  return (
    <ScreenBody
      side={
        camera ? (
          <LazyQrCameraScanner
            cameraLabel={props.cameraLabel}
            onDecoded={(text) => {
              setCamera(false);
              props.onLookupPayload(text);
            }}
          />
        ) : (
          <NumericKeypad value={code} onChange={setCode} maxLength={10} />
        )
      }
      secondary={
        !camera && (
          <button type="button" data-testid="progress-camera" onClick={() => setCamera(true)}>
            {t('progress.camera')}
          </button>
        )
      }
      primary={
        <button
          type="button"
          class="primary"
          data-testid="progress-search"
          disabled={code.length !== 10}
          onClick={() => props.onLookupCode(code)}
        >
          {t('progress.search')}
        </button>
      }
    >
      <h1 data-speak>{t('progress.title')}</h1>
      <p class="instruction big" data-speak>
        {t('progress.scan')}
      </p>
      <p data-speak>{t('progress.orCode')}</p>
      <output class="entry" data-testid="entry">
        {groupedCode(code)}
      </output>
    </ScreenBody>
  );
}
