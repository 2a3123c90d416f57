import { useState } from 'preact/hooks';
import { SignaturePad } from '../../components/inputs/signature-pad';
import { useI18n } from '../../i18n/i18n';

export function SignatureScreen({ onDone }: { onDone: (png: string) => void }) {
  const { t } = useI18n();
  const [png, setPng] = useState<string | null>(null);
  return (
    <>
      <h1 data-speak>{t('signature.title')}</h1>
      <p class="instruction" data-speak>
        {t('signature.instruction')}
      </p>
      <SignaturePad onChange={setPng} />
      <button
        type="button"
        class="primary"
        data-testid="next"
        disabled={png === null}
        onClick={() => png !== null && onDone(png)}
      >
        {t('submitted.continue')}
      </button>
    </>
  );
}
