import type { PinyinKeyboardProps } from './pinyin-keyboard';
import { lazyWidget } from './lazy-widget';

/** The pinyin keyboard, its dictionary and simple-keyboard load on first use (bundle budget). */
export const LazyPinyinKeyboard = lazyWidget<PinyinKeyboardProps>('keyboard', () =>
  import('./pinyin-keyboard').then((m) => m.PinyinKeyboard),
);
