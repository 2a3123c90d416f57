import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enMessages } from '../../renderer/i18n/messages-en';
import { zhMessages } from '../../renderer/i18n/messages-zh';
import { launchChromium, openKiosk } from '../support/browser';
import { JourneyDriver, service } from '../support/journey-driver';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';
import { provisionDataDir } from '../support/provisioning';
import { canMountSmallDisk, fillUp, mountSmallDisk } from '../support/small-disk';
import { auditScreen } from '../support/screen-audit';

/**
 * The resident's side of a full disk (docs/storage.md), on the real kiosk with its data folder on a
 * 48 MB tmpfs the test fills: the notice screen says, before the first question, that no application
 * can be taken now and to ask staff or come back; space that returns is seen without a restart; a disk
 * that fills during the questions is told at submit, and submit goes through once space is back. Each
 * state is measured like the gallery's screens (axe, docs/ux.md's numbers, both orientations) and
 * photographed to test-results/screens/diskfull-*.
 */
const variants = [
  { language: 'zh', largeText: false, card: 'resident-long-term', messages: zhMessages },
  { language: 'en', largeText: true, card: 'resident-young', messages: enMessages },
] as const;

describe.skipIf(!canMountSmallDisk)('a full disk, as the resident meets it (skipped: mounting needs root)', () => {
  let root = '';
  let unmount: (() => void) | undefined;
  let kiosk: KioskProcess | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let filler = '';
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kiosk-e2e-diskfull-'));
    const disk = join(root, 'disk');
    unmount = mountSmallDisk(disk, 48);
    const data = join(disk, 'data');
    filler = join(disk, 'runaway.log');
    const provisioned = await provisionDataDir(data);
    if (provisioned.code !== 0) throw new Error(`kiosk provision failed: ${provisioned.stderr}`);
    kiosk = await startKioskProcess({
      bundled: true,
      provision: false,
      // Scaled to the 48 MB disk as the defaults (200 MB, 8 MB) are to a terminal's.
      config: { storage: { refuseBelowMegabytes: 8, reserveMegabytes: 2 } },
      args: ['--data', data],
    });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await kiosk?.stop();
    unmount?.();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(variants)(
    '$language, large text $largeText: refused before the questions and at submit, taken again when space returns',
    async ({ language, largeText, card, messages }) => {
      if (kiosk === undefined || chromium === undefined) throw new Error('not started');
      const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
      const driver = await new JourneyDriver(page, kiosk).init();
      const variant = `${language}-${largeText ? 'large' : 'normal'}`;
      const visit = (name: string) =>
        auditScreen(page, { label: `${variant} ${name}`, largeText, file: `diskfull-${variant}-${name}` });
      const pension = service('PENSION-CERT');
      const openNotice = async () => {
        await driver.tap(`category-${pension.categoryId}`);
        await driver.tap(`service-${pension.code}`);
        await driver.waitScreen(`notice:${pension.code}`);
      };

      // The disk is full before this resident comes.
      fillUp(filler);
      await driver.insertCard(card);
      await driver.waitScreen('categories');
      // Chosen once the person's session runs: a wipe for the one before (the last page's session ending)
      // may still reach the idle screen and would reset the choices made there.
      if (language === 'en') await driver.tap('language');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toMatch(new RegExp(`^${language}`));
      // Elder mode turns large text on for the older card; each variant then sets the size it measures.
      const pressed = async () => (await page.getByTestId('large-text').getAttribute('aria-pressed')) === 'true';
      if (!largeText) await expect.poll(pressed).toBe(true);
      if ((await pressed()) !== largeText) await driver.tap('large-text');
      await expect.poll(pressed).toBe(largeText);
      await openNotice();
      await expect.poll(() => refusal(page)).toBe(messages['notice.storageFull']);
      expect(await page.getByTestId('notice-start').count()).toBe(0);
      await page.getByTestId('problem-call-staff').waitFor();
      await visit('notice-refused');

      // Space returns (the runaway file deleted): the next look at a notice offers the start again.
      rmSync(filler);
      await driver.tap('back');
      await driver.tap(`service-${pension.code}`);
      await driver.waitScreen(`notice:${pension.code}`);
      await page.getByTestId('notice-start').waitFor();
      expect(await page.getByTestId('notice-refused').count()).toBe(0);
      await driver.fillApplication(pension);

      // The disk fills while the resident answers: told at submit, with their answers kept.
      fillUp(filler);
      await driver.tap('submit');
      await expect
        .poll(() => page.getByTestId('submit-problem').textContent(), { timeout: 30_000 })
        .toBe(messages['submit.storageFull']);
      await visit('submit-refused');
      rmSync(filler);
      await driver.submit();
      await driver.removeCard();
      await context.close();
    },
    600_000,
  );
});

async function refusal(page: Page): Promise<string | null> {
  const shown = page.getByTestId('notice-refused');
  return (await shown.count()) === 0 ? null : shown.textContent();
}
