import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';

/**
 * The first screens in Chromium against the real browser host: idle → category → service →
 * notice → back, the language and large-text switches, axe on every screen, and screenshots.
 */
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  kiosk = await startKioskProcess({ bundled: true });
  chromium = await launchChromium();
  console.log(`e2e: Chromium ${chromium.browser.version()} against ${kiosk.url}`);
});

afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
});

async function screen(page: Page): Promise<string | null> {
  return page.locator('[data-screen]').first().getAttribute('data-screen');
}

describe('catalogue screens in Chromium', () => {
  it('walks idle → category → service → notice and back, each screen accessible', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    await expect.poll(() => screen(page)).toBe('idle');
    await expect.poll(() => page.locator('h1').textContent()).toBe('柳溪村自助服务终端');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '01-idle');

    await page.getByTestId('start').click();
    await expect.poll(() => screen(page)).toBe('categories');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '02-categories');

    await page.getByTestId('category-elderly').click();
    await expect.poll(() => screen(page)).toBe('services:elderly');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '03-services');

    await page.getByTestId('service-OLD-AGE-ALLOWANCE').click();
    await expect.poll(() => screen(page)).toBe('notice:OLD-AGE-ALLOWANCE');
    await expect.poll(() => page.locator('h1').textContent()).toBe('高龄津贴申请');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '04-notice');

    await page.getByTestId('back').click();
    await expect.poll(() => screen(page)).toBe('services:elderly');
    await page.getByTestId('back').click();
    await expect.poll(() => screen(page)).toBe('categories');
    await context.close();
  });

  it('switches language and text size on every screen, and axe stays clean', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    await page.getByTestId('language').click();
    await expect.poll(() => page.getByTestId('start').textContent()).toBe('Touch the screen to start');
    await page.getByTestId('large-text').click();
    await expect
      .poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)))
      .toBeGreaterThanOrEqual(36);
    await page.getByTestId('start').click();
    await page.getByTestId('category-social-security').click();
    await page.getByTestId('service-PENSION-CERT').click();
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Pension eligibility check (rural and urban residents)');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '05-notice-english-large');
    await page.getByTestId('language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('城乡居民养老保险待遇资格认证');
    await context.close();
  });

  it('warns before the inactivity timeout, extends on one tap, then wipes back to idle', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl(), { fakeClock: true });
    await page.getByTestId('language').click(); // a per-person choice that must be wiped
    await page.getByTestId('start').click();
    await page.getByTestId('category-elderly').click();
    // Defaults: 120 s timeout, warning 30 s before.
    await page.clock.runFor(89_000);
    await expect.poll(() => page.getByTestId('timeout-dialog').count()).toBe(0);
    await page.clock.runFor(2_000);
    await expect.poll(() => page.getByTestId('timeout-dialog').isVisible()).toBe(true);
    expect(Number(await page.getByTestId('timeout-seconds').textContent())).toBeGreaterThanOrEqual(20);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, '06-timeout-warning');
    // WCAG 2.2.1: at least ten extensions, each one tap.
    for (let i = 0; i < 10; i++) {
      if (i > 0) await page.clock.runFor(91_000);
      await expect.poll(() => page.getByTestId('timeout-dialog').isVisible()).toBe(true);
      await page.getByTestId('timeout-continue').click();
      await expect.poll(() => page.getByTestId('timeout-dialog').count()).toBe(0);
    }
    expect(await screen(page)).toBe('services:elderly');
    await page.clock.runFor(121_000);
    await expect.poll(() => screen(page)).toBe('idle');
    await expect.poll(() => page.getByTestId('start').textContent()).toBe('轻触屏幕开始办理');
    await context.close();
  });
});
