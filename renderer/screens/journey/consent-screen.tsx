import { useState } from 'preact/hooks';
import type { Hall, Service } from '../../../kiosk-config/catalogue-schema';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';

/**
 * What is collected, why, who receives it, how long it is kept — in plain words. A face photo is
 * biometric: it gets its own consent and a staff check as the alternative (docs/ux.md, PIPL art. 29).
 */
export const consentTextVersion = 'consent-2026-12-v2';

/** What the consent lists as collected: a face photo is the person, not one of their papers. */
function collectedKey(service: Service) {
  const papers = service.documents.some((d) => d.kind === 'document');
  const face = service.documents.some((d) => d.kind === 'face');
  return papers && face
    ? 'consent.what.both'
    : face
      ? 'consent.what.face'
      : papers
        ? 'consent.what.papers'
        : 'consent.what.none';
}

export function ConsentScreen({
  service,
  hall,
  retentionDays,
  onAgree,
}: {
  service: Service;
  hall: Hall | undefined;
  retentionDays: number;
  onAgree: (face: 'not-needed' | 'granted' | 'staff-check') => void;
}) {
  const { t, l } = useI18n();
  const needsFace = service.documents.some((d) => d.kind === 'face');
  const [general, setGeneral] = useState(false);
  if (!general || !needsFace) {
    return (
      <ScreenBody
        primary={
          <button
            type="button"
            class="primary"
            data-testid="consent-agree"
            onClick={() => (needsFace ? setGeneral(true) : onAgree('not-needed'))}
          >
            {t('consent.agree')}
          </button>
        }
      >
        <h1 data-speak>{t('consent.title')}</h1>
        <ul class="consent-list">
          <li data-speak data-testid="consent-what">
            {t(collectedKey(service))}
          </li>
          <li data-speak>{t('consent.why')}</li>
          <li data-speak>{t('consent.who', { hall: hall === undefined ? '' : l(hall.name) })}</li>
          <li data-speak>{t('consent.howLong', { days: retentionDays })}</li>
        </ul>
      </ScreenBody>
    );
  }
  return (
    <ScreenBody>
      <h1 data-speak>{t('consent.face.title')}</h1>
      <p data-speak>{t('consent.face.body')}</p>
      <div class="choice-list">
        <button type="button" class="choice" data-speak data-testid="face-agree" onClick={() => onAgree('granted')}>
          {t('consent.face.agree')}
        </button>
        <button type="button" class="choice" data-speak data-testid="face-staff" onClick={() => onAgree('staff-check')}>
          {t('consent.face.staff')}
        </button>
      </div>
    </ScreenBody>
  );
}
