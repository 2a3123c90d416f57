import { lazyWidget } from '../lazy-widget';
import type { HandwritingPadProps } from './handwriting-pad';

/** The handwriting pad loads on first use; its templates follow in their own chunk (bundle budget). */
export const LazyHandwritingPad = lazyWidget<HandwritingPadProps>('handwriting', () =>
  import('./handwriting-pad').then((m) => m.HandwritingPad),
);
