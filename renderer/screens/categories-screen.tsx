import type { CardView } from '../../electron/api/journey-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { Icon } from '../components/icon';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { useI18n } from '../i18n/i18n';
import { suggestedFirst } from '../journey/draft';

/** A few big categories; once the card is read, the services that suit the person come first. */
export function CategoriesScreen({
  catalogue,
  card,
  onChoose,
  onChooseService,
}: {
  catalogue: Catalogue;
  card: CardView | undefined;
  onChoose: (categoryId: string) => void;
  onChooseService: (code: string) => void;
}) {
  const { t, l } = useI18n();
  const suggested = suggestedFirst(catalogue.services, card).filter((s) => s.suggested);
  return (
    <ScreenBody>
      {suggested.length > 0 && (
        <>
          <h1 data-speak>{t('services.suggested')}</h1>
          <div class="tile-grid">
            {suggested.map(({ service }) => (
              <button
                type="button"
                class="tile suggested"
                key={service.code}
                data-speak
                data-testid={`suggested-${service.code}`}
                onClick={() => onChooseService(service.code)}
              >
                <Icon name={service.icon} />
                <span class="tile-text">
                  <span class="tile-title">
                    <ServiceName name={l(service.name)} />
                  </span>
                  <span class="tile-sub">{l(service.summary)}</span>
                </span>
              </button>
            ))}
          </div>
        </>
      )}
      <h1 data-speak>{t('categories.title')}</h1>
      <p class="instruction" data-speak>
        {t('categories.instruction')}
      </p>
      <div class="tile-grid">
        {catalogue.categories.map((category) => (
          <button
            type="button"
            class="tile"
            key={category.id}
            data-speak
            data-testid={`category-${category.id}`}
            onClick={() => onChoose(category.id)}
          >
            <Icon name={category.icon} />
            <span class="tile-text">
              <span class="tile-title">{l(category.name)}</span>
              <span class="tile-sub">{l(category.description)}</span>
            </span>
          </button>
        ))}
      </div>
    </ScreenBody>
  );
}
