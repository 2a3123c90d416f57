import { useI18n } from '../i18n/i18n';

/** The inactivity warning: a countdown and one big button that extends the time. */
export function TimeoutDialog({ secondsLeft, onContinue }: { secondsLeft: number; onContinue: () => void }) {
  const { t } = useI18n();
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="timeout-title"
        aria-describedby="timeout-body"
        data-testid="timeout-dialog"
      >
        <h1 id="timeout-title">{t('timeout.title')}</h1>
        <p class="countdown" aria-live="polite" data-testid="timeout-seconds">
          {secondsLeft}
        </p>
        <p id="timeout-body">{t('timeout.body', { seconds: secondsLeft })}</p>
        <button type="button" class="primary" data-testid="timeout-continue" onClick={onContinue}>
          {t('timeout.continue')}
        </button>
      </div>
    </div>
  );
}
