import type { CardProblem, CardView } from '../../../electron/api/journey-contract';
import { CallStaffButton, RetryButton } from '../../components/call-staff';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import { useKeypadMode } from '../../keypad/keypad-mode';
import type { Localized } from '../../../kiosk-config/catalogue-schema';

/** A picture of where the card goes, so the instruction does not depend on reading. */
export function CardOnReaderPicture() {
  return (
    <svg class="card-picture" viewBox="0 0 320 200" aria-hidden="true">
      <rect x="20" y="120" width="280" height="60" rx="12" fill="#d9d4c5" stroke="#4a4a4a" stroke-width="4" />
      <rect x="90" y="30" width="140" height="88" rx="10" fill="#ffffff" stroke="#0b57a4" stroke-width="6" />
      <circle cx="125" cy="70" r="16" fill="#0b57a4" />
      <path d="M155 60h55M155 80h40" stroke="#0b57a4" stroke-width="6" stroke-linecap="round" />
      <path d="M160 124v-4" stroke="#1a1a1a" stroke-width="4" />
    </svg>
  );
}

export function CardSummary({ card }: { card: CardView }) {
  const { t } = useI18n();
  return (
    <dl class="card-summary" data-testid="card-summary">
      <dt>{t('identify.name')}</dt>
      <dd data-testid="card-name">{card.nameMasked}</dd>
      <dt>{t('identify.idNumber')}</dt>
      <dd data-testid="card-id">{card.idNumberMasked}</dd>
      <dt>{t('identify.age')}</dt>
      <dd>{t('identify.ageValue', { age: card.age })}</dd>
    </dl>
  );
}

export function IdentifyScreen({
  card,
  problem,
  readerWhere,
  onNext,
  onRetry,
}: {
  card: CardView | undefined;
  /** Where the card reader is on this terminal (config), for a resident who cannot see; absent: the usual words. */
  readerWhere?: Localized | undefined;
  problem: CardProblem | null;
  onNext: () => void;
  onRetry: () => void;
}) {
  const { t, l } = useI18n();
  const withoutSight = useKeypadMode().active;
  if (card === undefined) {
    return (
      <ScreenBody
        side={<CardOnReaderPicture />}
        secondary={problem !== null && <CallStaffButton />}
        primary={problem !== null && <RetryButton onRetry={onRetry} />}
      >
        <h1 data-speak>{t('identify.title')}</h1>
        {problem === null ? (
          <p class="instruction big" data-speak>
            {t('identify.instruction')}
            {/* The picture shows where the reader is; a resident who cannot see is told. */}
            {withoutSight && ` ${readerWhere === undefined ? t('identify.readerWhere') : l(readerWhere)}`}
          </p>
        ) : (
          <p class="field-error" role="alert" data-speak data-testid="card-problem">
            {t(`identify.problem.${problem}`)}
          </p>
        )}
      </ScreenBody>
    );
  }
  const blocked = card.expired ? t('identify.expired') : card.idNumberValid ? null : t('identify.invalidNumber');
  return (
    <ScreenBody
      primary={
        blocked === null && (
          <button type="button" class="primary" data-testid="next" onClick={onNext}>
            {t('submitted.continue')}
          </button>
        )
      }
    >
      <h1 data-speak>{t('identify.done')}</h1>
      <CardSummary card={card} />
      {blocked !== null && (
        <p class="field-error" role="alert" data-speak>
          {blocked}
        </p>
      )}
    </ScreenBody>
  );
}
