import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startKioskProcess, type KioskProcess } from './kiosk-process';
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
  const page = await context.newPage();
  if (options.fakeClock === true) await page.clock.install();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  await page.waitForSelector('[data-screen]');
  return { context, page };
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

/** axe-core: violations of serious or critical impact on the current screen. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
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
 * its tests, stopped after. Read `kiosk` and `browser` inside tests.
 */
export function kioskInChromium(): { readonly kiosk: KioskProcess; readonly browser: Browser } {
  let kiosk: KioskProcess | undefined;
  let chromiumHandle: { browser: Browser; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    kiosk = await startKioskProcess({ bundled: true });
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
