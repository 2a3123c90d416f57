import { useState } from 'preact/hooks';
import type { DocumentRequirement } from '../../../kiosk-config/catalogue-schema';
import { LazyCameraCapture } from '../../components/inputs/lazy-camera-capture';
import { useI18n } from '../../i18n/i18n';
import type { Draft } from '../../journey/draft';
import type { MessageKey } from '../../i18n/messages-zh';

/** One required paper per screen: photograph it (preview, retake), or hand it in later when allowed. */
export interface DocumentScreenProps {
  readonly requirement: DocumentRequirement;
  readonly index: number;
  readonly total: number;
  readonly cameraLabel: string;
  readonly current: Draft['documents'][string] | undefined;
  readonly staffCheckChosen: boolean;
  /** Why the last photo was not kept. */
  readonly problem: MessageKey | null;
  /** Resolves once the services answered, kept or not (`problem` says which). */
  readonly onPhoto: (jpegDataUrl: string) => Promise<void>;
  readonly onSkip: () => void;
  readonly onNext: () => void;
}

export function DocumentScreen(props: DocumentScreenProps) {
  const { t, l } = useI18n();
  const [camera, setCamera] = useState(false);
  const [saving, setSaving] = useState(false);
  const { requirement, current } = props;

  if (requirement.kind === 'face' && props.staffCheckChosen) {
    return (
      <>
        <h1 data-speak>{t('documents.title', { label: l(requirement.label) })}</h1>
        <p class="instruction big" data-speak>
          {t('documents.staffCheck')}
        </p>
        <button type="button" class="primary" data-testid="next" onClick={props.onNext}>
          {t('submitted.continue')}
        </button>
      </>
    );
  }
  return (
    <>
      <p class="step-note">{t('documents.progress', { index: props.index + 1, total: props.total })}</p>
      <h1 data-speak>{t('documents.title', { label: l(requirement.label) })}</h1>
      <p class="instruction" data-speak>
        {l(requirement.hint)}
      </p>
      {props.problem !== null && (
        <p class="field-error" role="alert" data-speak data-testid="document-problem">
          {t(props.problem)}
        </p>
      )}
      {camera ? (
        <LazyCameraCapture
          cameraLabel={props.cameraLabel}
          guide={requirement.kind === 'face' ? 'face' : 'document'}
          onCapture={(jpeg) => {
            setSaving(true);
            void props.onPhoto(jpeg.dataUrl).then(() => {
              setSaving(false);
              setCamera(false);
            });
          }}
          onCancel={() => setCamera(false)}
        />
      ) : current?.kind === 'photo' ? (
        <>
          <img
            class="document-preview"
            src={current.previewUrl}
            alt={t('documents.done')}
            data-testid="document-preview"
          />
          <p data-speak>{t('documents.done')}</p>
          <div class="button-row">
            <button type="button" data-testid="retake" onClick={() => setCamera(true)}>
              {t('documents.retake')}
            </button>
            <button type="button" class="primary" data-testid="next" onClick={props.onNext}>
              {t('submitted.continue')}
            </button>
          </div>
        </>
      ) : (
        <div class="button-row">
          <button
            type="button"
            class="primary"
            data-testid="open-camera"
            disabled={saving}
            onClick={() => setCamera(true)}
          >
            {t('documents.take')}
          </button>
          {!requirement.required && (
            <button type="button" data-testid="skip-document" onClick={props.onSkip}>
              {t('documents.skip')}
            </button>
          )}
        </div>
      )}
    </>
  );
}
