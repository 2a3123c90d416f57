import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../../i18n/i18n';
import { useInkCanvas, type InkStroke } from '../use-ink-canvas';
import { loadRecogniser } from './load-recogniser';
import type { Recogniser } from './recogniser';
import './handwriting-pad.css';

/**
 * Chinese text without pinyin: write one character with a finger in the big box, tap it in the
 * candidate bar, and it is added to the value; the box empties for the next one. Recognition runs
 * on the terminal after every stroke (recogniser.ts). 重写 wipes the box, 删除 takes the last
 * character off the value. Props match the pinyin keyboard's, so a screen can offer either.
 */
export interface HandwritingPadProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** In characters (code points), as the pinyin keyboard counts. */
  readonly maxLength: number;
}

/** Candidates on show: top-5 holds the right one in the bench; a few more cost nothing. */
const shown = 8;
/** Thicker than a signature: people look at what they wrote to compare it with the candidates. */
const inkWidth = 9;

type Readiness = 'loading' | 'ready' | 'failed';

export function HandwritingPad(props: HandwritingPadProps) {
  const { t } = useI18n();
  const recogniser = useRef<Recogniser | null>(null);
  const [readiness, setReadiness] = useState<Readiness>('loading');
  const [attempt, setAttempt] = useState(0);
  const [candidates, setCandidates] = useState<ReadonlyArray<string>>([]);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const recognise = (strokes: ReadonlyArray<InkStroke>) => {
    if (pending.current !== null) clearTimeout(pending.current);
    pending.current = null;
    if (strokes.length === 0) {
      setCandidates([]);
      return;
    }
    const current = recogniser.current;
    if (current === null) return; // recognised as soon as the templates arrive
    // After the stroke's last ink is on screen, not before.
    pending.current = setTimeout(() => {
      pending.current = null;
      setCandidates(current.recognise(strokes, shown).map((c) => c.character));
    }, 0);
  };
  const ink = useInkCanvas(recognise, inkWidth);

  useEffect(() => {
    let live = true;
    loadRecogniser().then(
      (loaded) => {
        if (!live) return;
        recogniser.current = loaded;
        setReadiness('ready');
        recognise(ink.strokes());
      },
      () => {
        if (live) setReadiness('failed');
      },
    );
    return () => {
      live = false;
      if (pending.current !== null) clearTimeout(pending.current);
    };
  }, [attempt]);

  const full = [...props.value].length >= props.maxLength;
  const choose = (character: string) => {
    if (full) return;
    props.onChange(props.value + character);
    ink.clear();
  };
  const deleteLast = () => props.onChange([...props.value].slice(0, -1).join(''));

  const status =
    readiness === 'failed'
      ? t('widget.loadFailed')
      : full
        ? t('keyboard.full')
        : ink.count === 0
          ? t('handwriting.hint')
          : readiness === 'loading'
            ? t('handwriting.preparing')
            : t('handwriting.pick');

  return (
    <div class="handwriting-pad" data-testid="handwriting-pad" data-ready={readiness === 'ready'}>
      <div class="handwriting-box">
        <canvas
          ref={ink.canvasRef}
          class="ink-canvas"
          role="img"
          aria-label={`${t('handwriting.area')}: ${ink.count > 0 ? t('handwriting.written', { count: ink.count }) : t('handwriting.hint')}`}
          data-testid="handwriting-canvas"
          data-strokes={ink.count}
          {...ink.handlers}
        />
      </div>
      <div class="handwriting-side">
        <p class="handwriting-status" role="status" data-testid="handwriting-status">
          {status}
        </p>
        {readiness === 'failed' && (
          <button type="button" data-testid="handwriting-retry" onClick={() => setAttempt((n) => n + 1)}>
            {t('widget.retry')}
          </button>
        )}
        <div class="handwriting-candidates" role="group" aria-label={t('keyboard.candidates')}>
          {candidates.map((character, i) => (
            <button
              type="button"
              class="handwriting-candidate"
              key={`${i}-${character}`}
              lang="zh-CN"
              data-testid={`handwriting-candidate-${i}`}
              disabled={full}
              onClick={() => choose(character)}
            >
              {character}
            </button>
          ))}
        </div>
        <div class="button-row">
          <button type="button" data-testid="handwriting-clear" disabled={ink.count === 0} onClick={() => ink.clear()}>
            {t('handwriting.clear')}
          </button>
          <button type="button" data-testid="handwriting-delete" disabled={props.value === ''} onClick={deleteLast}>
            {t('handwriting.delete')}
          </button>
        </div>
      </div>
    </div>
  );
}
