import { assertNever } from '../../foundation/result';
import { PlatformStore } from '../../platform/server/platform-db';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type { SampleCardName } from '../../drivers/id-card/sample-cards';
import type { KeypadKey } from '../../foundation/keypad-keys';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { Question, Service } from '../../kiosk-config/catalogue-schema';
import type { WireApplicationSubmission as ApplicationSubmission } from '../../platform/contract/api-schemas';
import { nextNotification } from './browser';
import { untilValue } from './until';
import { sampleAnswer } from './sample-answers';
import { kioskDataCipher } from './data-key';
import type { KioskProcess } from './kiosk-process';

/**
 * Drives the resident journey in Chromium as a resident would — taps only — and talks to the
 * simulator dock (cards, printer, scanner, keypad, platform) of the kiosk under test.
 */
export class JourneyDriver {
  private token = '';
  constructor(
    readonly page: Page,
    readonly kiosk: KioskProcess,
  ) {}

  async init(): Promise<this> {
    // The launch URL left the socket's token in an HttpOnly cookie; the dock takes it as a header.
    const cookies = await this.page.context().cookies(this.kiosk.url);
    this.token = cookies.find((cookie) => cookie.name === 'kiosk-session')?.value ?? '';
    return this;
  }

  async dock<T = unknown>(path: string, body?: unknown, method = 'POST'): Promise<T> {
    const response = await fetch(`${this.kiosk.url}${path.replace(/^\//, '')}`, {
      method,
      headers: { 'x-kiosk-token': this.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`dock ${path}: ${JSON.stringify(json)}`);
    return json as T;
  }

  insertCard(name: SampleCardName) {
    return this.dock('/dock/id-reader/card', { name });
  }
  removeCard() {
    return this.dock('/dock/id-reader/card', undefined, 'DELETE');
  }
  /** A key on the simulated tactile keypad (docs/devices/tactile-keypad.md); the page hears it as `keypad.key`. */
  pressKey(key: KeypadKey) {
    return this.dock('/dock/keypad/press', { key });
  }
  /**
   * Lifts a card the kiosk has read and waits until the kiosk has noticed (its `card.removed`
   * notification): the reader only sees a removal after missed presence probes, so only then is
   * the same card new again (docs/devices/id-card-reader.md).
   */
  async takeCardAway(): Promise<void> {
    const noticed = nextNotification(this.page, 'card.removed');
    await this.removeCard();
    await noticed;
  }
  receipts(): Promise<Array<{ index: number; text: string; qrPayloads: string[]; cut: boolean }>> {
    return this.dock<Array<{ index: number; text: string; qrPayloads: string[]; cut: boolean }>>(
      '/dock/printer/receipts',
      undefined,
      'GET',
    );
  }

  screen(): Promise<string | null> {
    return this.page.locator('[data-screen]').first().getAttribute('data-screen');
  }

  async waitScreen(prefix: string, timeout = 30_000): Promise<void> {
    const wanted = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    await untilValue(
      async () => (await this.screen()) ?? '',
      (screen) => wanted.test(screen),
      timeout,
      `screen ${prefix}`,
    );
  }

  /**
   * Taps a control; one on a later page of a long list (paged-list.tsx) is reached by 下一页, as a person
   * would. Right after a screen appears its list may still be measuring (every item laid out once, then cut
   * into pages), so a control seen then can leave the page: the tap is retried until it lands.
   */
  async tap(testId: string): Promise<void> {
    const target = this.page.getByTestId(testId);
    const next = this.page.getByTestId('page-next');
    const measuring = this.page.locator('.pager.measuring');
    await untilValue(
      async () => {
        if ((await measuring.count()) === 0 && (await target.isVisible())) {
          return target.click({ timeout: 2_000 }).then(
            () => true,
            () => false,
          );
        }
        if ((await measuring.count()) === 0 && (await next.isVisible()))
          await next.click({ timeout: 2_000 }).catch(() => undefined);
        return false;
      },
      (landed) => landed,
      30_000,
      `tap on ${testId}`,
    );
  }

  async keypad(digits: string): Promise<void> {
    for (const d of digits) await this.tap(d === '.' ? 'keypad-decimal' : d === 'X' ? 'keypad-x' : `keypad-${d}`);
  }

  /** Types pinyin syllables, picking the candidate that is `character`, or digits as they are. */
  async pinyin(parts: Array<[string, string] | string>): Promise<void> {
    await this.page.getByTestId('pinyin-keyboard').waitFor();
    for (const part of parts) {
      if (typeof part === 'string') {
        for (const key of part) await this.page.locator(`.simple-keyboard [data-skbtn="${key}"]`).click();
        continue;
      }
      const [syllable, character] = part;
      for (const key of syllable) await this.page.locator(`.simple-keyboard [data-skbtn="${key}"]`).click();
      await this.page.locator('[data-testid^="candidate-"]', { hasText: character }).first().click();
    }
  }

  async answer(question: Question): Promise<void> {
    const value = String(sampleAnswer(question));
    switch (question.type) {
      case 'phone':
      case 'number':
      case 'bank-account':
      case 'certificate-number':
        return this.keypad(value).then(() => this.tap('next'));
      case 'date':
        return this.keypad(value.replaceAll('-', '')).then(() => this.tap('next'));
      case 'choice':
        return this.tap(`answer-${value}`);
      case 'yes-no':
        return this.tap('answer-yes');
      case 'village-group':
        // 三组: picked from the service point's list, one tap, no 下一步.
        return this.tap('answer-group-2');
      case 'text':
        // Handwriting is the default Chinese input; pinyin is one tap away.
        await this.tap('use-pinyin');
        await this.pinyin([['cun', '村'], '3', ['zu', '组']]);
        return this.tap('next');
      case 'address':
        return this.tap('next');
      default:
        return assertNever(question);
    }
  }

  /**
   * On a document screen: the camera opened by itself; take the photo by tap and use it. The camera also
   * takes it by itself once the picture holds still (camera-capture.tsx), which can beat the tap on a slow
   * machine: then the shutter is gone and 使用这张 is there already.
   */
  async photograph(): Promise<void> {
    // Not `isEnabled()` then `click()`: isEnabled waits (Playwright's 30 s) for a shutter that the camera
    // may have removed in between by taking the photo itself — the soak's "photo not taken" failures.
    const shutter = this.page.locator('[data-testid="camera-capture-button"]:enabled');
    const use = this.page.getByTestId('camera-use');
    // What the camera shows while waiting, so a photo not taken says why (starting, processing, no shutter).
    const cameraState = () =>
      this.page.evaluate(() => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="camera-capture-button"]');
        const video = document.querySelector('video');
        return [
          document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? 'no screen',
          button === null
            ? 'no shutter'
            : `shutter ${button.disabled ? 'disabled' : 'enabled'} "${button.textContent}"`,
          video === null ? 'no video' : `video readyState ${video.readyState}`,
        ].join(', ');
      });
    await untilValue(
      async () => {
        if (await use.isVisible()) return 'taken';
        await shutter.click({ timeout: 2_000 }).catch(() => undefined);
        return (await use.isVisible()) ? 'taken' : cameraState();
      },
      (state) => state === 'taken',
      30_000,
      'the photo taken',
    );
    await this.tap('camera-use');
    await this.page.getByTestId('document-preview').waitFor();
  }

  /** Draws one stroke on the signature pad through points given as fractions of its box. */
  private async stroke(points: ReadonlyArray<readonly [number, number]>): Promise<void> {
    const box = await this.page.getByTestId('signature-canvas').boundingBox();
    if (box === null) throw new Error('no signature canvas');
    const { mouse } = this.page;
    const at = ([x, y]: readonly [number, number]) => mouse.move(box.x + box.width * x, box.y + box.height * y);
    const [first, ...rest] = points;
    if (first === undefined) return;
    await at(first);
    await mouse.down();
    for (const point of rest) await at(point);
    await mouse.up();
  }

  async sign(): Promise<void> {
    await this.stroke(Array.from({ length: 13 }, (_, i) => [0.2 + i * 0.05, 0.6 - Math.sin(i / 2) * 0.2] as const));
    await this.tap('next');
  }

  /**
   * 不会写字: a ✗ instead of a name, confirmed on the spot by staff with `pin` on the signature
   * screen's PIN pad; ends on the check screen.
   */
  async signWithMark(pin: string, visit: (name: string) => Promise<void> = async () => {}): Promise<void> {
    await this.tap('signature-mark');
    await visit('signature-mark');
    const line = (from: readonly [number, number], to: readonly [number, number]) =>
      Array.from(
        { length: 9 },
        (_, i) => [from[0] + ((to[0] - from[0]) * i) / 8, from[1] + ((to[1] - from[1]) * i) / 8] as const,
      );
    await this.stroke(line([0.35, 0.25], [0.65, 0.75]));
    await this.stroke(line([0.65, 0.25], [0.35, 0.75]));
    await this.tap('next');
    await this.page.getByTestId('pin-ok').waitFor();
    await visit('signature-witness');
    for (const digit of pin) await this.tap(`keypad-${digit}`);
    await this.tap('pin-ok');
  }

  /** From the notice screen (card already read) to the check screen. */
  async fillApplication(
    service: Service,
    options: {
      onBehalf?: { relationship: string; card: SampleCardName };
      face?: 'granted' | 'staff-check';
      onScreen?: (name: string) => Promise<void>;
      /** Answers a question (by id) this way instead of the usual one. */
      answerWith?: Record<string, () => Promise<void>>;
      /** 不会写字: a mark confirmed by staff with this PIN instead of a written name. */
      markWitnessPin?: string;
    } = {},
  ): Promise<void> {
    const visit = async (name: string) => options.onScreen?.(name);
    await this.tap('notice-start');
    await this.waitScreen('identify:');
    await visit('identify');
    await this.tap('next');
    await this.waitScreen('parties:');
    await visit('parties');
    if (options.onBehalf === undefined) {
      await this.tap('parties-self');
    } else {
      await this.tap('parties-other');
      await this.tap(`relationship-${options.onBehalf.relationship}`);
      await this.insertCard(options.onBehalf.card);
      await this.page.getByTestId('next').waitFor({ timeout: 10_000 });
      await visit('parties-second-card');
      await this.tap('next');
    }
    for (const [index, question] of service.questions.entries()) {
      await this.waitScreen(`question:${service.code}:${index}`);
      await visit(`question-${question.type}`);
      await (options.answerWith?.[question.id] ?? (() => this.answer(question)))();
    }
    await this.waitScreen('consent:');
    await visit('consent');
    await this.tap('consent-agree');
    if (service.documents.some((d) => d.kind === 'face')) {
      await visit('consent-face');
      await this.tap(options.face === 'staff-check' ? 'face-staff' : 'face-agree');
    }
    for (const [index, requirement] of service.documents.entries()) {
      await this.waitScreen(`document:${service.code}:${index}`);
      await visit(`document-${requirement.kind}`);
      if (requirement.kind === 'face' && options.face === 'staff-check') {
        await this.tap('next');
        continue;
      }
      await this.photograph();
      await visit('document-preview');
      await this.tap('next');
    }
    await this.waitScreen('signature:');
    await visit('signature');
    if (options.markWitnessPin === undefined) await this.sign();
    else await this.signWithMark(options.markWitnessPin, visit);
    await this.waitScreen('check:');
    await visit('check');
  }

  /** A resident places their card and fills in `code` up to the check screen. */
  async applyWithCard(
    person: SampleCardName,
    code: string,
    options: Parameters<JourneyDriver['fillApplication']>[1] = {},
  ): Promise<void> {
    const target = service(code);
    await this.insertCard(person);
    await this.waitScreen('categories');
    await this.tap(`category-${target.categoryId}`);
    await this.tap(`service-${code}`);
    await this.fillApplication(target, options);
  }

  /** A resident places their card and opens the document service `code` (查询打印) up to its proof screen. */
  async openProof(person: SampleCardName, code: string): Promise<void> {
    await this.insertCard(person);
    await this.waitScreen('categories');
    await this.tap(`category-${service(code).categoryId}`);
    await this.tap(`service-${code}`);
    await this.waitScreen(`notice:${code}`);
    await this.tap('notice-start');
    await this.waitScreen('proof');
  }

  /** Submits from the check screen; returns the number shown in big digits. */
  async submit(): Promise<string> {
    await this.tap('submit');
    await this.waitScreen('submitted:', 30_000);
    return (await this.page.getByTestId('case-number').textContent()) ?? '';
  }

  async waitPrint(expected: string): Promise<void> {
    await untilValue(
      () => this.page.getByTestId('print-status').getAttribute('data-outcome'),
      (outcome) => outcome === expected,
      30_000,
      `print outcome ${expected}`,
    );
  }
}

export function service(code: string): Service {
  const found = embeddedCatalogue.services.find((s) => s.code === code);
  if (found === undefined) throw new Error(`no service ${code}`);
  return found;
}

/**
 * What the embedded platform holds (its SQLite file, read-only while the kiosk runs). Bodies are
 * encrypted with the kiosk's data key (the browser host's owner-only key file), so they are read
 * through the platform's store.
 */
export function platformApplications(kiosk: KioskProcess): Array<{
  application_id: string;
  case_number: string;
  local_number: string;
  service_code: string;
  body: ApplicationSubmission;
  attachments: number;
}> {
  const cipher = kioskDataCipher(join(kiosk.dataDir, 'data'));
  const db = new Database(join(kiosk.dataDir, 'data', 'embedded-platform', 'platform.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const store = new PlatformStore(db, cipher);
    const rows = db
      .prepare('SELECT application_id, case_number, local_number, service_code FROM applications')
      .all() as Array<{ application_id: string; case_number: string; local_number: string; service_code: string }>;
    return rows.map((row) => ({
      ...row,
      body: JSON.parse(store.applicationBody(row.application_id) ?? '{}') as ApplicationSubmission,
      attachments: (
        db.prepare('SELECT count(*) AS n FROM attachments WHERE application_id = ?').get(row.application_id) as {
          n: number;
        }
      ).n,
    }));
  } finally {
    db.close();
  }
}
