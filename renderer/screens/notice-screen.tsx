import type { ComponentChildren } from 'preact';
import type { Service } from '../../kiosk-config/catalogue-schema';
import { CallStaffButton } from '../components/call-staff';
import { PagedList } from '../components/paged-list';
import { ScreenBody } from '../components/screen-body';
import { ServiceName } from '../components/service-name';
import { useI18n } from '../i18n/i18n';

/**
 * What the service is for, what is needed, how long, what happens after — before anything is asked.
 * `refused`: the terminal cannot take an application now (disk full): said here, before the questions,
 * with staff in place of the start.
 */
export function NoticeScreen({
  service,
  refused,
  onStart,
}: {
  service: Service;
  refused: boolean;
  onStart: () => void;
}) {
  const { t, l } = useI18n();
  const { notice } = service;
  return (
    <ScreenBody
      primary={
        refused ? (
          <CallStaffButton />
        ) : (
          <button type="button" class="primary" data-testid="notice-start" onClick={onStart}>
            {t('notice.start')}
          </button>
        )
      }
    >
      <h1 class="service-title">
        <ServiceName name={l(service.name)} />
      </h1>
      {refused && (
        <p class="field-error" role="alert" data-speak data-testid="notice-refused">
          {t('notice.storageFull')}
        </p>
      )}
      {/* One list of sections, two columns in landscape, a page at a time when large text or a long
          notice does not fit: never scrolled, never under the action bar (docs/ux.md). The audio
          keypad mode reads every section shown (data-keypad-speak), the next page's as it is turned. */}
      <PagedList class="notice-list">
        <NoticeSection heading={t('notice.purpose')}>
          <p data-keypad-speak>{l(notice.purpose)}</p>
        </NoticeSection>
        <NoticeSection heading={t('notice.whoCanApply')}>
          <p data-keypad-speak>{l(notice.whoCanApply)}</p>
        </NoticeSection>
        <NoticeSection heading={t('notice.needed')}>
          <ul>
            {notice.needed.map((item) => (
              <li key={item['zh-CN']} data-keypad-speak>
                {l(item)}
              </li>
            ))}
          </ul>
        </NoticeSection>
        <NoticeSection heading={t('notice.duration')}>
          <p data-keypad-speak>{l(notice.duration)}</p>
        </NoticeSection>
        <NoticeSection heading={t('notice.afterwards')}>
          <p data-keypad-speak>{l(notice.afterwards)}</p>
        </NoticeSection>
      </PagedList>
    </ScreenBody>
  );
}

function NoticeSection({ heading, children }: { heading: string; children: ComponentChildren }) {
  return (
    <section class="notice-section">
      <h2 data-keypad-speak>{heading}</h2>
      {children}
    </section>
  );
}
