import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { Icon } from '../components/icon';
import { useI18n } from '../i18n/i18n';

/** The services of one category, most used first. */
export function ServicesScreen({ catalogue, categoryId, onChoose }: { catalogue: Catalogue; categoryId: string; onChoose: (code: string) => void }) {
  const { t, l } = useI18n();
  const category = catalogue.categories.find((c) => c.id === categoryId);
  const services = catalogue.services.filter((s) => s.categoryId === categoryId).sort((a, b) => b.popularity - a.popularity);
  return (
    <>
      <h1>{category === undefined ? '' : l(category.name)}</h1>
      <p class="instruction">{t('services.instruction')}</p>
      <div class="tile-grid">
        {services.map((service) => (
          <button type="button" class="tile" key={service.code} data-testid={`service-${service.code}`} onClick={() => onChoose(service.code)}>
            <Icon name={service.icon} />
            <span class="tile-text">
              <span class="tile-title">{l(service.name)}</span>
              <span class="tile-sub">{l(service.summary)}</span>
            </span>
          </button>
        ))}
      </div>
    </>
  );
}
