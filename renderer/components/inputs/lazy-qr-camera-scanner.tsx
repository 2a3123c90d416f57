import type { QrCameraScannerProps } from './qr-camera-scanner';
import { lazyWidget } from './lazy-widget';

/** The QR decoder (jsQR) and camera load on first use (bundle budget). */
export const LazyQrCameraScanner = lazyWidget<QrCameraScannerProps>('qr-scanner', () =>
  import('./qr-camera-scanner').then((m) => m.QrCameraScanner),
);
