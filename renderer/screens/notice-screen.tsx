import type { Service } from '../../kiosk-config/catalogue-schema';
import { CallStaffButton } from '../components/call-staff';
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
      side={
        <>
          <section class="notice-section">
            <h2>{t('notice.needed')}</h2>
            <ul>
              {notice.needed.map((item) => (
                <li key={item['zh-CN']}>{l(item)}</li>
              ))}
            </ul>
          </section>
          <section class="notice-section">
            <h2>{t('notice.duration')}</h2>
            <p>{l(notice.duration)}</p>
          </section>
          <section class="notice-section">
            <h2>{t('notice.afterwards')}</h2>
            <p>{l(notice.afterwards)}</p>
          </section>
        </>
      }
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
      <section class="notice-section">
        <h2>{t('notice.purpose')}</h2>
        <p>{l(notice.purpose)}</p>
      </section>
      <section class="notice-section">
        <h2>{t('notice.whoCanApply')}</h2>
        <p>{l(notice.whoCanApply)}</p>
      </section>
    </ScreenBody>
  );
}
