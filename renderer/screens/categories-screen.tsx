import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { Icon } from '../components/icon';
import { useI18n } from '../i18n/i18n';

export function CategoriesScreen({ catalogue, onChoose }: { catalogue: Catalogue; onChoose: (categoryId: string) => void }) {
  const { t, l } = useI18n();
  return (
    <>
      <h1>{t('categories.title')}</h1>
      <p class="instruction">{t('categories.instruction')}</p>
      <div class="tile-grid">
        {catalogue.categories.map((category) => (
          <button type="button" class="tile" key={category.id} data-testid={`category-${category.id}`} onClick={() => onChoose(category.id)}>
            <Icon name={category.icon} />
            <span class="tile-text">
              <span class="tile-title">{l(category.name)}</span>
              <span class="tile-sub">{l(category.description)}</span>
            </span>
          </button>
        ))}
      </div>
    </>
  );
}
