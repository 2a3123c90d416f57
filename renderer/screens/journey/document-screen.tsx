import { useState } from 'preact/hooks';
import type { DocumentRequirement } from '../../../kiosk-config/catalogue-schema';
import { LazyCameraCapture } from '../../components/inputs/lazy-camera-capture';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import type { Draft } from '../../journey/draft';
import type { MessageKey } from '../../i18n/messages-zh';
import { CallStaffButton } from '../../components/call-staff';
import { useKeypadMode } from '../../keypad/keypad-mode';

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
  // A resident who cannot see (the audio keypad mode) is told the ways without sight before any camera opens.
  const withoutSight = useKeypadMode().active;
  // The camera opens by itself while nothing is photographed yet; after 取消 it waits for 拍照.
  const [camera, setCamera] = useState(
    props.current === undefined && !(props.requirement.kind === 'face' && props.staffCheckChosen) && !withoutSight,
  );
  const [saving, setSaving] = useState(false);
  const { requirement, current } = props;
  const next = (
    <button type="button" class="primary" data-testid="next" onClick={props.onNext}>
      {t('submitted.continue')}
    </button>
  );

  if (requirement.kind === 'face' && props.staffCheckChosen) {
    return (
      <ScreenBody primary={next}>
        <h1 data-speak>{t('documents.title', { label: l(requirement.label) })}</h1>
        <p class="instruction big" data-speak>
          {t('documents.staffCheck')}
        </p>
      </ScreenBody>
    );
  }
  const heading = (
    <>
      <h1 data-speak>{t('documents.title', { label: l(requirement.label) })}</h1>
      <p class="instruction" data-speak>
        {l(requirement.hint)}
      </p>
      {props.problem !== null && (
        <p class="field-error" role="alert" data-speak data-testid="document-problem">
          {t(props.problem)}
        </p>
      )}
    </>
  );
  // The camera widget carries its own action bar (拍照 / 使用这张 at the right, like 下一步 here).
  if (camera)
    return (
      <LazyCameraCapture
        cameraLabel={props.cameraLabel}
        guide={requirement.kind === 'face' ? 'face' : 'document'}
        heading={heading}
        onCapture={(jpeg) => {
          setSaving(true);
          void props.onPhoto(jpeg.dataUrl).then(() => {
            setSaving(false);
            setCamera(false);
          });
        }}
        onCancel={() => setCamera(false)}
      />
    );
  if (current?.kind === 'photo')
    return (
      <ScreenBody
        side={
          <img
            class="document-preview"
            src={current.previewUrl}
            alt={t('documents.done')}
            data-testid="document-preview"
          />
        }
        secondary={
          <button type="button" data-testid="retake" onClick={() => setCamera(true)}>
            {t('documents.retake')}
          </button>
        }
        primary={next}
      >
        {heading}
        <p data-speak>{t('documents.done')}</p>
      </ScreenBody>
    );
  return (
    <ScreenBody
      secondary={
        <>
          {withoutSight && <CallStaffButton />}
          {!requirement.required && (
            <button type="button" data-testid="skip-document" onClick={props.onSkip}>
              {t('documents.skip')}
            </button>
          )}
        </>
      }
      primary={
        <button
          type="button"
          class="primary"
          data-testid="open-camera"
          disabled={saving}
          onClick={() => setCamera(true)}
        >
          {t('documents.take')}
        </button>
      }
    >
      {heading}
      {withoutSight && (
        <p class="instruction" data-speak data-testid="document-without-sight">
          {t('documents.withoutSight', { callStaff: t('problem.callStaff'), take: t('documents.take') })}
          {!requirement.required && ` ${t('documents.withoutSightOptional', { skip: t('documents.skip') })}`}
        </p>
      )}
    </ScreenBody>
  );
}
