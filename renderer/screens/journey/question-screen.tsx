import { useState } from 'preact/hooks';
import type { AnswerValue } from '../../../electron/api/journey-contract';
import type { Question } from '../../../kiosk-config/catalogue-schema';
import { LazyHandwritingPad } from '../../components/inputs/handwriting/lazy-handwriting-pad';
import { NumericKeypad } from '../../components/inputs/numeric-keypad';
import { LazyPinyinKeyboard } from '../../components/inputs/lazy-pinyin-keyboard';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import { formatDateDigits, validateAnswer } from '../../journey/validation';

/**
 * One question per screen, its input chosen by the question's type. The question and what was
 * entered are on the left (landscape) or top; the keypad, writing pad or choices on the right or
 * below; 下一步 in the action bar. Chinese text is written by hand by default; pinyin is the
 * second way, one tap away.
 */
export interface QuestionScreenProps {
  readonly question: Question;
  readonly index: number;
  readonly total: number;
  readonly value: AnswerValue | undefined;
  /** Read from the card (e.g. the address): shown filled in, editable where the type allows. */
  readonly prefilled: string | undefined;
  readonly today: string;
  readonly onAnswer: (value: AnswerValue) => void;
}

const keypadLength: Partial<Record<Question['type'], number>> = { phone: 11, 'bank-account': 19, number: 8, date: 8 };

export function QuestionScreen(props: QuestionScreenProps) {
  const { t, l } = useI18n();
  const { question } = props;
  const initial = props.value ?? props.prefilled;
  const [raw, setRaw] = useState<string | boolean | undefined>(
    question.type === 'date' && typeof initial === 'string'
      ? initial.replace(/-/g, '')
      : typeof initial === 'number'
        ? String(initial)
        : initial,
  );
  const [editing, setEditing] = useState(
    question.type === 'text' || (question.type === 'address' && initial === undefined),
  );
  const [error, setError] = useState<string | null>(null);
  const [textInput, setTextInput] = useState<'handwriting' | 'pinyin'>('handwriting');

  const submit = (candidate: string | boolean | undefined) => {
    const input = question.type === 'date' && typeof candidate === 'string' ? formatDateDigits(candidate) : candidate;
    const checked = validateAnswer(question, input, props.today);
    if (!checked.ok) {
      setError(t(checked.message, checked.vars));
      return;
    }
    setError(null);
    props.onAnswer(checked.value);
  };

  let entry = null;
  let input;
  let secondary = null;
  switch (question.type) {
    case 'yes-no':
      input = (
        <div class="choice-list two-columns">
          <button
            type="button"
            class="choice"
            data-speak
            aria-pressed={raw === true}
            data-testid="answer-yes"
            onClick={() => {
              setRaw(true);
              submit(true);
            }}
          >
            {t('question.yes')}
          </button>
          <button
            type="button"
            class="choice"
            data-speak
            aria-pressed={raw === false}
            data-testid="answer-no"
            onClick={() => {
              setRaw(false);
              submit(false);
            }}
          >
            {t('question.no')}
          </button>
        </div>
      );
      break;
    case 'choice':
      input = (
        <div class="choice-list">
          {question.options.map((option) => (
            <button
              type="button"
              class="choice"
              key={option.value}
              data-speak
              aria-pressed={raw === option.value}
              data-testid={`answer-${option.value}`}
              onClick={() => {
                setRaw(option.value);
                submit(option.value);
              }}
            >
              {l(option.label)}
            </button>
          ))}
        </div>
      );
      break;
    case 'number':
    case 'phone':
    case 'bank-account':
    case 'date': {
      const text = typeof raw === 'string' ? raw : '';
      const shown =
        question.type === 'date'
          ? formatDateDigits(text)
          : question.type === 'bank-account'
            ? text.replace(/(\d{4})(?=\d)/g, '$1 ')
            : text;
      entry = (
        <>
          <output class="entry" data-testid="entry" aria-live="polite">
            {shown}
            {question.type === 'number' && question.unit !== undefined && <span class="unit"> {l(question.unit)}</span>}
          </output>
          <p class="instruction">{t('question.keypadHint')}</p>
        </>
      );
      input = (
        <NumericKeypad
          value={text}
          onChange={(v) => {
            setRaw(v);
            setError(null);
          }}
          maxLength={keypadLength[question.type] ?? 12}
          allowDecimal={question.type === 'number' && !question.integer}
        />
      );
      break;
    }
    case 'text':
    case 'address': {
      const text = typeof raw === 'string' ? raw : '';
      const maxLength = question.type === 'text' ? question.maxLength : 120;
      const change = (v: string) => {
        setRaw(v);
        setError(null);
      };
      if (editing) {
        entry = (
          <output class="entry text" data-testid="entry">
            {text}
          </output>
        );
        secondary = (
          <button
            type="button"
            data-testid={textInput === 'handwriting' ? 'use-pinyin' : 'use-handwriting'}
            onClick={() => setTextInput(textInput === 'handwriting' ? 'pinyin' : 'handwriting')}
          >
            {textInput === 'handwriting' ? t('question.usePinyin') : t('question.useHandwriting')}
          </button>
        );
      }
      input = !editing ? null : textInput === 'handwriting' ? (
        <LazyHandwritingPad value={text} onChange={change} maxLength={maxLength} />
      ) : (
        <LazyPinyinKeyboard value={text} onChange={change} maxLength={maxLength} />
      );
      if (!editing)
        entry = (
          <div class="prefilled">
            <p class="entry text" data-testid="entry" data-speak>
              {text}
            </p>
            <p class="instruction">{t('question.fromCard')}</p>
            <button type="button" data-testid="edit-answer" onClick={() => setEditing(true)}>
              {t('question.edit')}
            </button>
          </div>
        );
      break;
    }
  }

  const needsNext = question.type !== 'yes-no' && question.type !== 'choice';
  return (
    <ScreenBody
      side={input}
      secondary={secondary}
      primary={
        needsNext && (
          <button type="button" class="primary" data-testid="next" onClick={() => submit(raw)}>
            {t('submitted.continue')}
          </button>
        )
      }
    >
      <h1 data-speak>{l(question.label)}</h1>
      {question.help !== undefined && (
        <p class="instruction" data-speak>
          {l(question.help)}
        </p>
      )}
      {error !== null && (
        <p class="field-error" role="alert" data-speak data-testid="field-error">
          {error}
        </p>
      )}
      {entry}
    </ScreenBody>
  );
}
