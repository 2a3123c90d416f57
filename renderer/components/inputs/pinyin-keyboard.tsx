import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SimpleKeyboard } from 'simple-keyboard/build/index.modern.esm.js';
import 'simple-keyboard/build/css/index.css';
import { useI18n } from '../../i18n/i18n';
import { chineseTable, chooseCandidate, lengthOf, matchCandidates, pressKey, type KeyboardState } from './pinyin-input';
import './pinyin-keyboard.css';

/**
 * On-screen keyboard for Chinese text: type pinyin, tap the character in the candidate bar (or
 * space for the first one); a key switches to English letters and digits. simple-keyboard draws
 * the keys (as real buttons); the candidates are our own big buttons, because its built-in
 * candidate box is a small list that writes the pinyin letters into the value. Loaded on demand
 * through LazyPinyinKeyboard. The screen shows the value; the bar shows the pinyin being typed.
 */
export interface PinyinKeyboardProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly maxLength: number;
}

const table = chineseTable;
const pageSize = 7;

const digits = '1 2 3 4 5 6 7 8 9 0';
// Letter rows keep full-width keys; delete sits where the thumb expects it, at the end of z…m.
const layouts = {
  pinyin: [digits, 'q w e r t y u i o p', 'a s d f g h j k l', 'z x c v b n m {bksp}', '{lang} ， {space} 。 {clear}'],
  latin: [
    digits,
    'q w e r t y u i o p',
    'a s d f g h j k l',
    '{shift} z x c v b n m {bksp}',
    '{lang} - {space} . {clear}',
  ],
  latinUpper: [
    digits,
    'Q W E R T Y U I O P',
    'A S D F G H J K L',
    '{shift} Z X C V B N M {bksp}',
    '{lang} - {space} . {clear}',
  ],
};

export function PinyinKeyboard(props: PinyinKeyboardProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const keyboard = useRef<SimpleKeyboard | null>(null);
  const [mode, setMode] = useState<KeyboardState['mode']>('pinyin');
  const [upper, setUpper] = useState(false);
  const [composing, setComposing] = useState('');
  const [page, setPage] = useState(0);
  const state: KeyboardState = { value: props.value, composing, mode, upper };
  const latest = useRef({ state, props });
  latest.current = { state, props };

  const apply = (next: KeyboardState) => {
    setMode(next.mode);
    setUpper(next.upper);
    if (next.composing !== latest.current.state.composing) setPage(0);
    setComposing(next.composing);
    latest.current.state = next;
    if (next.value !== latest.current.props.value) latest.current.props.onChange(next.value);
  };

  const display = useMemo(
    () => ({
      '{bksp}': `⌫ ${t('keyboard.backspace')}`,
      '{space}': t('keyboard.space'),
      '{clear}': t('keyboard.clear'),
      '{shift}': `⇧ ${t('keyboard.shift')}`,
      '{lang}': mode === 'pinyin' ? t('keyboard.toLatin') : t('keyboard.toPinyin'),
    }),
    [t, mode],
  );

  useEffect(() => {
    if (host.current === null) return undefined;
    const instance = new SimpleKeyboard(host.current, {
      layout: layouts,
      layoutName: 'pinyin',
      display,
      mergeDisplay: true,
      useButtonTag: true,
      disableButtonHold: true, // single taps only: holding a key must not repeat it
      preventMouseDownDefault: true,
      enableLayoutCandidates: false,
      theme: 'hg-theme-default kiosk-keyboard',
      buttonTheme: [
        { class: 'kiosk-key-wide', buttons: '{space}' },
        { class: 'kiosk-key-action', buttons: '{bksp} {clear} {lang} {shift}' },
        { class: 'kiosk-key-lang', buttons: '{lang}' },
      ],
      onKeyPress: (key: string) => {
        const { state: now, props: p } = latest.current;
        apply(pressKey(now, key, table, p.maxLength));
        instance.clearInput(); // we keep the value ourselves
      },
    });
    keyboard.current = instance;
    return () => {
      instance.destroy();
      keyboard.current = null;
    };
  }, []);

  useEffect(() => {
    keyboard.current?.setOptions({
      layoutName: mode === 'latin' ? (upper ? 'latinUpper' : 'latin') : 'pinyin',
      display,
    });
  }, [mode, upper, display]);

  const match = composing === '' ? null : matchCandidates(composing, table);
  const characters = match?.characters ?? [];
  const pages = Math.max(1, Math.ceil(characters.length / pageSize));
  const shown = characters.slice(page * pageSize, page * pageSize + pageSize);
  const full = lengthOf(props.value) >= props.maxLength;

  return (
    <div class="pinyin-keyboard" data-testid="pinyin-keyboard" data-mode={mode}>
      <div class="candidate-bar" role="group" aria-label={t('keyboard.candidates')}>
        {composing === '' ? (
          <p class="candidate-hint">{full ? t('keyboard.full') : mode === 'pinyin' ? t('keyboard.hint') : '\u00a0'}</p>
        ) : (
          <>
            <p class="composing" data-testid="composing" aria-live="polite">
              {t('keyboard.pinyin', { pinyin: composing })}
              {match === null && <span class="candidate-hint"> {t('keyboard.keepTyping')}</span>}
            </p>
            <div class="candidates">
              {page > 0 && (
                <button
                  type="button"
                  class="candidate-page"
                  data-testid="candidates-prev"
                  onClick={() => setPage(page - 1)}
                >
                  ‹ {t('keyboard.prevPage')}
                </button>
              )}
              {match !== null &&
                shown.map((character, i) => (
                  <button
                    type="button"
                    class="candidate"
                    key={`${page}-${i}`}
                    data-testid={`candidate-${page * pageSize + i}`}
                    onClick={() => apply(chooseCandidate(latest.current.state, match, character, props.maxLength))}
                  >
                    {character}
                  </button>
                ))}
              {page < pages - 1 && (
                <button
                  type="button"
                  class="candidate-page"
                  data-testid="candidates-next"
                  onClick={() => setPage(page + 1)}
                >
                  {t('keyboard.nextPage')} ›
                </button>
              )}
            </div>
          </>
        )}
      </div>
      <div ref={host} class="simple-keyboard" />
    </div>
  );
}
