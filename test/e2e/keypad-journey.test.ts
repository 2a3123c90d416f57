import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { kioskInChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { JourneyDriver, platformApplications } from '../support/journey-driver';
import { KeypadDriver, keys } from '../support/keypad-driver';
import { repoRoot } from '../support/kiosk-process';
import { uxViolations } from '../support/ux-audit';

/**
 * Issue 17: a resident who cannot see does the whole journey with the keypad alone (the browser
 * host's keyboard fallback: page.keyboard, never a click or a tap) while the terminal speaks. Every
 * screen must speak its heading and every focus move its item; the speech log of each journey is
 * saved under test-results/speech/. Only the simulated devices (the ID card placed on the reader,
 * the printer) are worked through the dock, as the resident's hands would.
 */
// A sound card with headphones plugged in (test/support/fake-amixer: the machines have none), so the
// mode mutes the speaker and says so; what the kiosk asked of the mixer lands in amixerLog.
const amixerLog = join(mkdtempSync(join(tmpdir(), 'keypad-amixer-')), 'amixer.log');
const running = kioskInChromium(undefined, {
  env: {
    PATH: `${join(repoRoot, 'test/support/fake-amixer')}:${process.env.PATH ?? ''}`,
    FAKE_AMIXER_JACK: 'on',
    FAKE_AMIXER_LOG: amixerLog,
  },
});
/** The speaker switch calls the kiosk made so far. */
const speakerCalls = () =>
  (existsSync(amixerLog) ? readFileSync(amixerLog, 'utf8') : '').split('\n').filter((l) => l.includes('Speaker'));

async function open(options: { fakeClock?: boolean } = {}) {
  const { page, context } = await openKiosk(running.browser, running.kiosk.launchUrl(), options);
  const journey = await new JourneyDriver(page, running.kiosk).init();
  return { page, context, journey, keypad: new KeypadDriver(page) };
}

/**
 * True when every pixel of the page's screenshot is black: the privacy blank shows nothing at all.
 * The PNG is decoded by Chromium itself (a canvas), in a page of its own.
 */
async function allBlack(page: Page): Promise<boolean> {
  const png = (await page.screenshot()).toString('base64');
  const checker = await page.context().newPage();
  try {
    return await checker.evaluate(async (data) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (ctx === null) return false;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      for (let i = 0; i < pixels.length; i += 4)
        if ((pixels[i] ?? 0) > 8 || (pixels[i + 1] ?? 0) > 8 || (pixels[i + 2] ?? 0) > 8) return false;
      return true;
    }, png);
  } finally {
    await checker.close();
  }
}

describe('the audio keypad mode', () => {
  // The kiosk's side of a failure: what the keypad and the dock did (no personal data in these lines).
  beforeEach(() => {
    onTestFailed(() => {
      const lines = running.kiosk
        .stderr()
        .split('\n')
        .filter((line) => /keypad|dock|privateListening|session/.test(line));
      console.error(`kiosk log, keypad and session lines:\n${lines.slice(-60).join('\n')}`);
    });
  });

  it('an 80-year-old who cannot see applies for 高龄津贴 with the keypad only, then rates it', async () => {
    const { page, context, journey, keypad } = await open();
    onTestFinished(() => void keypad.saveLog('keypad-journey-allowance'));

    // Any key on the idle screen enters the mode, announced at once with how the keys work; with
    // headphones in, the speaker is muted (the sound card's switch) and the first words say so.
    await keypad.press(keys.down);
    const entered = await keypad.heard((t) => t.startsWith('已进入语音键盘模式'), 'the mode announced');
    expect(entered).toContain('已插入耳机，外放已关闭。');
    expect(speakerCalls()).toEqual(['-q sset Speaker mute']);
    await keypad.expectScreen('idle');
    expect(await page.evaluate(() => document.documentElement.classList.contains('keypad-mode'))).toBe(true);

    // The ID card goes on the reader as today; the screen that follows is read out.
    await journey.insertCard('resident-long-term');
    await keypad.expectScreen('categories');
    expect(await seriousViolations(page), 'categories in the mode').toEqual([]);
    expect(await uxViolations(page, { largeText: true }), 'categories in the mode').toEqual([]);
    await saveScreens(page, 'keypad-01-categories-focus');

    await keypad.choose('suggested-OLD-AGE-ALLOWANCE');
    await keypad.expectScreen('notice:OLD-AGE-ALLOWANCE');
    // Help explains the screen: its words, then how the keys work here.
    await keypad.press(keys.help);
    await keypad.heard((t) => t.includes('按上键、下键选择，按确认键办理'), 'the help');

    await keypad.choose('notice-start');
    await keypad.expectScreen('identify:');
    await keypad.choose('next');

    await keypad.expectScreen('parties:');
    await keypad.choose('parties-self');

    // 手机号码: each digit is read back with the whole number so far, then the number as a whole.
    await keypad.expectScreen('question:OLD-AGE-ALLOWANCE:0');
    await keypad.typeDigits('13812345678');
    await keypad.heard((t) => t.includes('1 3 8，1 2 3 4，5 6 7 8'), 'the whole phone number');
    await saveScreens(page, 'keypad-02-phone-focus');
    await keypad.choose('next');

    await keypad.expectScreen('question:OLD-AGE-ALLOWANCE:1'); // the address, read from the card
    await keypad.choose('next');

    // A choice reads its options; the chosen one moves on.
    await keypad.expectScreen('question:OLD-AGE-ALLOWANCE:2');
    await keypad.choose('answer-bank-card');

    await keypad.expectScreen('question:OLD-AGE-ALLOWANCE:3');
    await keypad.typeDigits('6222021234567894');
    await keypad.heard((t) => t.includes('6 2 2 2，0 2 1 2，3 4 5 6，7 8 9 4'), 'the card number read back');
    await keypad.choose('next');

    // Yes / no: both options are items; the answer moves on.
    await keypad.expectScreen('question:OLD-AGE-ALLOWANCE:4');
    await keypad.choose('answer-yes');

    await keypad.expectScreen('consent:');
    expect(await seriousViolations(page), 'consent in the mode').toEqual([]);
    await keypad.choose('consent-agree');

    // The household register is required: staff lay it in place, the resident takes the photo.
    await keypad.expectScreen('document:OLD-AGE-ALLOWANCE:0');
    await keypad.heard((t) => t.includes('看不见也能办'), 'the way without sight');
    expect(await page.getByTestId('camera-capture-button').count(), 'no camera before asked').toBe(0);
    // 叫工作人员 opens remote help's chooser (staff here, or the hall by video): a dialog read like a
    // screen, back closes it and the focus is on 叫工作人员 again.
    await keypad.choose('problem-call-staff');
    const chooser = await keypad.expectDialog('help-choose');
    expect(chooser).toContain('您想找谁帮忙？');
    expect(await seriousViolations(page), 'the chooser in the mode').toEqual([]);
    expect(await uxViolations(page, { largeText: true }), 'the chooser in the mode').toEqual([]);
    await saveScreens(page, 'keypad-05-chooser-focus');
    await keypad.press(keys.back);
    await page.getByTestId('help-choose').waitFor({ state: 'detached' });
    await keypad.expectScreen('document:OLD-AGE-ALLOWANCE:0');
    expect((await keypad.focused())?.testId).toBe('problem-call-staff');
    // The video call is spoken too: its consent is read whole; back gives the call up, nothing opened.
    await keypad.press(keys.enter);
    await keypad.expectDialog('help-choose');
    await keypad.choose('help-video');
    const consent = await keypad.expectDialog('help-consent');
    expect(consent).toContain('视频之前，请您知道');
    expect(await page.getByTestId('local-video').count(), 'no camera before consent').toBe(0);
    await keypad.press(keys.back);
    await page.getByTestId('help-consent').waitFor({ state: 'detached' });
    await keypad.expectScreen('document:OLD-AGE-ALLOWANCE:0');
    expect(await page.getByTestId('call-panel').count(), 'the call given up').toBe(0);
    // This time the staff here, chosen by the keys — and down pressed at once, before the terminal
    // has answered the enter: the down waits for the answer (the focus back on 叫工作人员), then moves
    // on to 打开摄像头拍照. Handled at once, it moved on the chooser being closed, and the answer then
    // took the focus back to the top (a slow terminal, 4 Dec).
    await keypad.press(keys.enter);
    await keypad.expectDialog('help-choose');
    await keypad.moveTo('help-staff-here');
    await keypad.pressTogether(keys.enter, keys.down);
    await page.getByTestId('staff-called').waitFor();
    await keypad.heard((t) => t.includes('第 2 项，共 6 项：打开摄像头拍照'), 'the down after the enter');
    expect((await keypad.focused())?.testId).toBe('open-camera');
    await keypad.choose('open-camera');
    await expect.poll(() => page.getByTestId('camera-capture-button').isEnabled(), { timeout: 15_000 }).toBe(true);
    await keypad.choose('camera-capture-button');
    await page.getByTestId('camera-use').waitFor();
    await keypad.choose('camera-use');
    await page.getByTestId('document-preview').waitFor();
    await keypad.choose('next');

    // The bank card photo is optional: handed in later.
    await keypad.expectScreen('document:OLD-AGE-ALLOWANCE:1');
    await keypad.choose('skip-document');

    // No signature pad: the confirmation is read and enter stands for the signature.
    const signature = await keypad.expectScreen('signature:');
    expect(signature).toContain('本人已听清本次申请的内容');
    expect(await seriousViolations(page), 'signature in the mode').toEqual([]);
    expect(await uxViolations(page, { largeText: true }), 'signature in the mode').toEqual([]);
    await keypad.choose('signature-spoken');

    // The check screen reads every answer, field by field, and how to change one.
    // The check screen reads every answer, field by field, and how to change one; the rows of the
    // list's next page are read when the resident turns to it (下一页 is an item like any other).
    let check = await keypad.expectScreen('check:');
    expect(check).toContain('要修改哪一项');
    await saveScreens(page, 'keypad-03-check-focus');
    while (!check.includes('签名：')) {
      await keypad.choose('page-next');
      check += await keypad.heard((t) => t.includes('：'), 'the rows of the next page');
    }
    for (const row of [
      '您的手机号码：138 1234 5678',
      '钱发到哪张卡上？：银行卡',
      '这张卡的卡号：6222 **** **** 7894',
      '您是一个人住吗？：是',
      '户口簿本人页：已拍照',
      '签名：语音确认，按确认键代替签名',
    ])
      expect(check).toContain(row);

    // The privacy key pressed twice before the page renders: on, then off again (the second press sees the first).
    await keypad.pressTogether(keys.privacy, keys.privacy);
    await keypad.heard((t) => t.startsWith('屏幕已经显示'), 'privacy off after on');
    expect(keypad.since().at(-1), 'the second press turned it off').toMatch(/^屏幕已经显示/);
    expect(await page.evaluate(() => document.documentElement.classList.contains('keypad-privacy'))).toBe(false);
    // 隐私模式: the screen goes black (nothing visible at all), the keys and the voice go on.
    await keypad.press(keys.privacy);
    await keypad.heard((t) => t.startsWith('隐私模式'), 'privacy on');
    expect(await allBlack(page), 'the blank hides everything').toBe(true);
    await keypad.choose('submit');

    // The number to keep, digit by digit; repeat says it again.
    const submitted = await keypad.expectScreen('submitted:');
    const code = (await page.getByTestId('keep-number').textContent())?.replace(/\s/g, '') ?? '';
    expect(code).toMatch(/^\d+$/);
    const digitByDigit = [...code].join(' ').slice(0, 9); // "1 2 3 4 5": the first group
    expect(submitted).toContain(digitByDigit);
    expect(await allBlack(page)).toBe(true);
    await keypad.press(keys.repeat);
    await keypad.heard((t) => t === submitted, 'the numbers again');
    await keypad.press(keys.privacy);
    await keypad.heard((t) => t.startsWith('屏幕已经显示'), 'privacy off');
    expect(await allBlack(page)).toBe(false);
    await journey.waitPrint('printed');
    await keypad.choose('next');

    await keypad.expectScreen('rating');
    await keypad.choose('rating-5');
    await keypad.expectScreen('goodbye');
    expect(speakerCalls(), 'muted once for the whole journey').toEqual(['-q sset Speaker mute']);

    // On the platform: recorded as a spoken confirmation.
    const number = await page.getByTestId('case-number').count();
    expect(number).toBe(0);
    await expect
      .poll(() => platformApplications(running.kiosk).some((a) => a.body.signatureSpoken !== undefined))
      .toBe(true);
    const file = keypad.saveLog('keypad-journey-allowance'); // saved again when the test ends
    expect(keypad.screens.length).toBeGreaterThanOrEqual(18);
    expect(keypad.moves).toBeGreaterThan(40);
    console.log(`speech log: ${file}; ${keypad.screens.length} screens, ${keypad.moves} moves announced`);
    // The resident goes (办好了): the mode ends and the speaker is the next person's again.
    await keypad.choose('goodbye-done');
    await expect.poll(() => keypad.screenId()).toBe('idle');
    await expect.poll(speakerCalls).toEqual(['-q sset Speaker mute', '-q sset Speaker unmute']);
    await journey.takeCardAway();
    await context.close();
  });

  it('in English: the help key enters the mode, and a pension record is printed (查询打印) with the keys alone', async () => {
    const { page, context, journey, keypad } = await open();
    onTestFinished(() => void keypad.saveLog('keypad-journey-proof-en'));
    const callsBefore = speakerCalls().length;
    await keypad.press(keys.help);
    await keypad.heard((t) => t.startsWith('已进入语音键盘模式'), 'the mode announced');
    await keypad.expectScreen('idle');
    expect(speakerCalls().slice(callsBefore)).toEqual(['-q sset Speaker mute']);

    // The language switch is an item like any other; the screen is read again in English.
    await keypad.choose('language');
    await keypad.heard((t) => t.startsWith('Item') || t.includes('There are'), 'English');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await keypad.expectScreen('idle');
    // The speed keys: faster, said at the new pace.
    await keypad.press(keys.rateUp);
    await keypad.heard((t) => t === 'Speed 125%', 'the new speed');

    await journey.insertCard('resident-long-term');
    await keypad.expectScreen('categories');
    // The tactile keypad itself (simulated on a PTY, its HID reports → keypad.key) moves the focus the same way.
    const before = keypad.log.length;
    await journey.pressKey('down');
    await expect.poll(() => keypad.log.slice(before).some((u) => u.text.startsWith('Item 2 of'))).toBe(true);
    await keypad.choose('category-elderly');
    await keypad.expectScreen('services');
    await keypad.choose('service-PENSION-RECORD');
    await keypad.expectScreen('notice:PENSION-RECORD');
    // Call staff (the frame's item) in English: the chooser and the video call's consent are read in
    // English as shown; back closes the consent (the call given up), then 不用了 closes the chooser.
    await keypad.choose('call-staff');
    expect(await keypad.expectDialog('help-choose')).toContain('Who would you like help from?');
    await keypad.choose('help-video');
    expect(await keypad.expectDialog('help-consent')).toContain('Before the video call');
    await keypad.press(keys.back);
    await keypad.expectScreen('notice:PENSION-RECORD');
    expect((await keypad.focused())?.testId).toBe('call-staff');
    await keypad.press(keys.enter);
    await keypad.expectDialog('help-choose');
    await keypad.choose('help-cancel');
    await page.getByTestId('help-choose').waitFor({ state: 'detached' });
    await keypad.expectScreen('notice:PENSION-RECORD');
    await keypad.choose('notice-start');
    await keypad.expectScreen('proof');
    // While the terminal asks for the record's periods it says 请稍候; the choices are read when they come.
    await page.getByTestId('proof-months-12').waitFor({ timeout: 30_000 });
    await keypad.heard((t) => t.includes('Item 1 of') && t.includes('Pension payment record'), 'the periods read');
    await keypad.choose('proof-months-12');
    await expect.poll(() => page.getByTestId('proof-months-12').getAttribute('aria-pressed')).toBe('true');
    await keypad.heard((t) => t.includes('selected'), 'the chosen period is said to be selected');
    expect(await seriousViolations(page), 'proof in the mode').toEqual([]);
    expect(await uxViolations(page, { largeText: true }), 'proof in the mode').toEqual([]);
    await saveScreens(page, 'keypad-04-proof-en-focus');
    await keypad.choose('proof-fetch');
    await page.locator('img.proof-page').waitFor({ timeout: 30_000 });
    await keypad.heard((t) => /Item \d+ of \d+: /.test(t), 'the preview read');
    await keypad.choose('proof-print');
    await page.getByTestId('proof-printed').waitFor({ timeout: 30_000 });
    await keypad.expectScreen('proof');
    const beforeDone = keypad.log.length;
    await keypad.choose('proof-done');
    // The resident has gone: the mode ends with everything else, the screen back to idle for the next person.
    await expect.poll(() => keypad.screenId()).toBe('idle');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains('keypad-mode')))
      .toBe(false);
    // Nothing is said to the next person: not even the answer to the last key, due a few frames later.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 0), 0))),
        ),
    );
    expect(keypad.log.slice(beforeDone).filter((u) => u.text.includes('柳溪村'))).toEqual([]);
    const english = keypad.log.filter((u) => u.language === 'en');
    expect(english.length).toBeGreaterThan(10);
    // The mode's own words follow the language; the terminal's name is the only Chinese on these screens.
    expect(english.filter((u) => /项|按钮|已输入/.test(u.text))).toEqual([]);
    await journey.removeCard();
    await context.close();
  });
  it('a key on the idle screen by someone who walks away: the inactivity timeout ends the mode; the tactile keypad’s keys keep it', async () => {
    const { page, context, journey, keypad } = await open({ fakeClock: true });
    const inMode = () => page.evaluate(() => document.documentElement.classList.contains('keypad-mode'));
    // A key of the tactile keypad (its HID reports through the services) enters the mode on idle …
    await journey.pressKey('down');
    await keypad.heard((t) => t.startsWith('已进入语音键盘模式'), 'the mode announced');
    expect(await inMode()).toBe(true);
    // … and each of its keys is a touch: 70 s, a key, 70 s — past the 120 s timeout in all, not since the key.
    await page.clock.fastForward(70_000);
    const before = keypad.log.length;
    await journey.pressKey('down');
    await expect.poll(() => keypad.log.length).toBeGreaterThan(before);
    await page.clock.fastForward(70_000);
    expect(await inMode()).toBe(true);
    // Nobody presses anything: the timeout wipes, and the next resident finds the ordinary screen.
    await page.clock.fastForward(125_000);
    await expect.poll(inMode).toBe(false);
    expect(await keypad.screenId()).toBe('idle');
    await context.close();
  });
});
