import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPins } from '../support/provisioning';
import { launchChromium, nextAnswer, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { JourneyDriver, platformApplications, service } from '../support/journey-driver';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';

/**
 * Acceptance 1 in Chromium: staff start an application for a resident (帮办代办); the resident
 * still reads their card and confirms on screen; the platform receives it with the staff member
 * as helper, and staff see it in their queue marked as helped.
 */
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  kiosk = await startKioskProcess();
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
});

describe('assisted application in Chromium', () => {
  it('is recorded with its helper on the platform and shown as helped in the staff queue', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    const driver = await new JourneyDriver(page, kiosk).init();
    const signInAsStaff = async () => {
      for (let i = 0; i < 5; i++) await page.mouse.click(25, 25);
      await driver.waitScreen('staff-pin');
      await driver.keypad(testPins.staff);
      await driver.tap('pin-ok');
      await driver.waitScreen('staff-queue');
    };
    await signInAsStaff();
    await driver.tap('assist-start');
    // Staff mode ends and the page starts afresh for the resident, with the assistance shown.
    await driver.waitScreen('idle');
    await expect.poll(() => page.getByTestId('assist-banner').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'staff-06-assisting');

    await driver.init();
    await driver.insertCard('resident-long-term');
    await driver.waitScreen('categories');
    await driver.tap('suggested-OLD-AGE-ALLOWANCE');
    await driver.waitScreen('notice:OLD-AGE-ALLOWANCE');
    await driver.fillApplication(service('OLD-AGE-ALLOWANCE'));
    const number = await driver.submit();
    const onPlatform = platformApplications(kiosk).find((a) => a.case_number === number);
    expect(onPlatform?.body.helper).toEqual({ staffId: 'staff' });

    await page.reload();
    await driver.waitScreen('idle');
    await expect.poll(() => page.getByTestId('assist-banner').count()).toBe(0);
    await driver.init();
    await signInAsStaff();
    const item = page.locator('[data-testid^="queue-"][data-state="submitted"]').first();
    await expect.poll(() => item.textContent()).toContain('工作人员帮办');
    expect(await item.textContent()).toContain(number);
    await driver.tap('staff-sign-out');
    await driver.waitScreen('idle');
    await context.close();
  });

  it('signs staff in with their own ID card once a technician registered it; an unregistered card is refused', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    const driver = await new JourneyDriver(page, kiosk).init();
    // The pad asks the kiosk to take the next card as a staff card when it opens; a card read
    // before that answer would start a resident's session (a race on a loaded machine).
    const openPad = async () => {
      const waitingForCard = nextAnswer(page, 'staff.awaitCard');
      for (let i = 0; i < 5; i++) await page.mouse.click(25, 25);
      await driver.waitScreen('staff-pin');
      await waitingForCard;
    };
    await openPad();
    await driver.insertCard('resident-young');
    await expect.poll(() => page.getByTestId('pin-message').textContent()).toContain('没有登记');
    await driver.takeCardAway();

    await driver.keypad(testPins.technician);
    await driver.tap('pin-ok');
    await driver.waitScreen('tech-devices');
    await driver.tap('tab-access');
    await page.getByTestId('access-staff-id').fill('S07');
    await driver.tap('access-register');
    await expect.poll(() => page.getByTestId('access-outcome').textContent()).toContain('S07');
    await driver.insertCard('resident-young');
    await expect.poll(() => page.getByText('已登记。').count()).toBe(1);
    await driver.takeCardAway();
    await saveScreens(page, 'tech-07-staff-card');
    await Promise.all([page.waitForEvent('load'), driver.tap('staff-sign-out')]);
    await driver.waitScreen('idle');

    await driver.init();
    await openPad();
    await driver.insertCard('resident-young');
    await driver.waitScreen('staff-queue');
    await driver.takeCardAway();
    await driver.tap('staff-sign-out');
    await driver.waitScreen('idle');
    // The card reads went to staff sign-in, never to a resident session.
    await expect.poll(() => page.getByTestId('assist-banner').count()).toBe(0);
    await context.close();
  });
});
