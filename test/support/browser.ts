import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startKioskProcess, type KioskProcess, type StartOptions } from './kiosk-process';
import { repoRoot } from './kiosk-process';

/** Debian's Chromium driven by Playwright, with the flags that work on our build machines. */
export const viewports = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
} as const;
export type Orientation = keyof typeof viewports;

export const screensDir = join(repoRoot, 'test-results', 'screens');

/** Playwright gives each launch a fresh profile of its own (the "new --user-data-dir"). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export interface OpenOptions {
  readonly orientation?: Orientation;
  /** Fake timers (Playwright's clock) for timeout tests; must be installed before the page loads. */
  readonly fakeClock?: boolean;
  /** Runs in the page before anything else, the fake clock included (the soak keeps the real clock's handles). */
  readonly initScript?: string;
}

export async function openKiosk(
  browser: Browser,
  url: string,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: viewports[options.orientation ?? 'portrait'],
    permissions: ['camera'],
  });
  if (options.initScript !== undefined) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  recordNotifications(page);
  if (options.fakeClock === true) await page.clock.install();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  // A locator, not waitForSelector: that answers with an element handle, which the browser keeps
  // (a DevTools handle) until it is disposed. It held the first person's screen element after the
  // wipe, and through it everything of that person (walked-away test: the phone number in the heap).
  await page.locator('[data-screen]').first().waitFor();
  return { context, page };
}

/**
 * The JSON-RPC notifications the kiosk sends the page (`card.read`, `card.removed`, …) and its
 * answers to the page's calls, seen on the page's WebSocket. Tests wait for the one they need
 * instead of sleeping until it has surely happened.
 */
type Waiter = { method: string; resolve: () => void };
const notificationWaiters = new WeakMap<Page, Set<Waiter>>();
const answerWaiters = new WeakMap<Page, Set<Waiter>>();
const spokenTexts = new WeakMap<Page, Array<{ text: string; language: string; at: number }>>();

/**
 * Everything the page asked the services to say (`speech.speak` calls on its WebSocket), in order:
 * the speech log of a journey (Chromium here has no Chinese voice, so the service side speaks).
 */
export function speechLog(page: Page): ReadonlyArray<{ text: string; language: string; at: number }> {
  const log = spokenTexts.get(page);
  if (log === undefined) throw new Error('the page was not opened with openKiosk');
  return log;
}

function recordNotifications(page: Page): void {
  const waiters = new Set<Waiter>();
  const answers = new Set<Waiter>();
  notificationWaiters.set(page, waiters);
  answerWaiters.set(page, answers);
  const spoken: Array<{ text: string; language: string; at: number }> = [];
  spokenTexts.set(page, spoken);
  page.on('websocket', (socket) => {
    // Calls the page sent whose answer someone waits for, by JSON-RPC id.
    const asked = new Map<unknown, Waiter>();
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string' || !payload.includes('"method"')) return;
      const { id, method, params } = JSON.parse(payload) as { id?: unknown; method?: unknown; params?: unknown };
      if (method === 'speech.speak') {
        const { text, language } = params as { text: string; language: string };
        spoken.push({ text, language, at: Date.now() });
      }
      for (const waiter of answers)
        if (waiter.method === method) {
          answers.delete(waiter);
          asked.set(id, waiter);
        }
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const notification = payload.includes('"method"');
      if (!notification && asked.size === 0) return;
      const { id, method } = JSON.parse(payload) as { id?: unknown; method?: unknown };
      if (method === undefined) {
        asked.get(id)?.resolve();
        asked.delete(id);
        return;
      }
      for (const waiter of waiters)
        if (waiter.method === method) {
          waiters.delete(waiter);
          waiter.resolve();
        }
    });
  });
}

function waitIn(registry: WeakMap<Page, Set<Waiter>>, page: Page, method: string, what: string, timeoutMs: number) {
  const waiters = registry.get(page);
  if (waiters === undefined) throw new Error('the page was not opened with openKiosk');
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const waiter: Waiter = {
      method,
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    waiters.add(waiter);
  });
}

/**
 * Resolves on the next notification `method` the page receives after this call; call it before
 * the action that causes the notification. Rejects after `timeoutMs` naming what it waited for.
 */
export function nextNotification(page: Page, method: string, timeoutMs = 30_000): Promise<void> {
  return waitIn(notificationWaiters, page, method, `the kiosk sent no ${method} notification`, timeoutMs);
}

/**
 * Resolves once the kiosk has answered the page's next call of `method` (sent after this call):
 * for a screen whose readiness is a call it makes on opening, such as the PIN pad's `staff.awaitCard`.
 */
export function nextAnswer(page: Page, method: string, timeoutMs = 30_000): Promise<void> {
  return waitIn(answerWaiters, page, method, `the page's ${method} call was not answered`, timeoutMs);
}

/** Saves the screen in both orientations to test-results/screens/. */
export async function saveScreens(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  const original = page.viewportSize();
  for (const [orientation, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(screensDir, `${name}-${orientation}.png`) });
  }
  if (original !== null) await page.setViewportSize(original);
}

/**
 * The newest axe-core the project installs. @axe-core/playwright bundles its own (older) copy and
 * would scan with that, missing the newer rules (label-content-name-mismatch among them); so the
 * scans hand the builder the source of whichever installed copy is newest.
 */
export function newestAxe(): { version: string; source: string } {
  const fromRoot = createRequire(join(repoRoot, 'package.json'));
  const fromBuilder = createRequire(fromRoot.resolve('@axe-core/playwright'));
  const copies = [fromRoot, fromBuilder].map((req) => {
    const manifest = req.resolve('axe-core/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { version, file: join(manifest, '..', 'axe.min.js') };
  });
  const key = (v: string) =>
    v
      .split('.')
      .map((n) => Number.parseInt(n, 10).toString().padStart(6, '0'))
      .join('.');
  const newest = copies.reduce((a, b) => (key(b.version) > key(a.version) ? b : a));
  return { version: newest.version, source: readFileSync(newest.file, 'utf8') };
}
const axe = newestAxe();

/** axe-core: violations of serious or critical impact on the current screen. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page, axeSource: axe.source }).analyze();
  const ran = [results.passes, results.violations, results.incomplete, results.inapplicable].flat();
  // WCAG 2.5.3: a button's spoken name must contain its visible words. Older axe builds skip it.
  if (!ran.some((r) => r.id === 'label-content-name-mismatch'))
    throw new Error(`axe-core ${axe.version} did not run label-content-name-mismatch`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** V8 heap after a forced GC: does any live string still contain `needle`? */
export async function heapContains(page: Page, needle: string): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  let snapshot = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (event) => (snapshot += event.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return snapshot.includes(needle);
}

/**
 * One kiosk process (the bundle `npm start` runs) and one Chromium for a test file: started before
 * its tests, stopped after. Read `kiosk` and `browser` inside tests. `config`: a configuration file's
 * content (only what differs from the embedded defaults).
 */
export function kioskInChromium(
  config?: unknown,
  start: Pick<StartOptions, 'env'> = {},
): { readonly kiosk: KioskProcess; readonly browser: Browser } {
  let kiosk: KioskProcess | undefined;
  let chromiumHandle: { browser: Browser; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    kiosk = await startKioskProcess({ ...start, bundled: true, ...(config === undefined ? {} : { config }) });
    chromiumHandle = await launchChromium();
  });
  afterAll(async () => {
    await chromiumHandle?.close();
    await kiosk?.stop();
  });
  return {
    get kiosk() {
      if (kiosk === undefined) throw new Error('the kiosk is not started');
      return kiosk;
    },
    get browser() {
      if (chromiumHandle === undefined) throw new Error('Chromium is not started');
      return chromiumHandle.browser;
    },
  };
}
