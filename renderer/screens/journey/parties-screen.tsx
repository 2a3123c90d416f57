import { useState } from 'preact/hooks';
import type { CardView, Parties } from '../../../electron/api/journey-contract';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import { CardOnReaderPicture, CardSummary } from './identify-screen';

const relationships = ['spouse', 'child', 'parent', 'relative', 'village-official'] as const;
type Relationship = (typeof relationships)[number];

/**
 * Self or on behalf of someone. Acting for someone else, both cards are read: the card already
 * read is the representative's, the next one the applicant's; the relationship is recorded.
 */
export function PartiesScreen(props: {
  parties: Parties | null;
  secondCard: CardView | undefined;
  onChoose: (parties: Parties) => void;
  onNext: () => void;
}) {
  const { t } = useI18n();
  const [forOther, setForOther] = useState(props.parties?.mode === 'other');
  const relationship: Relationship | null = props.parties?.mode === 'other' ? props.parties.relationship : null;

  if (!forOther) {
    return (
      <ScreenBody>
        <h1 data-speak>{t('parties.title')}</h1>
        <div class="choice-list">
          <button
            type="button"
            class="choice"
            data-speak
            data-testid="parties-self"
            onClick={() => props.onChoose({ mode: 'self' })}
          >
            {t('parties.self')}
          </button>
          <button type="button" class="choice" data-speak data-testid="parties-other" onClick={() => setForOther(true)}>
            {t('parties.other')}
          </button>
        </div>
      </ScreenBody>
    );
  }
  const ready = relationship !== null && props.secondCard !== undefined;
  return (
    <ScreenBody
      side={
        relationship !== null &&
        (props.secondCard === undefined ? (
          <>
            <h2 data-speak>{t('parties.secondCard')}</h2>
            <CardOnReaderPicture />
          </>
        ) : (
          <>
            <h2 data-speak>{t('parties.secondCardRead')}</h2>
            <CardSummary card={props.secondCard} />
          </>
        ))
      }
      primary={
        ready && (
          <button type="button" class="primary" data-testid="next" onClick={props.onNext}>
            {t('submitted.continue')}
          </button>
        )
      }
    >
      <h1 data-speak>{t('parties.relationship')}</h1>
      <div class="choice-list two-columns" role="group" aria-label={t('parties.relationship')}>
        {relationships.map((r) => (
          <button
            type="button"
            class="choice"
            key={r}
            data-speak
            aria-pressed={relationship === r}
            data-testid={`relationship-${r}`}
            onClick={() => props.onChoose({ mode: 'other', relationship: r })}
          >
            {t(`parties.relationship.${r}`)}
          </button>
        ))}
      </div>
    </ScreenBody>
  );
}
