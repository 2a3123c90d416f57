import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium, openKiosk } from '../test/support/browser';
import { repoRoot, startKioskProcess } from '../test/support/kiosk-process';
import { figure, ms, section, summarize } from './stats';

/**
 * Issue 6's figures, measured in Debian's Chromium through Playwright and CDP: initial JavaScript,
 * tap-to-paint under 4× CPU throttling, host start to idle painted, and idle CPU.
 */
function initialJavaScriptGzip(): { bytes: number; files: string[] } {
  const dist = join(repoRoot, 'dist', 'renderer');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g),
  ].map((m) => m[1] ?? '');
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
  return { bytes, files };
}

/** Resolves with ms from the next pointerdown to the frame after the screen changed. */
async function armTapTimer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __tap?: Promise<number> };
    w.__tap = new Promise<number>((resolve) => {
      window.addEventListener(
        'pointerdown',
        () => {
          const start = performance.now();
          const before = document.querySelector('[data-screen]')?.getAttribute('data-screen');
          const observer = new MutationObserver(() => {
            if (document.querySelector('[data-screen]')?.getAttribute('data-screen') === before) return;
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
          });
          observer.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: ['data-screen'],
          });
        },
        { once: true, capture: true },
      );
    });
  });
}

async function timedTap(page: Page, testId: string): Promise<number> {
  await armTapTimer(page);
  await page.getByTestId(testId).click();
  return page.evaluate(() => (window as unknown as { __tap: Promise<number> }).__tap);
}

export async function benchRenderer(options: { taps: number; idleSeconds: number }): Promise<void> {
  section('Renderer in Chromium (issue 6)');
  const js = initialJavaScriptGzip();
  figure('initial JavaScript, gzipped', `${(js.bytes / 1024).toFixed(1)} KB (${js.files.length} file)`, {
    met: js.bytes <= 80 * 1024,
    text: '≤ 80 KB',
  });

  const chromium = await launchChromium();
  try {
    // Host start → idle painted: Chromium is already up; the clock starts when the host process starts.
    const context = await chromium.browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const page = await context.newPage();
    const started = performance.now();
    const kiosk = await startKioskProcess({ bundled: true });
    try {
      await page.goto(kiosk.launchUrl());
      await page.waitForSelector('[data-screen="idle"]');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const startup = performance.now() - started;
      figure('browser host start → idle screen painted', ms(startup), { met: startup <= 1500, text: '≤ 1.5 s' });
      await context.close();

      const { page: tapPage, context: tapContext } = await openKiosk(chromium.browser, kiosk.launchUrl());
      const cdp = await tapContext.newCDPSession(tapPage);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const samples: number[] = [];
      for (let i = 0; i < options.taps; i++) {
        samples.push(await timedTap(tapPage, 'start'));
        samples.push(await timedTap(tapPage, 'category-elderly'));
        samples.push(await timedTap(tapPage, 'service-OLD-AGE-ALLOWANCE'));
        samples.push(await timedTap(tapPage, 'home'));
      }
      const s = summarize(samples);
      figure(
        `tap → next screen painted, 4× CPU throttling (${samples.length} taps)`,
        `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`,
        { met: s.p95 <= 100, text: 'p95 ≤ 100 ms' },
      );
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

      // Idle CPU: main-thread task time over the window, as a share of one core.
      await cdp.send('Performance.enable');
      const metric = async () =>
        (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
      const before = await metric();
      await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
      const share = ((await metric()) - before) / options.idleSeconds;
      figure(`idle screen CPU over ${options.idleSeconds} s`, `${(share * 100).toFixed(2)} % of one core`, {
        met: share <= 0.02,
        text: '≤ 2 %',
      });
      await tapContext.close();
    } finally {
      await kiosk.stop();
    }
  } finally {
    await chromium.close();
  }
}
