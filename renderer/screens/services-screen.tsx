import type { CardView } from '../../electron/api/journey-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { suggestedFirst } from '../journey/draft';
import { PagedList } from '../components/paged-list';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { Tile } from '../components/tile';
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
      <PagedList class="tile-grid">
        {services.map(({ service, suggested }) => (
          <Tile
            key={service.code}
            testId={`service-${service.code}`}
            icon={service.icon}
            title={<ServiceName name={l(service.name)} />}
            summary={l(service.summary)}
            suggested={suggested}
            badge={suggested ? t('services.suggested') : undefined}
            onChoose={() => onChoose(service.code)}
          />
        ))}
      </PagedList>
    </ScreenBody>
  );
}
