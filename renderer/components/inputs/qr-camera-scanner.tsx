import jsQR from 'jsqr';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { useCamera } from './camera-stream';
import { CameraProblemNotice, CameraView } from './camera-view';

/**
 * Reads a receipt's QR code with the camera (for terminals without a scanner, or as a second
 * way). A few frames a second are decoded with jsQR on a reduced copy; the first code found is
 * reported once and the camera stops. Loaded on demand through LazyQrCameraScanner.
 */
export interface QrCameraScannerProps {
  readonly cameraLabel: string;
  readonly onDecoded: (text: string) => void;
}

const scanWidth = 800;
const scanEveryMs = 150;

export function QrCameraScanner(props: QrCameraScannerProps) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const camera = useCamera(props.cameraLabel, video);
  const latest = useRef(props.onDecoded);
  latest.current = props.onDecoded;
  const live = camera.state.kind === 'live';

  useEffect(() => {
    if (!live) return undefined;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let done = false;
    const timer = window.setInterval(() => {
      const element = video.current;
      if (done || ctx === null || element === null || element.videoWidth === 0) return;
      const scale = Math.min(1, scanWidth / element.videoWidth);
      canvas.width = Math.round(element.videoWidth * scale);
      canvas.height = Math.round(element.videoHeight * scale);
      ctx.drawImage(element, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code !== null && code.data !== '') {
        done = true;
        window.clearInterval(timer);
        camera.stop();
        latest.current(code.data);
      }
    }, scanEveryMs);
    return () => {
      done = true;
      window.clearInterval(timer);
      canvas.width = 0;
    };
  }, [live]);

  const { state } = camera;
  if (state.kind === 'problem') return <CameraProblemNotice problem={state.problem} onRetry={camera.retry} />;
  return (
    <div class="camera-widget" data-testid="qr-camera-scanner">
      <p class="instruction big">{t('qrScan.instruction')}</p>
      <CameraView video={video} state={state} guide="qr" />
    </div>
  );
}
