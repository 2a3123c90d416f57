import type { CardView } from '../../electron/api/journey-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { suggestedFirst } from '../journey/draft';
import { Icon } from '../components/icon';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { useI18n } from '../i18n/i18n';

/** The services of one category: those suited to the person (once the card is read) first, then most used. */
export function ServicesScreen({
  catalogue,
  categoryId,
  card,
  onChoose,
}: {
  catalogue: Catalogue;
  categoryId: string;
  card: CardView | undefined;
  onChoose: (code: string) => void;
}) {
  const { t, l } = useI18n();
  const category = catalogue.categories.find((c) => c.id === categoryId);
  const services = suggestedFirst(
    catalogue.services.filter((s) => s.categoryId === categoryId),
    card,
  );
  return (
    <ScreenBody>
      <h1>{category === undefined ? '' : l(category.name)}</h1>
      <p class="instruction">{t('services.instruction')}</p>
      <div class="tile-grid">
        {services.map(({ service, suggested }) => (
          <button
            type="button"
            class={suggested ? 'tile suggested' : 'tile'}
            key={service.code}
            data-testid={`service-${service.code}`}
            onClick={() => onChoose(service.code)}
          >
            <Icon name={service.icon} />
            <span class="tile-text">
              <span class="tile-title">
                <ServiceName name={l(service.name)} />
              </span>
              {suggested && <span class="badge">★ {t('services.suggested')}</span>}
              <span class="tile-sub">{l(service.summary)}</span>
            </span>
          </button>
        ))}
      </div>
    </ScreenBody>
  );
}
