import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';
import { testPins } from '../support/provisioning';

/**
 * A fresh install (issue 13 "First start"): the screen shows the technician's setup, not the
 * resident screen; the technician sets the site and both PINs and lands in the technician console
 * (devices, self-test); the next page shows residents the idle screen.
 */
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  kiosk = await startKioskProcess({ bundled: true, provision: false });
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
});

const screen = (page: Page) => page.locator('[data-screen]').first().getAttribute('data-screen');

describe('first start', () => {
  it('shows the setup instead of the resident screen, and hands over to the technician console', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    await expect.poll(() => screen(page)).toBe('first-start-setup');
    // Five taps in the corner open nothing: there is no PIN yet.
    for (let i = 0; i < 5; i++) await page.mouse.click(30, 30);
    expect(await screen(page)).toBe('first-start-setup');
    await page.getByTestId('setup-site').fill('柳溪村便民服务站');
    await page.getByTestId('setup-staff-pin').fill(testPins.staff);
    await page.getByTestId('setup-technician-pin').fill(testPins.staff);
    await saveScreens(page, 'first-start-setup');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('setup-complete').click();
    await expect.poll(() => page.getByTestId('setup-outcome').textContent()).toContain('不能相同');
    await page.getByTestId('setup-technician-pin').fill(testPins.technician);
    await page.getByTestId('setup-complete').click();
    await expect.poll(() => screen(page)).toBe('tech-devices');
    await page.getByTestId('staff-sign-out').click();
    await expect.poll(() => screen(page)).toBe('idle');
    for (let i = 0; i < 5; i++) await page.mouse.click(30, 30);
    await expect.poll(() => screen(page)).toBe('staff-pin');
    await context.close();
  });
});
