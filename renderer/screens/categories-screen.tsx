import type { CardView } from '../../electron/api/journey-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { PagedList } from '../components/paged-list';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { Tile } from '../components/tile';
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
      <h1 data-speak>{t('categories.title')}</h1>
      <p class="instruction" data-speak>
        {t('categories.instruction')}
      </p>
      {/* One list, so the suggested services and the categories page together when they do not fit. */}
      <PagedList class="tile-grid">
        {suggested.length > 0 && (
          <h2 class="grid-heading" data-speak>
            {t('services.suggested')}
          </h2>
        )}
        {suggested.map(({ service }) => (
          <Tile
            key={service.code}
            testId={`suggested-${service.code}`}
            icon={service.icon}
            title={<ServiceName name={l(service.name)} />}
            summary={l(service.summary)}
            suggested
            onChoose={() => onChooseService(service.code)}
          />
        ))}
        {suggested.length > 0 && (
          <h2 class="grid-heading" data-speak>
            {t('categories.all')}
          </h2>
        )}
        {catalogue.categories.map((category) => (
          <Tile
            key={category.id}
            testId={`category-${category.id}`}
            icon={category.icon}
            title={l(category.name)}
            summary={l(category.description)}
            onChoose={() => onChoose(category.id)}
          />
        ))}
      </PagedList>
    </ScreenBody>
  );
}
