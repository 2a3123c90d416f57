import { bankRevealMs } from '../../renderer/screens/journey/check-screen';
import { describe, expect, it } from 'vitest';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import {
  heapContains,
  kioskInChromium,
  openKiosk,
  saveScreens,
  seriousViolations,
  viewports,
} from '../support/browser';
import { writeCharacter } from '../support/handwriting';
import { JourneyDriver, platformApplications, service } from '../support/journey-driver';
import { uxViolations, viewportViolations } from '../support/ux-audit';

/**
 * The resident journey in Chromium on the real kiosk process: simulated devices through the dock,
 * the fake camera, the embedded reference platform on loopback. Each test checks what reached the
 * platform and what the printed receipt says.
 */
const running = kioskInChromium();

async function open(options: { fakeClock?: boolean } = {}) {
  const { page, context } = await openKiosk(running.browser, running.kiosk.launchUrl(), options);
  const driver = await new JourneyDriver(page, running.kiosk).init();
  return { page, context, driver };
}

describe('the resident journey', () => {
  // Each test ends by lifting its card and waiting until the kiosk noticed: the reader sees a removal only after missed
  // presence probes, and until then the same card put back (the next test's) is not read again.
  it('an 80-year-old completes 高龄津贴申请 from card to printed receipt, taps only, every screen accessible', async () => {
    const { page, context, driver } = await open();
    const allowance = service('OLD-AGE-ALLOWANCE');
    await driver.tap('voice-toggle'); // voice on: every screen is read aloud
    const spokenBefore = running.kiosk.stderr().split('"msg":"speaking"').length;
    await driver.insertCard('resident-long-term');
    await driver.waitScreen('categories');
    expect(await page.getByTestId('suggested-OLD-AGE-ALLOWANCE').isVisible()).toBe(true);
    await saveScreens(page, 'journey-01-suggested');
    await driver.tap('suggested-OLD-AGE-ALLOWANCE');
    await driver.waitScreen('notice:OLD-AGE-ALLOWANCE');
    const checked = new Set<string>();
    await driver.fillApplication(allowance, {
      answerWith: {
        'bank-account': async () => {
          // Once the number passes its check it is read back, grouped, to compare with the card.
          await driver.keypad('6222021234567894');
          expect(await page.getByTestId('bank-readback').textContent()).toBe('请对照银行卡核对：6222 0212 3456 7894');
          await driver.tap('next');
        },
      },
      onScreen: async (name) => {
        if (checked.has(name)) return;
        checked.add(name);
        expect(await seriousViolations(page), name).toEqual([]);
        expect(await uxViolations(page, { largeText: false }), name).toEqual([]);
        await saveScreens(page, `journey-${String(checked.size + 1).padStart(2, '0')}-${name}`);
      },
    });
    expect(await page.getByTestId('check-phone').textContent()).toBe('138 1234 5678');
    // The card number is masked; one tap shows it whole, and it hides again by itself (bankRevealMs).
    expect(await page.getByTestId('check-bank-account').textContent()).toBe('6222 **** **** 7894');
    await driver.tap('reveal-bank-account');
    expect(await page.getByTestId('check-bank-account').textContent()).toBe('6222 0212 3456 7894');
    await expect
      .poll(() => page.getByTestId('check-bank-account').textContent(), { timeout: bankRevealMs + 10_000 })
      .toBe('6222 **** **** 7894');
    // Chromium here has no Chinese voice, so the service side spoke each screen (espeak-ng).
    expect(running.kiosk.stderr().split('"msg":"speaking"').length - spokenBefore).toBeGreaterThanOrEqual(checked.size);
    const number = await driver.submit();
    expect(number).toMatch(/\S/);
    await driver.waitPrint('printed');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'journey-30-submitted');

    const onPlatform = platformApplications(running.kiosk).find((a) => a.case_number === number);
    expect(onPlatform?.service_code).toBe('OLD-AGE-ALLOWANCE');
    expect(onPlatform?.body.answers).toMatchObject({
      phone: '13812345678',
      'payment-card': 'bank-card',
      'lives-alone': true,
    });
    expect(onPlatform?.body.applicant.name).toBe('王建国');
    // Both document photos are listed, and the signature; stored content-addressed (identical frames once).
    expect(onPlatform?.body.attachments.length).toBeGreaterThanOrEqual(1);
    expect(onPlatform?.body.signatureSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(onPlatform?.attachments).toBeGreaterThanOrEqual(2);
    const receipt = (await driver.receipts()).at(-1);
    expect(receipt?.text).toContain('申报回执');
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('王**');
    expect(receipt?.text).toContain('110105********0136');
    expect(receipt?.text).toContain('本回执不是受理通知书');
    expect(receipt?.qrPayloads[0]).toMatch(/^VK1\./);

    await driver.tap('next');
    await driver.waitScreen('rating:');
    await saveScreens(page, 'journey-31-rating');
    await driver.tap('rating-5');
    await driver.waitScreen('goodbye');
    await saveScreens(page, 'journey-32-goodbye');
    await driver.tap('goodbye-done');
    await driver.waitScreen('idle');
    // Nothing of the person remains in the page.
    const html = await page.content();
    for (const trace of ['王**', '0136', '13812345678', '幸福村']) expect(html).not.toContain(trace);
    expect(await heapContains(page, '13812345678')).toBe(false);
    await driver.takeCardAway();
    await context.close();
  });

  it('acceptance 2: a resident without a phone and without pinyin completes 高龄津贴申请 (没有手机, address by hand)', async () => {
    const { page, context, driver } = await open();
    // The pinyin keyboard is its own chunk, fetched on first use: it must never be fetched.
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(request.url()));
    await driver.insertCard('resident-long-term');
    await driver.waitScreen('categories');
    await driver.tap('suggested-OLD-AGE-ALLOWANCE');
    await driver.waitScreen('notice:OLD-AGE-ALLOWANCE');
    await driver.fillApplication(service('OLD-AGE-ALLOWANCE'), {
      answerWith: {
        phone: async () => {
          // Typed by mistake, then the way out: 没有手机 answers at once.
          await driver.keypad('139');
          expect(await page.getByTestId('entry').textContent()).toBe('139');
          await driver.keypad('12345678');
          expect(await page.getByTestId('entry').textContent()).toBe('139 1234 5678');
          expect(await page.getByTestId('phone-readback').getAttribute('data-speak-text')).toBe(
            '请核对：1 3 9，1 2 3 4，5 6 7 8',
          );
          await saveScreens(page, 'acceptance2-phone');
          // A family member's mobile is the other way out; the number typed stays.
          await driver.tap('phone-family');
          expect(await page.locator('h1').textContent()).toBe('家里人的手机号码');
          await saveScreens(page, 'acceptance2-phone-family');
          await driver.tap('phone-own');
          expect(await page.locator('h1').textContent()).toBe('您的手机号码');
          await driver.tap('phone-none');
        },
        address: async () => {
          // Moved to the courtyard behind: one character more, written with a finger.
          await driver.tap('edit-answer');
          await expect
            .poll(() => page.getByTestId('handwriting-pad').getAttribute('data-ready'), { timeout: 30_000 })
            .toBe('true');
          await writeCharacter(page, '院');
          await page.locator('.handwriting-candidate', { hasText: '院' }).first().click();
          await expect.poll(() => page.getByTestId('entry').textContent()).toBe('北京市朝阳区幸福村东街12号院');
          await saveScreens(page, 'acceptance2-address-handwriting');
          await driver.tap('next');
        },
      },
    });
    expect(await page.getByTestId('check-phone').textContent()).toBe('没有手机');
    expect(await page.getByTestId('check-address').textContent()).toBe('北京市朝阳区幸福村东街12号院');
    await saveScreens(page, 'acceptance2-check');
    const number = await driver.submit();
    await driver.waitPrint('printed');
    const onPlatform = platformApplications(running.kiosk).find((a) => a.case_number === number);
    expect(onPlatform?.body.answers).toMatchObject({ phone: 'no-phone', address: '北京市朝阳区幸福村东街12号院' });
    expect(fetched.filter((url) => /pinyin/i.test(url))).toEqual([]);
    expect(fetched.some((url) => /handwriting/i.test(url))).toBe(true);
    await driver.takeCardAway();
    await context.close();
  });

  // Alternate people: the reader does not re-read the same card put back within two seconds.
  const people = ['resident-young', 'resident-rare-char'] as const;
  it.each(
    embeddedCatalogue.services
      // Document services (查询打印) print a proof instead of filing an application: proof-screen.test.ts.
      .filter((s) => s.code !== 'OLD-AGE-ALLOWANCE' && s.document === undefined)
      .map((s, i) => [s.code, people[i % 2] ?? 'resident-young'] as const),
  )('completes %s from card to receipt (%s)', async (code, person) => {
    const { page, context, driver } = await open();
    const target = service(code);
    await driver.insertCard(person);
    await driver.waitScreen('categories');
    await driver.tap(`category-${target.categoryId}`);
    await driver.tap(`service-${code}`);
    await driver.fillApplication(target, {
      face: 'staff-check',
      // A certificate number on the keypad with its X: every action inside both orientations.
      onScreen: async (name) => {
        if (name !== 'question-certificate-number') return;
        for (const [orientation, size] of Object.entries(viewports)) {
          await page.setViewportSize(size);
          expect.soft(await viewportViolations(page), `${name} ${orientation}`).toEqual([]);
        }
        await page.setViewportSize(viewports.portrait);
        await saveScreens(page, `journey-${name}`);
      },
    });
    const number = await driver.submit();
    await driver.waitPrint('printed');
    const onPlatform = platformApplications(running.kiosk).find((a) => a.case_number === number);
    expect(onPlatform?.service_code).toBe(code);
    expect((await driver.receipts()).at(-1)?.text).toContain(number);
    await driver.takeCardAway();
    await context.close();
  });
});
