import { useState } from 'preact/hooks';
import { SignaturePad } from '../../components/inputs/signature-pad';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';

/**
 * Sign in the box. 下一步 is never a greyed-out mystery: tapped before anything is written, it says
 * what to do (请先在框里写名字).
 */
export function SignatureScreen({ onDone }: { onDone: (png: string) => void }) {
  const { t } = useI18n();
  const [png, setPng] = useState<string | null>(null);
  const [early, setEarly] = useState(false);
  return (
    <ScreenBody
      side={
        <SignaturePad
          onChange={(next) => {
            setPng(next);
            if (next !== null) setEarly(false);
          }}
        />
      }
      primary={
        <button
          type="button"
          class="primary"
          data-testid="next"
          onClick={() => (png === null ? setEarly(true) : onDone(png))}
        >
          {t('submitted.continue')}
        </button>
      }
    >
      <h1 data-speak>{t('signature.title')}</h1>
      <p class="instruction" data-speak>
        {t('signature.instruction')}
      </p>
      {early && (
        <p class="field-error" role="alert" data-speak data-testid="signature-first">
          {t('signature.writeFirst')}
        </p>
      )}
    </ScreenBody>
  );
}
