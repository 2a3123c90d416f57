import { useEffect } from 'preact/hooks';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';

/** "请取回身份证和回执", then the full wipe — after a short pause or one tap. */
export function GoodbyeScreen({ onDone, afterMs = 15_000 }: { onDone: () => void; afterMs?: number }) {
  const { t } = useI18n();
  useEffect(() => {
    const timer = window.setTimeout(onDone, afterMs);
    return () => window.clearTimeout(timer);
  }, [onDone, afterMs]);
  return (
    <ScreenBody
      primary={
        <button type="button" class="primary" data-testid="goodbye-done" onClick={onDone}>
          {t('goodbye.done')}
        </button>
      }
    >
      <h1 class="goodbye" data-speak>
        {t('goodbye.title')}
      </h1>
      <p data-speak>{t('goodbye.body')}</p>
    </ScreenBody>
  );
}
