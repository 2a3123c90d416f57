import { useI18n } from '../../i18n/i18n';
import './inputs.css';

/**
 * Big digit keys for numbers, phone numbers, dates and ID numbers. It shows no value itself: the
 * screen shows it, large, above the keypad. Keys that cannot add anything are disabled, so a tap
 * always does something visible.
 */
export interface NumericKeypadProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly maxLength: number;
  readonly allowDecimal?: boolean;
  /**
   * Where an X may stand (1-based): 18 for an ID number, 18 of 20 for a disability certificate. The
   * key works only there.
   */
  readonly xAt?: number;
}

export function NumericKeypad(props: NumericKeypadProps) {
  const { t } = useI18n();
  const { value, onChange, maxLength } = props;
  const full = value.length >= maxLength;
  const type = (key: string) => {
    if (value.length + key.length <= maxLength) onChange(value + key);
  };
  const digit = (d: string) => (
    <button
      type="button"
      class="keypad-key"
      key={d}
      data-testid={`keypad-${d}`}
      disabled={full}
      onClick={() => type(d)}
    >
      {d}
    </button>
  );
  const clear = (wide: boolean) => (
    <button
      type="button"
      class={wide ? 'keypad-key keypad-action keypad-wide' : 'keypad-key keypad-action'}
      data-testid="keypad-clear"
      disabled={value === ''}
      onClick={() => onChange('')}
    >
      {t('keypad.clear')}
    </button>
  );
  // 清空 takes the free key left of 0 when there is one: four rows instead of five leave room for
  // the action bar in landscape; with X or a decimal point it gets a row of its own.
  let extra;
  if (props.allowDecimal === true) {
    extra = (
      <button
        type="button"
        class="keypad-key"
        data-testid="keypad-decimal"
        aria-label={t('keypad.decimal')}
        disabled={value.length + (value === '' ? 2 : 1) > maxLength || value.includes('.')}
        onClick={() => type(value === '' ? '0.' : '.')}
      >
        .
      </button>
    );
  } else if (props.xAt !== undefined) {
    extra = (
      <button
        type="button"
        class="keypad-key"
        data-testid="keypad-x"
        aria-label={t('keypad.x')}
        disabled={value.length !== props.xAt - 1}
        onClick={() => type('X')}
      >
        X
      </button>
    );
  }
  return (
    <div class="keypad" role="group" aria-label={t('keypad.label')}>
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit)}
      {extra ?? clear(false)}
      {digit('0')}
      <button
        type="button"
        class="keypad-key keypad-action"
        data-testid="keypad-delete"
        disabled={value === ''}
        onClick={() => onChange(value.slice(0, -1))}
      >
        <span aria-hidden="true">⌫ </span>
        {t('keypad.delete')}
      </button>
      {extra !== undefined && clear(true)}
    </div>
  );
}
