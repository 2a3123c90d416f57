import type { CameraCaptureProps } from './camera-capture';
import { lazyWidget } from './lazy-widget';

/** The camera widget loads on first use (bundle budget). */
export const LazyCameraCapture = lazyWidget<CameraCaptureProps>('camera', () =>
  import('./camera-capture').then((m) => m.CameraCapture),
);
