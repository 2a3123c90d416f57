import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ScreenBody } from '../screen-body';
import { useI18n } from '../../i18n/i18n';
import { encodeFrame, type JpegPhoto } from './camera-image';
import { useCamera } from './camera-stream';
import { createSteadinessWatch, lumaOf, thumbnailHeight, thumbnailWidth, type Steadiness } from './camera-steadiness';
import { CameraProblemNotice, CameraView } from './camera-view';

/**
 * Photograph a paper or a face: live preview with a framing guide, 拍照, then the photo to check
 * with 重拍 / 使用这张. The photo is a JPEG with its longest side ≤ 1600 px, aimed under 400 KB.
 * The camera stops when the photo is used and whenever the widget goes away (privacy). It lays
 * itself out as a screen body: words left, picture right (landscape), and the main button — 拍照,
 * then 使用这张 — always at the right of the action bar; 重拍 and 不拍了 at its left.
 * The photo is also taken by itself once the picture has been still for about a second
 * (camera-steadiness.ts), so a resident holding a paper need not find the button.
 * Loaded on demand through LazyCameraCapture.
 */
export interface CameraCaptureProps {
  /** '' = the first camera; otherwise the first camera whose label contains this. */
  readonly cameraLabel: string;
  readonly guide: 'document' | 'face';
  readonly onCapture: (jpeg: JpegPhoto) => void;
  readonly onCancel?: () => void;
  /** What the screen says above the camera (the paper asked for); the widget then fills the screen body. */
  readonly heading?: ComponentChildren;
}

/** Samples of the preview per second while looking for a still picture. */
const samplesPerSecond = 4;

export function CameraCapture(props: CameraCaptureProps) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const camera = useCamera(props.cameraLabel, video);
  const [photo, setPhoto] = useState<JpegPhoto | null>(null);
  const [busy, setBusy] = useState(false);
  // Only the kind is shown; setting the same string again does not render again.
  const [steadiness, setSteadiness] = useState<Steadiness['kind']>('moving');
  const watch = useRef(createSteadinessWatch());
  const { state } = camera;

  const capture = async () => {
    const element = video.current;
    if (element === null || state.kind !== 'live' || element.videoWidth === 0) return;
    setBusy(true);
    try {
      setPhoto(await encodeFrame(element, element.videoWidth, element.videoHeight));
    } finally {
      setBusy(false);
    }
  };

  // While the preview is live and no photo waits to be checked: sample small grey thumbnails.
  const looking = state.kind === 'live' && photo === null && !busy;
  useEffect(() => {
    if (!looking) return;
    const canvas = document.createElement('canvas');
    canvas.width = thumbnailWidth;
    canvas.height = thumbnailHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const timer = setInterval(() => {
      const element = video.current;
      if (context === null || element === null || element.videoWidth === 0) return;
      context.drawImage(element, 0, 0, thumbnailWidth, thumbnailHeight);
      const next = watch.current.push(lumaOf(context.getImageData(0, 0, thumbnailWidth, thumbnailHeight).data));
      setSteadiness(next.kind);
      if (next.kind === 'steady') {
        clearInterval(timer);
        void capture();
      }
    }, 1000 / samplesPerSecond);
    return () => clearInterval(timer);
  }, [looking]);
  const cancel =
    props.onCancel === undefined ? null : (
      <button type="button" data-testid="camera-cancel" onClick={props.onCancel}>
        {t('camera.cancel')}
      </button>
    );

  if (state.kind === 'problem') {
    return (
      <ScreenBody secondary={cancel}>
        {props.heading}
        <CameraProblemNotice problem={state.problem} onRetry={camera.retry} />
      </ScreenBody>
    );
  }
  return (
    <ScreenBody
      side={
        <div class="camera-widget" data-testid="camera-capture" data-steadiness={steadiness}>
          {/* The video stays mounted under the preview, so 重拍 is instant. The picture takes the
              room its column leaves (camera.css), so the words under it stay in sight. */}
          <div class="camera-room">
            <CameraView video={video} state={state} guide={props.guide} hidden={photo !== null} />
            {photo !== null && (
              <img
                class="camera-photo"
                src={photo.dataUrl}
                alt={t('camera.photoAlt')}
                data-testid="camera-photo"
                data-width={photo.width}
                data-height={photo.height}
                data-bytes={photo.bytes}
              />
            )}
          </div>
          {/* Under the picture it is about: the words column keeps room for the paper's own hint
              (landscape, large text: four lines of words ran on under the action bar). */}
          {photo === null && (
            <p class="instruction" role="status" data-testid="camera-auto">
              {t(
                steadiness === 'settling'
                  ? 'camera.settling'
                  : props.guide === 'face'
                    ? 'camera.auto.face'
                    : 'camera.auto',
              )}
            </p>
          )}
        </div>
      }
      secondary={
        photo === null ? (
          cancel
        ) : (
          <button
            type="button"
            data-testid="camera-retake"
            onClick={() => {
              // The same still scene must not be taken again at once: it has to move first.
              watch.current.requireMovement();
              setSteadiness('moving');
              setPhoto(null);
            }}
          >
            {t('camera.retake')}
          </button>
        )
      }
      primary={
        photo === null ? (
          <button
            type="button"
            class="primary camera-shutter"
            data-testid="camera-capture-button"
            disabled={state.kind !== 'live' || busy}
            onClick={() => void capture()}
          >
            {busy ? t('camera.processing') : t('camera.capture')}
          </button>
        ) : (
          <button
            type="button"
            class="primary"
            data-testid="camera-use"
            onClick={() => {
              camera.stop();
              props.onCapture(photo);
            }}
          >
            {t('camera.use')}
          </button>
        )
      }
    >
      {props.heading}
      {photo === null ? (
        <p class="instruction big">{t(props.guide === 'face' ? 'camera.guide.face' : 'camera.guide.document')}</p>
      ) : (
        <p class="instruction big" role="status">
          {t('camera.check')}
        </p>
      )}
    </ScreenBody>
  );
}
