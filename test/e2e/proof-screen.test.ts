import { expect, it } from 'vitest';
import { join } from 'node:path';
import { kioskInChromium, openKiosk, screensDir, seriousViolations, viewports } from '../support/browser';
import { JourneyDriver } from '../support/journey-driver';
import { uxViolations, viewportViolations } from '../support/ux-audit';

/**
 * The proof screen (查询打印) tapped through in Chromium against the bundled kiosk with its simulated
 * A4 printer and embedded platform: card → period → page image → print → take the papers. Each step
 * is held to the gallery's measures (axe, docs/ux.md's numbers, every button inside the viewport)
 * in both languages, both text sizes and both orientations, switched on the same screen, with no
 * known-problem list: the proof screen fits the shared frame. Screenshots: test-results/screens/proof-*.
 */
const running = kioskInChromium();

it('walks a pension payment record from card to paper, every step inside the frame', async () => {
  const { page, context } = await openKiosk(running.browser, running.kiosk.launchUrl());
  const driver = await new JourneyDriver(page, running.kiosk).init();
  // The four language × text size combinations in a loop of taps that ends where it began; the card
  // is an 82-year-old's, so elder mode starts in large text.
  const switches = [
    { variant: 'zh-large', lang: 'zh', largeText: true, then: 'language' },
    { variant: 'en-large', lang: 'en', largeText: true, then: 'large-text' },
    { variant: 'en-normal', lang: 'en', largeText: false, then: 'language' },
    { variant: 'zh-normal', lang: 'zh', largeText: false, then: 'large-text' },
  ] as const;
  const visit = async (name: string) => {
    for (const { variant, lang, largeText, then } of switches) {
      // A switch re-renders after the tap: measure only once the page shows it.
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toMatch(new RegExp(`^${lang}`));
      await expect
        .poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)))
        .toSatisfy((px: number) => px >= 36 === largeText);
      expect(await seriousViolations(page), `${variant} ${name}`).toEqual([]);
      expect(await uxViolations(page, { largeText }), `${variant} ${name}`).toEqual([]);
      for (const [orientation, size] of Object.entries(viewports)) {
        await page.setViewportSize(size);
        expect.soft(await viewportViolations(page), `${variant} ${name} ${orientation}`).toEqual([]);
        await page.screenshot({ path: join(screensDir, `proof-${variant}-${name}-${orientation}.png`) });
      }
      await page.setViewportSize(viewports.portrait);
      await driver.tap(then);
    }
  };

  await driver.openProof('resident-long-term', 'PENSION-RECORD');
  await page.getByTestId('proof-months-12').click();
  await expect.poll(() => page.getByTestId('proof-months-12').getAttribute('aria-pressed')).toBe('true');
  await visit('card');

  await driver.tap('proof-fetch');
  await page.locator('img.proof-page').waitFor();
  await expect.poll(() => page.getByTestId('proof-pages').textContent()).toMatch(/1/);
  await visit('preview');

  await driver.tap('proof-print');
  await page.getByTestId('proof-printed').waitFor({ timeout: 30_000 });
  await visit('printed');

  await driver.tap('proof-done');
  await driver.removeCard();
  await context.close();
});
