import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { speechLog } from './browser';
import { repoRoot } from './kiosk-process';

/**
 * Drives the resident journey with the keyboard only (page.keyboard, never a click), as a blind
 * resident with a USB numeric keypad would: Numpad8/2 move, Numpad6 chooses, Numpad4 goes back
 * (renderer/keypad/keyboard-keys.ts). Every move is checked against what the terminal said: the
 * focused item is announced with its position, and every new screen speaks its heading.
 */
export const keys = {
  up: 'Numpad8',
  down: 'Numpad2',
  enter: 'Numpad6',
  back: 'Numpad4',
  help: 'Numpad0',
  repeat: 'Numpad5',
  privacy: 'NumpadDecimal',
  rateUp: 'NumpadMultiply',
  volumeDown: 'NumpadSubtract',
} as const;

/** Words compared without the pauses the mode puts between a control's lines. */
const bare = (text: string) => text.replace(/[\s，,。.]/g, '');

/**
 * A screen's reading has its heading as a sentence of its own ("高龄津贴申请。 本页有 …"); a control
 * named like the heading (the 高龄津贴申请 tile of the screen before) does not count.
 */
function saysHeading(text: string, heading: string): boolean {
  const starts = [0, ...[...text.matchAll(/[。.!！?？]\s+/g)].map((m) => m.index + m[0].length)];
  return starts.some((at) => bare(text.slice(at)).startsWith(bare(heading)));
}

const itemPattern = /第 (\d+) 项，共 (\d+) 项：|Item (\d+) of (\d+): /;

export interface ScreenHeard {
  readonly screen: string;
  readonly heading: string;
  readonly said: string;
}

export class KeypadDriver {
  /** The speech log's length when the last key was pressed: what came after is its answer. */
  private mark = 0;
  readonly screens: ScreenHeard[] = [];
  /** How many focus moves were checked against what was said. */
  moves = 0;

  constructor(readonly page: Page) {}

  get log() {
    return speechLog(this.page);
  }

  /** What was said since the last key press. */
  since(): string[] {
    return this.log.slice(this.mark).map((u) => u.text);
  }

  /** Waits until something said since the last key satisfies `test`; returns it. */
  async heard(test: (text: string) => boolean, what: string): Promise<string> {
    try {
      await expect.poll(() => this.since().some(test), { message: `heard ${what}`, timeout: 20_000 }).toBe(true);
    } catch (error) {
      // What the page was doing says whether the key was lost or the words were: worth a failure's message.
      const page = await this.page
        .evaluate(() => ({
          screen: document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? null,
          html: document.documentElement.className,
          measuring: document.querySelector('.measuring') !== null,
        }))
        .catch((cause: unknown) => String(cause));
      throw new Error(
        `${what}: not heard within 20 s. Said since the key: ${JSON.stringify(this.since())}; the page: ${JSON.stringify(page)}`,
        { cause: error },
      );
    }
    return this.since().find(test) ?? '';
  }

  async press(key: string): Promise<void> {
    this.mark = this.log.length;
    await this.page.keyboard.press(key);
  }

  /**
   * Keys pressed faster than the terminal answers: all in one task of the page, so none of the page's
   * own work (the answer to an enter) can come between them.
   */
  async pressTogether(...pressed: string[]): Promise<void> {
    this.mark = this.log.length;
    await this.page.evaluate((codes) => {
      for (const code of codes)
        (document.activeElement ?? document.body).dispatchEvent(
          new KeyboardEvent('keydown', { code, bubbles: true, cancelable: true }),
        );
    }, pressed);
  }

  focused(): Promise<{ testId: string | null; name: string } | null> {
    return this.page.evaluate(() => {
      const el = document.querySelector('[data-keypad-focus]');
      if (el === null) return null;
      // The words a person hears: pictures and symbols marked aria-hidden (⌫, ★) are not said.
      const words = (node: Node): string =>
        [...node.childNodes]
          .map((child) =>
            child.nodeType === Node.TEXT_NODE
              ? (child.textContent ?? '')
              : child instanceof Element && child.getAttribute('aria-hidden') !== 'true'
                ? words(child)
                : '',
          )
          .join('');
      const name = el.getAttribute('aria-label') ?? words(el).replace(/\s+/g, ' ').trim();
      return { testId: el.getAttribute('data-testid'), name };
    });
  }

  screenId(): Promise<string> {
    return this.page.evaluate(() => document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? '');
  }

  /** One step of the focus; checks that the item now focused was announced with its position. */
  async move(direction: 'up' | 'down'): Promise<{ atEnd: boolean }> {
    const before = await this.focused();
    await this.press(keys[direction]);
    // The newest item line must name the item now focused (a screen re-read after a resize — the
    // screenshots turn the viewport — may come after the key and move the focus to its start).
    let said = '';
    let nowId: string | null = null;
    await expect
      .poll(
        async () => {
          said =
            this.since()
              .filter((t) => itemPattern.test(t))
              .at(-1) ?? '';
          const now = await this.focused();
          nowId = now?.testId ?? null;
          return now !== null && said !== '' && bare(said).includes(bare(now.name));
        },
        { message: 'the focused item is announced', timeout: 20_000 },
      )
      .toBe(true);
    this.moves++;
    return { atEnd: /已经是|This is the (first|last) item/.test(said) || before?.testId === nowId };
  }

  /**
   * Moves the focus to the control `testId`: down first, then up from the end. A control on a later
   * page of a list is reached as a person would: 下一页 is chosen on the way down.
   */
  async moveTo(testId: string): Promise<void> {
    let direction: 'up' | 'down' = 'down';
    for (let step = 0; step < 80; step++) {
      const at = (await this.focused())?.testId;
      if (at === testId) return;
      if (at === 'page-next' && direction === 'down' && !(await this.page.getByTestId(testId).isVisible())) {
        await this.press(keys.enter);
        await this.heard((t) => itemPattern.test(t), 'the next page');
        continue;
      }
      const { atEnd } = await this.move(direction);
      if (atEnd) {
        if (direction === 'up') break;
        direction = 'up';
      }
    }
    throw new Error(`no control ${testId} reachable by the keys on ${await this.screenId()}`);
  }

  /** Moves to `testId` and presses enter. */
  async choose(testId: string): Promise<void> {
    await this.moveTo(testId);
    await this.press(keys.enter);
  }

  /**
   * Waits for the screen `prefix` and checks that it was read from its heading, with the focused
   * item announced; records what was said for the speech log.
   */
  async expectScreen(prefix: string): Promise<string> {
    await expect.poll(() => this.screenId(), { timeout: 30_000 }).toMatch(new RegExp(`^${prefix}`));
    const heading = ((await this.page.locator('[data-screen] main h1').first().textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    expect(heading, 'every screen has a heading').not.toBe('');
    const said = await this.heard((t) => saysHeading(t, heading), `the heading ${heading}`);
    // The spoken text is the screen's text: everything the screen marks for speech outside its
    // controls is in what was said, as it is written (or as the page says to read it).
    const shown = await this.page.evaluate(() =>
      [...document.querySelectorAll('[data-screen] main [data-speak], [data-screen] main [data-keypad-speak]')]
        // A live status (printing… → printed) may have moved on since it was said: not compared.
        .filter(
          (el) =>
            el.getClientRects().length > 0 && el.closest('button, [role="status"]') === null && el.tagName !== 'H1',
        )
        .map((el) =>
          (el.getAttribute('data-keypad-speak-text') ?? el.getAttribute('data-speak-text') ?? el.textContent ?? '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .filter((text) => text !== ''),
    );
    for (const text of shown) expect(bare(said), `said on ${prefix}: ${text}`).toContain(bare(text));
    const focused = await this.focused();
    if (focused !== null) expect(bare(said), 'the screen names its focused item').toContain(bare(focused.name));
    this.screens.push({ screen: await this.screenId(), heading, said });
    return said;
  }

  /**
   * Waits for the dialog `testId` over the screen (remote help's chooser, its consent) and checks it
   * was read as a screen is: its heading, every line it shows, how many choices it offers (the
   * buttons it shows, in the page's language) and the item the focus is on. Returns what was said.
   */
  async expectDialog(testId: string): Promise<string> {
    const dialog = this.page.getByTestId(testId);
    await dialog.waitFor();
    const shown = await dialog.evaluate((el) => ({
      heading: (el.querySelector('h1')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      lines: [...el.querySelectorAll('p')].map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim()),
      buttons: el.querySelectorAll('button').length,
    }));
    expect(shown.heading, 'a dialog has a heading').not.toBe('');
    const said = await this.heard((t) => saysHeading(t, shown.heading), `the dialog ${shown.heading}`);
    for (const line of shown.lines) expect(bare(said), `said in ${testId}: ${line}`).toContain(bare(line));
    expect(said).toMatch(new RegExp(`本页有 ${shown.buttons} 项可选|There are ${shown.buttons} items here`));
    const focused = await this.focused();
    expect(focused, 'the focus is in the dialog').not.toBeNull();
    expect(await dialog.locator('[data-keypad-focus]').count(), 'the focus is in the dialog').toBe(1);
    expect(bare(said), 'the dialog names its focused item').toContain(bare(focused?.name ?? ''));
    this.screens.push({ screen: `dialog:${testId}`, heading: shown.heading, said });
    return said;
  }

  /** Types digits on the on-screen keypad, each read back with the value so far. */
  async typeDigits(digits: string): Promise<void> {
    for (const digit of digits) {
      await this.choose(`keypad-${digit}`);
      await this.heard(
        (t) => t.startsWith(`${digit}。已输入`) || t.startsWith(`${digit}. Entered so far`),
        'the digit',
      );
    }
  }

  /** The whole speech log, saved with the e2e artefacts (test-results/). */
  saveLog(name: string): string {
    const dir = join(repoRoot, 'test-results', 'speech');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.txt`);
    const start = this.log[0]?.at ?? 0;
    writeFileSync(
      file,
      this.log
        .map((u) => `${((u.at - start) / 1000).toFixed(1).padStart(7)} s  [${u.language}]  ${u.text}`)
        .join('\n') + '\n',
    );
    return file;
  }
}
