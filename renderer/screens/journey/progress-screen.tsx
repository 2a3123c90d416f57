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
import type { CardProblem, CaseProgress } from '../../../electron/api/journey-contract';
import { PagedList } from '../../components/paged-list';
import { localDateTime } from '../../../foundation/local-time';

function notFoundText(reason: Extract<ProgressAnswer, { found: false }>['reason']): MessageKey {
  switch (reason) {
    case 'unknown':
      return 'progress.notFound';
    case 'invalid-receipt':
      return 'progress.invalid';
    case 'unavailable':
      return 'progress.unavailable';
    case 'none-for-card':
      return 'progress.noneForCard';
  }
}

/** One application: what it is, where it stands, its number for staff. */
function CaseStatus(props: { catalogue: Catalogue; progress: CaseProgress }) {
  const { t, l } = useI18n();
  const { progress } = props;
  const service = props.catalogue.services.find((s) => s.code === progress.serviceCode);
  return (
    <li class="progress-case" data-testid="progress-case">
      {service !== undefined && <h2 data-speak>{l(service.name)}</h2>}
      <p class="status-line" data-speak data-testid="progress-result">
        {t(`progress.status.${progress.status}`)}
      </p>
      {progress.note !== undefined && <p data-speak>{progress.note}</p>}
      {progress.elsewhere !== undefined && (
        <p data-speak data-testid="progress-elsewhere">
          {t('progress.elsewhere', { name: progress.elsewhere.maskedName })}
        </p>
      )}
      <p class="instruction">
        {progress.caseNumber === null ? t('submitted.localNumber') : t('submitted.caseNumber')}{' '}
        {progress.caseNumber ?? progress.localNumber}
        {' · '}
        {t('progress.updated', { time: localDateTime(new Date(progress.updatedAt)) })}
      </p>
    </li>
  );
}

/**
 * Progress lookup from the idle screen: the ID card on the reader (刷身份证查进度) or the receipt's QR
 * at the scanner — one instruction for both — or the number to keep typed in (the answers arrive as
 * `result` from the parent); the status in plain words.
 */
export function ProgressScreen(props: {
  catalogue: Catalogue;
  cameraLabel: string;
  result: ProgressAnswer | null;
  /** The card put on the reader here could not be read (刷身份证查进度): said like on the identify screen. */
  cardProblem: CardProblem | null;
  onLookupCode: (code: string) => void;
  onLookupPayload: (payload: string) => void;
  onRetry: () => void;
}) {
  const { t } = useI18n();
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
    return (
      <ScreenBody>
        <h1>{t('progress.title')}</h1>
        <PagedList as="ul" class="progress-cases">
          {result.cases.map((c) => (
            <CaseStatus key={c.localNumber} catalogue={props.catalogue} progress={c} />
          ))}
        </PagedList>
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
      <p class="instruction big" data-speak data-testid="progress-scan">
        {t('progress.scan')}
      </p>
      {props.cardProblem !== null && (
        <p class="field-error" role="alert" data-speak data-testid="card-problem">
          {t(`identify.problem.${props.cardProblem}`)}
        </p>
      )}
      <p data-speak>{t('progress.orCode')}</p>
      <output class="entry" data-testid="entry">
        {groupedCode(code)}
      </output>
    </ScreenBody>
  );
}
