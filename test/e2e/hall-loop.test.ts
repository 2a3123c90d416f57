import { describe, expect, it } from 'vitest';
import { kioskInChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { JourneyDriver } from '../support/journey-driver';

/**
 * The whole loop: a resident applies at the terminal, hall staff scan the paper receipt on the
 * platform's hall page (Chromium), verify it and accept the case; back at the terminal the resident
 * scans the same receipt and hears that it is accepted.
 */
const running = kioskInChromium();

describe('receipt from the terminal to the hall and back', () => {
  it('the hall verifies the paper and accepts the case; the terminal reports it', async () => {
    const { page, context } = await openKiosk(running.browser, running.kiosk.url);
    const driver = await new JourneyDriver(page, running.kiosk).init();
    await driver.applyWithCard('resident-long-term', 'PENSION-CERT', { face: 'staff-check' });
    const number = await driver.submit();
    await driver.waitPrint('printed');
    const payload = (await driver.receipts()).at(-1)?.qrPayloads[0] ?? '';
    await driver.tap('next');
    await driver.tap('rating-skip');
    await driver.tap('goodbye-done');
    await driver.waitScreen('idle');
    await driver.removeCard();

    // The embedded platform's address is in the kiosk's log ("platform listening").
    const platformUrl = /"url":"(http:\/\/127\.0\.0\.1:\d+)","msg":"platform listening"/.exec(
      running.kiosk.stderr(),
    )?.[1];
    expect(platformUrl).toBeDefined();
    const hall = await context.newPage();
    await hall.goto(`${platformUrl}/hall`);
    await hall.locator('#payload').fill(payload);
    await hall.getByRole('button', { name: '核验回执' }).click();
    await expect.poll(() => hall.locator('body').textContent()).toContain(number);
    const body = (await hall.locator('body').textContent()) ?? '';
    expect(body).toContain('王**');
    expect(body).not.toContain('王建国');
    expect(await seriousViolations(hall)).toEqual([]);
    await saveScreens(hall, 'hall-verified');
    await hall.locator('button[name="status"][value="accepted"]').click();
    await hall.waitForLoadState();

    await driver.dock('/dock/scanner/scan', { text: payload });
    await driver.waitScreen('progress');
    await expect
      .poll(() => page.getByTestId('progress-result').textContent(), { timeout: 15_000 })
      .toBe('已受理，正在办理');
    await context.close();
  });
});
