import type { Translate } from '../i18n/i18n';

/**
 * What the audio keypad mode says, built from what the screen shows (docs/accessibility.md): the
 * screen's own heading, instruction and button words go in; only the glue around them (第 2 项，共
 * 4 项, 按钮, how many there are) comes from the mode's own messages. Pure, so it is tested in both
 * languages without a page.
 */
export interface SpokenItem {
  /** The words the control shows (or its accessible name when it shows a picture). */
  readonly name: string;
  /** aria-pressed: a chosen answer, a toggled setting. */
  readonly pressed: boolean;
  readonly disabled: boolean;
}

/** Sentences end with the language's own full stop; a text that already ends in one (or in …) keeps it. */
export function sentences(parts: ReadonlyArray<string>): string {
  return parts
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => (/[。.!！?？:：…]$/.test(p) ? p : `${p}${/[\u3400-\u9fff）”]$/.test(p) ? '。' : '.'}`))
    .join(' ');
}

/** "第 2 项，共 4 项：给我自己办，按钮" — with 已选中 / 现在不能用 when it applies. */
export function itemLine(t: Translate, item: SpokenItem, position: number, total: number): string {
  const base = t('audio.item', { position, total, name: item.name, role: t('audio.role.button') });
  const states = [
    ...(item.pressed ? [t('audio.state.pressed')] : []),
    ...(item.disabled ? [t('audio.state.unavailable')] : []),
  ];
  return [base, ...states].join(t('audio.stateSeparator'));
}

export interface ScreenWords {
  /** The screen's heading as shown. */
  readonly heading: string;
  /** The instruction, a new error, the other texts the screen marks for speech, in page order. */
  readonly texts: ReadonlyArray<string>;
  readonly items: ReadonlyArray<SpokenItem>;
  /** The item the focus is on (0-based), or null when there is none. */
  readonly focus: number | null;
}

/** What a screen says first, on arriving and on the help key: heading, its other words, how many choices. */
function screenIntro(t: Translate, screen: ScreenWords): string[] {
  return [
    screen.heading,
    ...screen.texts.filter((text) => text !== screen.heading),
    screen.items.length === 0 ? t('audio.noItems') : t('audio.count', { count: screen.items.length }),
  ];
}

/** On a new screen: heading, instruction, how many choices, and the focused item. */
export function screenLine(t: Translate, screen: ScreenWords): string {
  const focused = screen.focus === null ? undefined : screen.items[screen.focus];
  return sentences([
    ...screenIntro(t, screen),
    ...(focused === undefined || screen.focus === null
      ? []
      : [itemLine(t, focused, screen.focus + 1, screen.items.length)]),
  ]);
}

/** The help key: everything the screen says, then how the keys work here. */
export function helpLine(t: Translate, screen: ScreenWords): string {
  return sentences([...screenIntro(t, screen), t('audio.helpKeys')]);
}

/** After a key of the on-screen keypad: the key, then the whole value so far (digit by digit). */
export function typedLine(t: Translate, key: string, spokenValue: string): string {
  return t('audio.typed', { key, value: spokenValue.trim() === '' ? t('audio.nothingTyped') : spokenValue });
}

/** Moving the focus: the next item, or "已经是最后一项" and the item again at either end. */
export function moveFocus(
  focus: number | null,
  count: number,
  direction: 'up' | 'down',
): { focus: number | null; atEnd: boolean } {
  if (count === 0) return { focus: null, atEnd: true };
  if (focus === null) return { focus: direction === 'down' ? 0 : count - 1, atEnd: false };
  // The list shrank under the focus (a page of a list, a key gone): its new end is the nearest item.
  if (focus >= count) return { focus: count - 1, atEnd: false };
  const next = direction === 'down' ? focus + 1 : focus - 1;
  if (next < 0 || next >= count) return { focus: Math.min(Math.max(focus, 0), count - 1), atEnd: true };
  return { focus: next, atEnd: false };
}

/** Speech rate, a factor of the voice's normal pace: the keys step it within what stays understandable. */
export const rateSteps = [0.6, 0.8, 1, 1.25, 1.5] as const;
export function stepRate(rate: number, direction: 'up' | 'down'): number {
  const index = rateSteps.findIndex((r) => r >= rate - 1e-9);
  const at = index === -1 ? rateSteps.length - 1 : index;
  const next = direction === 'up' ? Math.min(at + 1, rateSteps.length - 1) : Math.max(at - 1, 0);
  return rateSteps[next] ?? 1;
}
