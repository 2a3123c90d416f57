import { describe, expect, it } from 'vitest';
import { kioskInChromium, openKiosk } from '../support/browser';
import { JourneyDriver, service } from '../support/journey-driver';
import { testPins } from '../support/provisioning';
import { auditScreen } from '../support/screen-audit';

/**
 * Every resident screen in both languages and both text sizes: axe finds no serious or critical
 * violation, docs/ux.md's numbers hold, and in both orientations (the 8 combinations of language ×
 * text size × orientation) every action is fully inside the viewport without scrolling and no
 * service name breaks inside a word. One journey per language and size reaches every screen; each
 * screen is then measured and photographed in portrait and landscape by resizing the same page
 * (test-results/screens/gallery-*), which costs far less than a journey per combination.
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
      const { page, context } = await openKiosk(running.browser, running.kiosk.launchUrl());
      const driver = await new JourneyDriver(page, running.kiosk).init();
      const variant = `${language}-${largeText ? 'large' : 'normal'}`;
      const visit = (name: string) =>
        auditScreen(page, { label: `${variant} ${name}`, largeText, file: `gallery-${variant}-${name}` });
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
      if (!largeText) {
        // Elder mode: a card of someone 60 or over turns large text on and offers voice with one tap,
        // on the first screen after the card only. Measured as it comes, then the person's own
        // choice of normal text holds for the rest of this variant.
        await expect.poll(() => page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('true');
        await page.getByTestId('voice-offer').waitFor();
        await visit('categories-elder');
        await driver.tap('large-text');
        await expect.poll(() => page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('false');
      }
      await visit('categories');
      await driver.tap('category-social-security');
      // Moving on without answering the voice offer is a "no": its banner takes no later screen's room.
      expect(await page.getByTestId('voice-offer').count()).toBe(0);
      await visit('services');
      await driver.tap('service-PENSION-CERT');
      await visit('notice');
      // Large text pages the notice (portrait and landscape alike): its later sections measured too.
      if (largeText) {
        await driver.tap('page-next');
        await visit('notice-page-2');
      }
      // 不会写字: the name screen is measured, then the mark and the staff PIN pad that confirms it.
      await driver.fillApplication(service('PENSION-CERT'), { onScreen: visit, markWitnessPin: testPins.staff });
      // The check list may be cut into pages (large text): turned to the signature's row as a person would.
      await driver.tap('check-mark-witness');
      // Confirmed with the service point's PIN: the role in words, never the id "staff".
      expect(await page.getByTestId('check-mark-witness').textContent()).toBe(
        language === 'zh' ? '画押，本站工作人员当面见证' : 'Mark, witnessed in person by the service point staff',
      );
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
      // 村民小组 is picked from the service point's list (耕地地力保护补贴's second question): the
      // next person, up to that question.
      await driver.tap('goodbye-done');
      await driver.waitScreen('idle');
      // Lifted and noticed, so the same card is new again when it is put back.
      await driver.takeCardAway();
      await choose();
      await driver.insertCard(card);
      await driver.waitScreen('categories');
      if (!largeText) {
        await expect.poll(() => page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('true');
        await driver.tap('large-text');
      }
      await driver.tap('category-agriculture');
      await driver.tap('service-FARMLAND-SUBSIDY');
      await driver.tap('notice-start');
      await driver.waitScreen('identify:');
      await driver.tap('next');
      await driver.tap('parties-self');
      const farmland = service('FARMLAND-SUBSIDY');
      const [phone, group] = farmland.questions;
      if (phone === undefined || group?.type !== 'village-group') throw new Error('FARMLAND-SUBSIDY changed');
      await driver.answer(phone);
      await driver.waitScreen('question:FARMLAND-SUBSIDY:1');
      await visit('question-village-group');
      await driver.answer(group);
      await driver.waitScreen('question:FARMLAND-SUBSIDY:2');
      await driver.removeCard();
      await context.close();
    },
    // Some 15 screens, each scanned by axe and measured in two orientations: about a minute and a
    // half on a busy 2-core machine, more under test/stress.sh. The bound only limits a hang.
    600_000,
  );
});
