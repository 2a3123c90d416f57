import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { KeypadKey } from '../../electron/api/keypad-keys';
import { useI18n } from '../i18n/i18n';
import { useVoice, volumeStep } from '../voice/use-voice';
import { keypadKeyFor } from './keyboard-keys';
import {
  helpLine,
  itemLine,
  moveFocus,
  screenLine,
  sentences,
  stepRate,
  typedLine,
  type ScreenWords,
  type SpokenItem,
} from './keypad-words';
import './keypad-mode.css';

/**
 * The audio keypad mode (issue 17, docs/accessibility.md): a blind resident moves through every
 * screen with a few keys while the terminal speaks. Off until entered (the help key, any key on
 * the idle screen, or the long press staff show), so nothing changes for sighted residents. The
 * state belongs to the person: the provider is remounted with every wipe, which ends the mode,
 * shows the screen again and forgets the speech rate.
 */
export interface KeypadMode {
  readonly active: boolean;
  /** 隐私模式: the screen is blank while the resident listens. */
  readonly privacy: boolean;
  readonly enter: () => void;
  readonly setPrivacy: (on: boolean) => void;
  /**
   * What the back key does while the dialog `el` is open (remote help's chooser closes, its consent
   * gives the call up); returns the unregister. A dialog without one answers "这里不能返回".
   */
  readonly onBackIn: (el: Element, back: () => void) => () => void;
  readonly backIn: (el: Element) => (() => void) | undefined;
}

const KeypadModeContext = createContext<KeypadMode>({
  active: false,
  privacy: false,
  enter() {},
  setPrivacy() {},
  onBackIn: () => () => undefined,
  backIn: () => undefined,
});
export const useKeypadMode = (): KeypadMode => useContext(KeypadModeContext);

/** Inside the person's VoiceProvider: entering the mode turns the voice on. */
export function KeypadModeProvider({ children }: { children: ComponentChildren }) {
  const [active, setActive] = useState(false);
  const [privacy, setPrivacy] = useState(false);
  const { setEnabled } = useVoice();
  const backs = useRef(new Map<Element, () => void>());
  const mode = useMemo<KeypadMode>(
    () => ({
      active,
      privacy,
      enter: () => {
        setEnabled(true);
        setActive(true);
      },
      // The page goes blank (or shows again) at once, not with the next render: the words that say so
      // follow straight after, and a second press before that render must see the first.
      setPrivacy: (on) => {
        document.documentElement.classList.toggle('keypad-privacy', on);
        setPrivacy(on);
      },
      onBackIn: (el, back) => {
        backs.current.set(el, back);
        return () => {
          if (backs.current.get(el) === back) backs.current.delete(el);
        };
      },
      backIn: (el) => backs.current.get(el),
    }),
    [active, privacy, setEnabled],
  );
  // The blank covers the whole page (every layer, dialogs too), so it is a class on the root; it
  // goes with the person.
  useEffect(() => {
    document.documentElement.classList.toggle('keypad-privacy', privacy);
    document.documentElement.classList.toggle('keypad-mode', active);
    return () => {
      document.documentElement.classList.remove('keypad-privacy');
      document.documentElement.classList.remove('keypad-mode');
    };
  }, [active, privacy]);
  return <KeypadModeContext.Provider value={mode}>{children}</KeypadModeContext.Provider>;
}

// ---- the screen as the keys see it -------------------------------------------------------------

const actionable = 'button, [role="button"], input:not([type="hidden"]), select, textarea, a[href]';

/**
 * A dialog over the screen (the timeout warning, the staff PIN pad, remote help's chooser and
 * consent) takes the keys while it is open. `data-keypad-dialog` marks a passing overlay that is no
 * dialog to assistive technology (remote help's 正在准备…) but covers the screen all the same: the
 * screen under it is not read again meanwhile.
 */
const dialogs = '[role="alertdialog"], [role="dialog"][aria-modal="true"], [data-keypad-dialog]';

function scope(): Element | null {
  return document.querySelector(dialogs) ?? document.querySelector('[data-screen]');
}

/**
 * Laid out, shown and not hidden from assistive technology. Under the privacy blank everything is
 * invisible, so there only the screen's own hiding counts (a pager button with nowhere to go).
 */
function present(el: Element): boolean {
  if (el.getClientRects().length === 0) return false;
  if (el.closest('[hidden], [inert], [aria-hidden="true"], .measuring, .unavailable') !== null) return false;
  return document.documentElement.classList.contains('keypad-privacy') || getComputedStyle(el).visibility !== 'hidden';
}

/**
 * Every control in reading order: the screen's own (its content and its action bar) first, then the
 * frame's (language, text size, home, call staff). Back is the back key; the voice controls are the
 * keypad's own keys.
 */
export function keypadItems(root: Element): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(actionable)].filter(
    (el) => present(el) && el.closest('.voice-controls') === null && el.dataset.testid !== 'back',
  );
  const content = root.querySelector('main.content');
  if (content === null) return all;
  return [...all.filter((el) => content.contains(el)), ...all.filter((el) => !content.contains(el))];
}

const text = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * How an element is read: `data-keypad-speak-text` (the mode's reading of a number, digit by digit),
 * else `data-speak-text` (the voice's), else its words as shown.
 */
const said = (el: Element): string =>
  el.getAttribute('data-keypad-speak-text') ?? el.getAttribute('data-speak-text') ?? text(el);

/**
 * A control's words with a pause where the screen breaks a line (a tile's name, then its summary):
 * textContent runs them together. Display, not visibility, decides, so it reads the same under the
 * privacy blank.
 */
function controlWords(el: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        parts[parts.length === 0 ? 0 : parts.length - 1] = `${parts.at(-1) ?? ''}${child.textContent ?? ''}`;
      } else if (child instanceof Element && child.getAttribute('aria-hidden') !== 'true') {
        const block = !getComputedStyle(child).display.startsWith('inline');
        if (block) parts.push('');
        walk(child);
        if (block) parts.push('');
      }
    }
  };
  walk(el);
  const words = parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  return words.length === 0 ? text(el) : words.join(words.some((w) => /[\u3400-\u9fff]/.test(w)) ? '，' : ', ');
}

function spokenItem(el: HTMLElement): SpokenItem {
  return {
    name:
      el.getAttribute('aria-label') ??
      el.getAttribute('data-keypad-speak-text') ??
      el.getAttribute('data-speak-text') ??
      controlWords(el),
    pressed: el.getAttribute('aria-pressed') === 'true',
    disabled: el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true',
  };
}

function screenWords(root: Element, items: HTMLElement[], focused: HTMLElement | null): ScreenWords {
  const heading = root.querySelector('h1');
  // data-speak: what the voice reads for everyone; data-keypad-speak: what only this mode adds (the
  // check screen's answers, the case number), both shown on the screen as they are said.
  const texts = [...root.querySelectorAll('[data-speak], [data-keypad-speak]')]
    .filter((el) => present(el) && el.closest(actionable) === null && el !== heading)
    .map(said);
  // A dialog's words are its paragraphs (the timeout warning marks none for speech).
  if (root.matches(dialogs) && texts.length === 0)
    texts.push(...[...root.querySelectorAll('p')].filter(present).map(text));
  const index = focused === null ? -1 : items.indexOf(focused);
  return {
    heading: heading === null ? '' : text(heading),
    texts,
    items: items.map(spokenItem),
    focus: index === -1 ? null : index,
  };
}

/** Where the focus starts on a new screen: the on-screen keypad's first key, else the main action, else the first item. */
function startItem(root: Element, items: HTMLElement[]): HTMLElement | null {
  const keypad = items.find((el) => el.closest('.keypad') !== null && !el.matches(':disabled'));
  const primary = items.find((el) => el.classList.contains('primary') && !el.matches(':disabled'));
  return (root.querySelector('.keypad') !== null ? keypad : primary) ?? items[0] ?? null;
}

/** The value an on-screen keypad has typed so far, as it is to be read (digit by digit). */
const typedValue = (root: Element): string | null =>
  root.querySelector('[data-keypad-value]')?.getAttribute('data-keypad-value') ?? null;

const alerts = (root: Element): Element[] => [...root.querySelectorAll('[role="alert"][data-speak]')].filter(present);

// ---- the keys ----------------------------------------------------------------------------------

export interface KeypadNavigatorProps {
  /** Changes with every screen (and language): the mode reads a new screen from the top. */
  readonly screenKey: string;
  /** Any key on the idle screen enters the mode (a resident who cannot see cannot find a help key first). */
  readonly idle: boolean;
  /** Subscribes to the tactile keypad's keys from the services; returns the unsubscribe. */
  readonly subscribe?: (onKey: (key: KeypadKey) => void) => () => void;
  /**
   * Private listening while the mode is on (`audio.privateListening`): with headphones in the
   * services mute the speaker. Answers whether the speaker is muted now.
   */
  readonly listenPrivately?: (on: boolean) => Promise<boolean>;
}

/**
 * How long the first words wait for the headphones answer before they are said anyway: the services
 * answer within amixer's own 2 s bound; this only guards against an answer that never comes.
 */
const headphonesWaitMs = 5000;

/**
 * Listens for the keypad's keys (the keyboard fallback here, the HID keypad through `subscribe`),
 * moves a visible focus ring through the screen's controls and says everything through the voice.
 * Renders nothing.
 */
export function KeypadNavigator(props: KeypadNavigatorProps) {
  const mode = useKeypadMode();
  const voice = useVoice();
  const { t } = useI18n();
  const focused = useRef<HTMLElement | null>(null);
  const lastScreen = useRef<string | null>(null);
  const seenAlerts = useRef(new Set<Element>());
  /** An enter's answer is still to come (the page renders what the click changed). */
  const busy = useRef(false);
  /**
   * Keys pressed before that answer: handled after it, in order. Handled at once they acted on the
   * screen being left, and the answer then took the focus back from where they had moved it (a
   * slow terminal, 4 Dec: 叫这里的工作人员, then down at once, and the focus jumped back to the top).
   */
  const waiting = useRef<KeypadKey[]>([]);
  /** The screen's control a dialog was opened from, focused again when the dialog closes. */
  const opener = useRef<HTMLElement | null>(null);
  /** Entering the mode says what it is before the screen. */
  const justEntered = useRef(false);
  /** Entering waits for the headphones answer, so the first words can say the speaker is off. */
  const entering = useRef(false);
  const speakerMuted = useRef(false);
  /** The speaker went off since the last words: said before the next ones. */
  const mutedNews = useRef(false);
  /** Set once the mode's own effect has seen it entered: before that nothing is read, so the first words are the announcement. */
  const wasActive = useRef(false);
  /** Reads the screen if it is new (set up by the listeners' effect, called by the screen-key effect). */
  const refresh = useRef<() => void>(() => undefined);
  // The handlers below run from listeners installed once; they read the newest values from here.
  const latest = useRef({ mode, voice, t, props });
  latest.current = { mode, voice, t, props };

  // A layout effect: the keys are listened to before the screen is painted. A passive effect runs a
  // frame later, and a key of the tactile keypad pressed as the screen appeared was lost (the e2e
  // walk-away test, CI 4 Dec: the key went out, no announcement followed in 20 s).
  useLayoutEffect(() => {
    // The person may leave (the wipe unmounts this) between a key and its answer: then nothing more is said.
    let alive = true;
    const say = (line: string) => {
      if (alive) latest.current.voice.announce(line);
    };

    const focus = (el: HTMLElement | null) => {
      const previous = focused.current;
      if (previous !== null && previous !== el) previous.removeAttribute('data-keypad-focus');
      focused.current = el;
      if (el === null) return;
      el.setAttribute('data-keypad-focus', '');
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest' });
    };

    /** The controls now, with the focus kept on the same control when it is still there. */
    const current = () => {
      const root = scope();
      if (root === null) return null;
      const items = keypadItems(root);
      if (focused.current !== null && !items.includes(focused.current)) focus(null);
      return { root, items };
    };

    /** A new screen (or a dialog, or a screen whose heading changed): read it from the top. */
    const sync = (): { fresh: boolean; newAlerts: string[] } => {
      const before = focused.current;
      const now = current();
      if (now === null) return { fresh: false, newAlerts: [] };
      const heading = now.root.querySelector('h1');
      // A screen still loading its part (a lazy camera, a list being measured) has no heading yet:
      // it is read once it has one.
      if (heading === null || text(heading) === '') return { fresh: false, newAlerts: [] };
      // A long list lays every item out once to cut its pages (paged-list.tsx): read what it shows after.
      if (now.root.querySelector('.measuring') !== null) return { fresh: false, newAlerts: [] };
      // A screen whose controls came or went (a step that finished loading, a list's other page) is
      // a new state of it: read from the top again. Typing, choosing and errors keep the controls.
      const signature = [
        latest.current.props.screenKey,
        now.root.getAttribute('role') ?? '',
        text(heading),
        now.items.length,
      ].join('|');
      const shown = alerts(now.root);
      const newAlerts = shown.filter((el) => !seenAlerts.current.has(el));
      seenAlerts.current = new Set(shown);
      if (signature === lastScreen.current)
        return { fresh: false, newAlerts: newAlerts.map((el) => el.getAttribute('data-speak-text') ?? text(el)) };
      lastScreen.current = signature;
      const dialog = now.root.matches(dialogs);
      // A dialog opened from a control of the screen (叫工作人员 → the chooser): closing it brings the
      // focus back to that control, as a sighted resident's eyes would go back to it.
      if (dialog && before !== null && before.closest(dialogs) === null) opener.current = before;
      const back = dialog ? null : opener.current;
      if (!dialog) opener.current = null;
      focus(back !== null && now.items.includes(back) ? back : startItem(now.root, now.items));
      return { fresh: true, newAlerts: [] };
    };

    const readScreen = () => {
      const now = current();
      if (now === null) return '';
      return screenLine(latest.current.t, screenWords(now.root, now.items, focused.current));
    };

    const itemSaid = (items: HTMLElement[]) => {
      const index = focused.current === null ? -1 : items.indexOf(focused.current);
      const el = items[index];
      return el === undefined ? '' : itemLine(latest.current.t, spokenItem(el), index + 1, items.length);
    };

    /** After the page has rendered what a key or an event changed. */
    const afterRender = (then: () => void) =>
      requestAnimationFrame(() =>
        requestAnimationFrame(() =>
          setTimeout(() => {
            if (alive) then();
          }, 0),
        ),
      );

    const activate = (el: HTMLElement) => {
      const { t: tr } = latest.current;
      if (el.matches(':disabled')) return say(itemLine(tr, spokenItem(el), 0, 0).replace(/^.*?[:：]/, ''));
      const before = current();
      const valueBefore = before === null ? null : typedValue(before.root);
      const textsBefore = before === null ? [] : screenWords(before.root, before.items, null).texts;
      const name = spokenItem(el).name;
      const answer = () => {
        const { fresh, newAlerts } = sync();
        if (fresh) return say(readScreen());
        const now = current();
        if (now === null) return;
        // The chosen control went away (下一页 on the last page): read on from the top of what is shown.
        if (focused.current === null) focus(now.items[0] ?? null);
        const value = typedValue(now.root);
        // A list that turned a page (下一页) has new words to read before the focused item.
        const textsNow = screenWords(now.root, now.items, focused.current).texts;
        const newTexts = textsNow.join('\n') === textsBefore.join('\n') ? [] : textsNow;
        const parts =
          value !== null && value !== valueBefore ? [typedLine(tr, name, value)] : [...newTexts, itemSaid(now.items)];
        say(sentences([...parts, ...newAlerts.filter((alert) => !parts.includes(alert))]));
      };
      busy.current = true;
      el.click();
      afterRender(() => {
        busy.current = false;
        answer();
        // One at a time: a waiting enter makes the keys after it wait for its own answer.
        while (!busy.current) {
          const key = waiting.current.shift();
          if (key === undefined) break;
          handle(key);
        }
      });
    };

    const handle = (key: KeypadKey): boolean => {
      const { mode: m, voice: v, t: tr, props: p } = latest.current;
      if (!m.active) {
        if (key !== 'help' && !p.idle) return false;
        m.enter();
        return true;
      }
      if (busy.current) {
        waiting.current.push(key);
        return true;
      }
      const now = current();
      switch (key) {
        case 'up':
        case 'down': {
          if (now === null) return true;
          const index = focused.current === null ? null : now.items.indexOf(focused.current);
          const moved = moveFocus(index === -1 ? null : index, now.items.length, key);
          focus(moved.focus === null ? null : (now.items[moved.focus] ?? null));
          const line = itemSaid(now.items);
          say(moved.atEnd ? sentences([tr(key === 'down' ? 'audio.last' : 'audio.first'), line]) : line);
          return true;
        }
        case 'enter':
          if (focused.current === null) say(readScreen());
          else activate(focused.current);
          return true;
        case 'back': {
          const root = scope();
          // A dialog closes the way it says it does (remote help's chooser: 不用了), or not at all.
          if (root?.matches(dialogs) === true) {
            const close = m.backIn(root);
            if (close === undefined) say(tr('audio.noBack'));
            else close();
            return true;
          }
          const back = document.querySelector<HTMLElement>('[data-screen] [data-testid="back"]');
          if (back === null) say(tr('audio.noBack'));
          else back.click();
          return true;
        }
        case 'help':
          if (now !== null) say(helpLine(tr, screenWords(now.root, now.items, focused.current)));
          return true;
        case 'repeat':
          v.repeat();
          return true;
        case 'volume-up':
        case 'volume-down': {
          const volume = Math.min(1, Math.max(0, v.volume + (key === 'volume-up' ? volumeStep : -volumeStep)));
          v.setVolume(volume);
          afterRender(() => say(tr('voiceControl.volume', { percent: Math.round(volume * 100) })));
          return true;
        }
        case 'rate-up':
        case 'rate-down': {
          const rate = stepRate(v.rate, key === 'rate-up' ? 'up' : 'down');
          v.setRate(rate);
          afterRender(() => say(tr('audio.rate', { percent: Math.round(rate * 100) })));
          return true;
        }
        case 'privacy': {
          const on = !document.documentElement.classList.contains('keypad-privacy');
          m.setPrivacy(on);
          say(tr(on ? 'audio.privacyOn' : 'audio.privacyOff'));
          return true;
        }
      }
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const key = keypadKeyFor(event);
      if (key !== null && handle(key)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    // Bubble phase on window: the wedge scanner (capture phase) has already taken its bursts.
    window.addEventListener('keydown', onKeyDown);

    // New screens, dialogs and errors arrive without a key (a card read, a slow answer, the timeout).
    refresh.current = () => {
      if (!latest.current.mode.active || !wasActive.current || busy.current || entering.current) return;
      const { fresh, newAlerts } = sync();
      const entered = [
        ...(justEntered.current ? [latest.current.t('audio.entered')] : []),
        ...(mutedNews.current ? [latest.current.t('audio.headphones')] : []),
      ];
      justEntered.current = false;
      mutedNews.current = false;
      if (fresh) say(sentences([...entered, readScreen()]));
      else if (newAlerts.length > 0 || entered.length > 0) say(sentences([...entered, ...newAlerts]));
    };
    let frame = 0;
    const observer = new MutationObserver(() => {
      if (!latest.current.mode.active || busy.current) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => refresh.current());
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const unsubscribe = latest.current.props.subscribe?.((key) => void handle(key));
    return () => {
      alive = false;
      // The person has gone: the speaker is the next person's again.
      // (Always asked when the mode was on: an answer still on its way may yet have muted it.)
      if (latest.current.mode.active) void latest.current.props.listenPrivately?.(false);
      window.removeEventListener('keydown', onKeyDown);
      observer.disconnect();
      cancelAnimationFrame(frame);
      unsubscribe?.();
      focused.current?.removeAttribute('data-keypad-focus');
    };
  }, []);

  // A new screen key (a screen that looks alike, another language; entering the mode) is read from the top.
  useEffect(() => {
    if (!mode.active) return undefined;
    // The screen's signature includes the key, so a new key reads the screen; entering reads it anew.
    const first = !wasActive.current;
    if (first) {
      justEntered.current = true;
      lastScreen.current = null;
    }
    wasActive.current = true;
    let frame = 0;
    const readSoon = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => refresh.current());
    };
    // Headphones are asked on every screen (plugged in mid-journey counts); only entering waits.
    const listen = latest.current.props.listenPrivately;
    if (listen !== undefined) {
      if (first) entering.current = true;
      let waited = 0;
      const answered = (muted: boolean) => {
        if (muted && !speakerMuted.current) mutedNews.current = true;
        speakerMuted.current = muted;
      };
      void Promise.race([
        listen(true).then(answered),
        new Promise<void>((resolve) => (waited = window.setTimeout(resolve, headphonesWaitMs))),
      ]).then(() => {
        window.clearTimeout(waited);
        if (!first) return;
        entering.current = false;
        readSoon();
      });
    }
    if (!first || listen === undefined) readSoon();
    return () => cancelAnimationFrame(frame);
  }, [props.screenKey, mode.active]);
  return null;
}
