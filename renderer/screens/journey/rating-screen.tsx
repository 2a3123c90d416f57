import { useState } from 'preact/hooks';
import { PagedList } from '../../components/paged-list';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';

/** 好差评: five levels, voluntary; a low rating asks what went wrong. */
const levels = [5, 4, 3, 2, 1] as const;
const reasons = ['slow', 'hard', 'device', 'staff', 'other'] as const;

export function RatingScreen({
  onRate,
  onSkip,
}: {
  onRate: (level: number, reasons: string[]) => void;
  onSkip: () => void;
}) {
  const { t } = useI18n();
  const [low, setLow] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  if (low !== null) {
    return (
      <ScreenBody
        primary={
          <button type="button" class="primary" data-testid="rating-send" onClick={() => onRate(low, chosen)}>
            {t('rating.send')}
          </button>
        }
      >
        <h1 data-speak>{t('rating.why')}</h1>
        <PagedList class="choice-list two-columns">
          {reasons.map((r) => (
            <button
              type="button"
              class="choice"
              key={r}
              data-speak
              aria-pressed={chosen.includes(r)}
              data-testid={`reason-${r}`}
              onClick={() => setChosen((c) => (c.includes(r) ? c.filter((x) => x !== r) : [...c, r]))}
            >
              {t(`rating.reason.${r}`)}
            </button>
          ))}
        </PagedList>
      </ScreenBody>
    );
  }
  return (
    <ScreenBody
      primary={
        <button type="button" data-testid="rating-skip" onClick={onSkip}>
          {t('rating.skip')}
        </button>
      }
    >
      <h1 data-speak>{t('rating.title')}</h1>
      <PagedList class="choice-list rating-levels">
        {levels.map((level) => (
          <button
            type="button"
            class="choice rating"
            key={level}
            data-speak
            data-testid={`rating-${level}`}
            onClick={() => (level <= 2 ? setLow(level) : onRate(level, []))}
          >
            <span class="stars" aria-hidden="true">
              {'★'.repeat(level)}
              {'☆'.repeat(5 - level)}
            </span>{' '}
            {t(`rating.level.${level}`)}
          </button>
        ))}
      </PagedList>
    </ScreenBody>
  );
}
