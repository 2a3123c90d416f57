import { useState } from 'preact/hooks';
import type { AnswerValue } from '../../../electron/api/journey-contract';
import type { Question } from '../../../kiosk-config/catalogue-schema';
import { LazyHandwritingPad } from '../../components/inputs/handwriting/lazy-handwriting-pad';
import { NumericKeypad } from '../../components/inputs/numeric-keypad';
import { LazyPinyinKeyboard } from '../../components/inputs/lazy-pinyin-keyboard';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages-zh';
import { formatDateDigits, validateAnswer } from '../../journey/validation';
import { groupedBy, groupedPhone, spokenDigits } from '../../journey/digit-groups';
import { parsePhoneAnswer, phoneAnswerText } from '../../../kiosk-config/answer-rules';
import { answerItemId, proposedInput, useProposalTarget } from '../../remote-help/proposals';

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
  /** The service point's village groups (村民小组), picked from instead of written. */
  readonly villageGroups: readonly string[];
  readonly onAnswer: (value: AnswerValue) => void;
}

const keypadLength: Partial<Record<Question['type'], number>> = { phone: 11, 'bank-account': 19, number: 8, date: 8 };

/** The stored answer of a resident without a mobile (answer-rules.ts owns its spelling). */
const noPhoneAnswer = phoneAnswerText({ whose: 'none' });

export function QuestionScreen(props: QuestionScreenProps) {
  const { t, l } = useI18n();
  const { question } = props;
  const initial = props.value ?? props.prefilled;
  // A phone answer may be a family member's mobile or none (answer-rules.ts): the keypad holds only digits.
  const initialPhone = question.type === 'phone' && typeof initial === 'string' ? parsePhoneAnswer(initial) : null;
  const [raw, setRaw] = useState<string | boolean | undefined>(
    question.type === 'date' && typeof initial === 'string'
      ? initial.replace(/-/g, '')
      : question.type === 'phone'
        ? initialPhone === null || initialPhone.whose === 'none'
          ? ''
          : initialPhone.digits
        : typeof initial === 'number'
          ? String(initial)
          : initial,
  );
  const [phoneWhose, setPhoneWhose] = useState<'own' | 'family'>(initialPhone?.whose === 'family' ? 'family' : 'own');
  const [editing, setEditing] = useState(
    question.type === 'text' || (question.type === 'address' && initial === undefined),
  );
  const [error, setError] = useState<string | null>(null);
  const [textInput, setTextInput] = useState<'handwriting' | 'pinyin'>('handwriting');

  const submit = (candidate: string | boolean | undefined): boolean => {
    const input =
      question.type === 'date' && typeof candidate === 'string'
        ? formatDateDigits(candidate)
        : question.type === 'phone' && typeof candidate === 'string' && candidate !== '' && candidate !== noPhoneAnswer
          ? phoneAnswerText({ whose: phoneWhose, digits: candidate })
          : candidate;
    const checked = validateAnswer(question, input, props.today, props.villageGroups);
    if (!checked.ok) {
      setError(t(checked.message, checked.vars));
      return false;
    }
    setError(null);
    props.onAnswer(checked.value);
    return true;
  };
  // An answer the hall's officer proposed and the resident accepted: entered as if typed, checked the same.
  const helpId = answerItemId(question.id);
  useProposalTarget(helpId, (value) => {
    const input = proposedInput(question, value, props.villageGroups);
    if (input === null) return false;
    setRaw(input);
    if (question.type === 'text' || question.type === 'address') setEditing(true);
    return submit(input);
  });

  /** One tap answers: a button per option, the chosen one pressed. */
  const pick = (className: string, options: ReadonlyArray<{ value: string; label: string; testId: string }>) => (
    <div
      class={className}
      data-help-field
      data-help-id={helpId}
      data-help-label={l(question.label)}
      data-help-value={options.find((o) => o.value === raw)?.label ?? ''}
    >
      {options.map((option) => (
        <button
          type="button"
          class="choice"
          key={option.value}
          data-speak
          aria-pressed={raw === option.value}
          data-testid={`answer-${option.testId}`}
          onClick={() => {
            setRaw(option.value);
            submit(option.value);
          }}
        >
          {option.label}
        </button>
      ))}
    </div>
  );

  let entry = null;
  let input;
  let secondary = null;
  switch (question.type) {
    case 'yes-no':
      input = (
        <div
          class="choice-list two-columns"
          data-help-field
          data-help-id={helpId}
          data-help-label={l(question.label)}
          data-help-value={raw === true ? t('question.yes') : raw === false ? t('question.no') : ''}
        >
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
      input = pick(
        'choice-list',
        question.options.map((option) => ({ value: option.value, label: l(option.label), testId: option.value })),
      );
      break;
    case 'village-group':
      // Every group at once, big, in a grid that fits the screen (at most 16): nothing to write or scroll.
      input = pick(
        props.villageGroups.length > 12 ? 'choice-list choice-grid many' : 'choice-list choice-grid',
        props.villageGroups.map((group, index) => ({ value: group, label: group, testId: `group-${index}` })),
      );
      break;
    case 'number':
    case 'phone':
    case 'bank-account':
    case 'certificate-number':
    case 'date': {
      const text = typeof raw === 'string' ? raw : '';
      const shown =
        question.type === 'date'
          ? formatDateDigits(text)
          : question.type === 'bank-account'
            ? groupedBy(text, 4)
            : question.type === 'phone'
              ? groupedPhone(text)
              : text;
      // Read back once the number is whole (a phone's 11 digits; a bank card that passes its check),
      // digit by digit when the voice is on: a wrong digit sends the money elsewhere.
      const readbackKey: MessageKey | null =
        question.type === 'phone' && text.length === keypadLength.phone
          ? 'phone.readback'
          : question.type === 'bank-account' && validateAnswer(question, text, props.today, props.villageGroups).ok
            ? 'bank.readback'
            : null;
      entry = (
        <>
          {/* data-keypad-value: what the audio keypad mode reads after each key, digit by digit. */}
          <output
            class="entry"
            data-testid="entry"
            aria-live="polite"
            data-help-id={helpId}
            data-help-label={l(question.label)}
            data-keypad-value={spokenDigits(shown)}
          >
            {shown}
            {question.type === 'number' && question.unit !== undefined && <span class="unit"> {l(question.unit)}</span>}
          </output>
          {readbackKey !== null ? (
            // Read back once the number is whole, digit by digit when the voice is on.
            <p
              class="instruction readback"
              role="alert"
              data-speak
              data-speak-text={t(readbackKey, { number: spokenDigits(shown) })}
              data-testid={question.type === 'phone' ? 'phone-readback' : 'bank-readback'}
            >
              {t(readbackKey, { number: shown })}
            </p>
          ) : (
            <p class="instruction">{t('question.keypadHint')}</p>
          )}
          {question.type === 'phone' && (
            <PhoneWaysOut
              question={question}
              whose={phoneWhose}
              onWhose={(whose) => {
                setPhoneWhose(whose);
                setError(null);
              }}
              onNoPhone={() => submit(noPhoneAnswer)}
            />
          )}
        </>
      );
      input = (
        <NumericKeypad
          value={text}
          onChange={(v) => {
            setRaw(v);
            setError(null);
          }}
          maxLength={question.type === 'certificate-number' ? question.length : (keypadLength[question.type] ?? 12)}
          allowDecimal={question.type === 'number' && !question.integer}
          {...(question.type === 'certificate-number' && question.xAt !== undefined ? { xAt: question.xAt } : {})}
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
          <output class="entry text" data-testid="entry" data-help-id={helpId} data-help-label={l(question.label)}>
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
            <p
              class="entry text"
              data-testid="entry"
              data-speak
              data-help-field
              data-help-id={helpId}
              data-help-label={l(question.label)}
            >
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

  const needsNext = question.type !== 'yes-no' && question.type !== 'choice' && question.type !== 'village-group';
  const forFamily = question.type === 'phone' && phoneWhose === 'family';
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
      <h1 data-speak>{forFamily ? t('phone.familyLabel') : l(question.label)}</h1>
      {forFamily ? (
        <p class="instruction" data-speak>
          {t('phone.familyHelp')}
        </p>
      ) : (
        question.help !== undefined && (
          <p class="instruction" data-speak>
            {l(question.help)}
          </p>
        )
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

/**
 * The ways a villager without a mobile gets past a phone question, as far as the catalogue allows
 * them: 填家里人的手机 (the keypad then takes that number) and 没有手机 (answers at once).
 */
function PhoneWaysOut(props: {
  question: Extract<Question, { type: 'phone' }>;
  whose: 'own' | 'family';
  onWhose: (whose: 'own' | 'family') => void;
  onNoPhone: () => void;
}) {
  const { t } = useI18n();
  const allowed = props.question.waysOut ?? [];
  if (allowed.length === 0) return null;
  return (
    <div class="button-row ways-out">
      {allowed.includes('family-phone') &&
        (props.whose === 'own' ? (
          <button type="button" data-testid="phone-family" onClick={() => props.onWhose('family')}>
            {t('phone.family')}
          </button>
        ) : (
          <button type="button" data-testid="phone-own" onClick={() => props.onWhose('own')}>
            {t('phone.own')}
          </button>
        ))}
      {allowed.includes('no-phone') && (
        <button type="button" data-testid="phone-none" onClick={props.onNoPhone}>
          {t('phone.noPhone')}
        </button>
      )}
    </div>
  );
}
