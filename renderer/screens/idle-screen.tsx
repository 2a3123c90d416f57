import type { IdleNotice } from '../../electron/api/contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { Icon } from '../components/icon';
import { PagedList } from '../components/paged-list';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { useI18n } from '../i18n/i18n';

/**
 * What can be done here, in big words and pictures, still (no carousel). Touching anywhere starts.
 */
export function IdleScreen({
  catalogue,
  terminalName,
  notice,
  onStart,
  onProgress,
}: {
  catalogue: Catalogue;
  terminalName: string;
  /** The county's notice, shown until its end time. */
  notice: IdleNotice | null;
  onStart: () => void;
  onProgress: () => void;
}) {
  const { t, l } = useI18n();
  const shown = [...catalogue.services].sort((a, b) => b.popularity - a.popularity).slice(0, 6);
  // The count of all services sits in the heading, not on a line of its own: a line more pushed the
  // action bar off the landscape screen in large text. The list shows only what fits, so the count
  // is said whenever there is more than one service.
  const heading =
    catalogue.services.length > 1 ? t('idle.canDoMany', { count: catalogue.services.length }) : t('idle.canDo');
  return (
    <div class="idle" onClick={onStart}>
      <ScreenBody
        secondary={
          <button
            type="button"
            data-testid="progress"
            onClick={(e) => {
              e.stopPropagation();
              onProgress();
            }}
          >
            {t('idle.progress')}
          </button>
        }
        primary={
          <button
            type="button"
            class="primary start"
            data-testid="start"
            onClick={(e) => {
              e.stopPropagation();
              onStart();
            }}
          >
            {t('idle.touchToStart')}
          </button>
        }
      >
        <div class="hero">
          <p>{t('idle.welcome')}</p>
          <h1>{terminalName}</h1>
          {notice !== null && Date.parse(notice.until) > Date.now() && (
            <p class="fleet-notice" role="status" data-testid="idle-notice">
              {notice.text}
            </p>
          )}
          <h2>{heading}</h2>
          {/* As many of the most used as the room holds (landscape in large text: a row or two), never
              under the action bar; the heading's count says there are more. */}
          <PagedList as="ul" class="service-list" firstPageOnly>
            {shown.map((service) => (
              <li key={service.code}>
                <Icon name={service.icon} />
                <ServiceName name={l(service.name)} />
              </li>
            ))}
          </PagedList>
          <p class="instruction">{t('idle.orCard')}</p>
        </div>
      </ScreenBody>
    </div>
  );
}
