import { describe, expect, it } from 'vitest';
import { kioskInChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { JourneyDriver, service } from '../support/journey-driver';
import { uxViolations } from '../support/ux-audit';

/**
 * Every resident screen in both languages and both text sizes: axe finds no serious or critical
 * violation, docs/ux.md's numbers hold, and a screenshot of each (portrait and landscape) goes to
 * test-results/screens/gallery-*.
 */
const running = kioskInChromium();

const variants = [
  { language: 'zh', largeText: false, card: 'resident-long-term' },
  { language: 'zh', largeText: true, card: 'resident-young' },
  { language: 'en', largeText: false, card: 'resident-long-term' },
  { language: 'en', largeText: true, card: 'resident-young' },
] as const;

describe('screen gallery', () => {
  it.each(variants)(
    '$language, large text $largeText: every screen accessible and within UX numbers',
    async ({ language, largeText, card }) => {
      const { page, context } = await openKiosk(running.browser, running.kiosk.url);
      const driver = await new JourneyDriver(page, running.kiosk).init();
      const variant = `${language}-${largeText ? 'large' : 'normal'}`;
      const visit = async (name: string) => {
        expect(await seriousViolations(page), `${variant} ${name}`).toEqual([]);
        expect(await uxViolations(page, { largeText }), `${variant} ${name}`).toEqual([]);
        await saveScreens(page, `gallery-${variant}-${name}`);
      };
      // Leaving the progress screen wipes the page like any person leaving, so choose after it.
      const choose = async () => {
        if (language === 'en') await driver.tap('language');
        if (largeText) await driver.tap('large-text');
      };
      await choose();
      await driver.tap('progress');
      await driver.waitScreen('progress');
      await visit('progress');
      await driver.tap('back');
      await driver.waitScreen('idle');
      await choose();
      await visit('idle');
      await driver.insertCard(card);
      await driver.waitScreen('categories');
      await visit('categories');
      await driver.tap('category-social-security');
      await visit('services');
      await driver.tap('service-PENSION-CERT');
      await visit('notice');
      await driver.fillApplication(service('PENSION-CERT'), { onScreen: visit });
      await driver.submit();
      await driver.waitPrint('printed');
      await visit('submitted');
      await driver.tap('next');
      await driver.waitScreen('rating:');
      await visit('rating');
      await driver.tap('rating-2');
      await visit('rating-low');
      await driver.tap('reason-slow');
      await driver.tap('rating-send');
      await driver.waitScreen('goodbye');
      await visit('goodbye');
      await driver.removeCard();
      await context.close();
    },
    // Some 15 screens, each scanned by axe and measured in two orientations: about a minute and a
    // half on a busy 2-core machine, more under test/stress.sh. The bound only limits a hang.
    600_000,
  );
});
