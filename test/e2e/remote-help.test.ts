/**
 * 远程帮办 end to end, from `npm start`'s defaults: the resident's kiosk page and the officer's hall
 * page (the embedded platform's, signed in) in Chromium with fake camera and microphone. The call
 * connects both ways (getStats on both sides), the hall sees the resident's screen as a mirror
 * within 500 ms of each change, pointing rings the element, a proposed answer is accepted and the
 * submitted application records the remote help at the platform; declining consent opens nothing;
 * hang-up and the inactivity wipe end the call on both sides. (Relay through coturn:
 * remote-help-relay.test.ts.)
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { kioskInChromium, openKiosk, saveScreens, seriousViolations, viewports } from '../support/browser';
import { addHallAccount } from '../support/hall-client';
import { signedInHallPage } from '../support/hall-page';
import { JourneyDriver, platformApplications, service } from '../support/journey-driver';
import { startKioskProcess } from '../support/kiosk-process';
import { issueTerminalCode } from '../support/provisioning';
import { uxViolations, viewportViolations } from '../support/ux-audit';

const running = kioskInChromium();
let platformUrl = '';

beforeAll(async () => {
  platformUrl =
    /"url":"(http:\/\/127\.0\.0\.1:\d+)","msg":"platform listening"/.exec(running.kiosk.stderr())?.[1] ?? '';
  if (platformUrl === '') throw new Error('the embedded platform did not say where it listens');
  await addHallAccount(join(running.kiosk.dataDir, 'data', 'embedded-platform'), 'li.na', 'officer');
});

/** Counts camera/microphone opens and keeps every peer connection, so a test can ask getStats and "was anything opened?". */
const instrument = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { media: number; pcs: RTCPeerConnection[]; changedAt: number[] };
    w.media = 0;
    w.pcs = [];
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) => {
      w.media += 1;
      return open(constraints);
    };
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        w.pcs.push(this);
      }
    };
  });

/** Lets a test make the page's getStats report a village link under load (`window.slowLink = true`). */
const slowableLink = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { slowLink: boolean };
    w.slowLink = false;
    const proto = RTCPeerConnection.prototype as unknown as {
      getStats: (this: RTCPeerConnection) => Promise<Map<string, unknown>>;
    };
    const native = proto.getStats;
    proto.getStats = async function (this: RTCPeerConnection) {
      const report = await native.call(this);
      if (!w.slowLink) return report;
      const slowed = new Map<string, unknown>();
      report.forEach((s) => {
        const stat = s as { id: string; type: string };
        slowed.set(stat.id, stat.type === 'candidate-pair' ? { ...stat, availableOutgoingBitrate: 40_000 } : stat);
      });
      return slowed;
    };
  });

const received = (page: Page) =>
  page.evaluate(async () => {
    const pc = (window as unknown as { pcs: RTCPeerConnection[] }).pcs.at(-1);
    const bytes = { audio: 0, video: 0, state: pc?.connectionState ?? 'none' };
    (await pc?.getStats())?.forEach((s: { type: string; kind?: 'audio' | 'video'; bytesReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind !== undefined) bytes[s.kind] += s.bytesReceived ?? 0;
    });
    return bytes;
  });

async function resident(options: { fakeClock?: boolean; initScript?: string } = {}, kiosk = running.kiosk) {
  const { page, context } = await openKiosk(running.browser, kiosk.launchUrl(), options);
  await context.grantPermissions(['camera', 'microphone']);
  await instrument(page);
  return { page, context, driver: await new JourneyDriver(page, kiosk).init() };
}

async function officer(): Promise<{ context: BrowserContext; hall: Page }> {
  const context = await running.browser.newContext({ permissions: ['camera', 'microphone'] });
  const hall = await signedInHallPage(context, platformUrl);
  await instrument(hall);
  return { context, hall };
}

/** The resident reads their card and opens PENSION-LEVEL up to its first question. */
async function toFirstQuestion(driver: JourneyDriver) {
  const target = service('PENSION-LEVEL');
  await driver.insertCard('resident-young');
  await driver.waitScreen('categories');
  await driver.tap(`category-${target.categoryId}`);
  await driver.tap('service-PENSION-LEVEL');
  await driver.waitScreen('notice:PENSION-LEVEL');
  await driver.tap('notice-start');
  await driver.waitScreen('identify:');
  await driver.tap('next');
  await driver.waitScreen('parties:');
  await driver.tap('parties-self');
  await driver.waitScreen('question:PENSION-LEVEL:0');
}

/** 呼叫工作人员 → 和大厅工作人员视频 → consent (checked by the UX audit and axe) → agreed. */
async function callTheHall(page: Page, driver: JourneyDriver, shots?: string) {
  await driver.tap('call-staff');
  await page.getByTestId('help-choose').waitFor();
  if (shots !== undefined) await saveScreens(page, `${shots}-choose`);
  await driver.tap('help-video');
  await page.getByTestId('help-consent').waitFor();
  expect(await page.getByTestId('help-consent').textContent()).toContain('视频不会录下来。');
  expect(await page.evaluate(() => (window as unknown as { media: number }).media)).toBe(0);
  if (shots !== undefined) {
    // A dialog over the journey: the journey's buttons are covered on purpose, so only the text and target sizes count.
    expect(await uxViolations(page, { largeText: false })).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, `${shots}-consent`);
  }
  await driver.tap('help-consent-yes');
  await page.getByTestId('help-waiting').waitFor();
}

async function answer(hall: Page, servicePoint = '青石镇柳溪村便民服务站') {
  const row = hall.locator('#rh-queue-list li').filter({ hasText: servicePoint });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => row.locator('button').isEnabled()).toBe(true);
  await row.locator('button').click();
  await hall.locator('#rh-call').waitFor({ state: 'visible' });
}

/** A resident (on Playwright's clock, for the inactivity timer) in a call the officer answered. */
async function inCallOnFakeClock() {
  const { page, context, driver } = await resident({ fakeClock: true });
  const { context: officerContext, hall } = await officer();
  await toFirstQuestion(driver);
  await callTheHall(page, driver);
  await answer(hall);
  await page.getByTestId('help-officer').filter({ hasText: '正在帮您' }).waitFor({ timeout: 30_000 });
  return { page, context, driver, officerContext, hall };
}

describe('remote help by video, resident ↔ hall', () => {
  it('connects both ways, mirrors the screen, points, and a proposed answer accepted is recorded with the application', async () => {
    const { page, context, driver } = await resident();
    const { context: officerContext, hall } = await officer();
    await toFirstQuestion(driver);
    await callTheHall(page, driver, 'remote-help');
    expect([...(await uxViolations(page, { largeText: false })), ...(await viewportViolations(page))]).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'remote-help-waiting');
    await answer(hall);

    // Media both ways: audio and video bytes received rise on both sides.
    await page.getByTestId('help-officer').filter({ hasText: '正在帮您' }).waitFor({ timeout: 30_000 });
    for (const side of [page, hall]) {
      await expect.poll(async () => (await received(side)).state, { timeout: 30_000 }).toBe('connected');
      const first = await received(side);
      await expect.poll(async () => (await received(side)).video, { timeout: 30_000 }).toBeGreaterThan(first.video);
      await expect.poll(async () => (await received(side)).audio, { timeout: 30_000 }).toBeGreaterThan(first.audio);
    }
    await expect
      .poll(() => page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => v.videoWidth))
      .toBeGreaterThan(0);
    expect([...(await uxViolations(page, { largeText: false })), ...(await viewportViolations(page))]).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'remote-help-in-call');

    // The mirror: the hall reads the resident's question and its choices, as text.
    await expect.poll(() => hall.locator('#rh-screen').textContent()).toContain('question:PENSION-LEVEL:0');
    const level = service('PENSION-LEVEL').questions[0];
    if (level?.type !== 'choice') throw new Error('PENSION-LEVEL starts with a choice');
    expect(await hall.locator('#rh-mirror').textContent()).toContain(level.label['zh-CN']);

    // Each change reaches the hall within 500 ms (both pages stamp the moment on the same clock).
    await hall.evaluate(() => {
      const w = window as unknown as { seenAt: Array<[string, number]> };
      w.seenAt = [];
      new MutationObserver(() =>
        w.seenAt.push([document.getElementById('rh-screen')?.textContent ?? '', Date.now()]),
      ).observe(document.getElementById('rh-call') as Node, { subtree: true, childList: true, characterData: true });
    });
    const tappedAt = await page.evaluate(() => Date.now());
    await driver.tap(`answer-${level.options[0]?.value ?? ''}`);
    await driver.waitScreen('question:PENSION-LEVEL:1');
    await expect
      .poll(() =>
        hall.evaluate(
          () =>
            (window as unknown as { seenAt: Array<[string, number]> }).seenAt.find(([s]) =>
              s.includes('question:PENSION-LEVEL:1'),
            )?.[1] ?? 0,
        ),
      )
      .toBeGreaterThan(0);
    const shownAt = await hall.evaluate(
      () =>
        (window as unknown as { seenAt: Array<[string, number]> }).seenAt.find(([s]) =>
          s.includes('question:PENSION-LEVEL:1'),
        )?.[1] ?? 0,
    );
    expect(shownAt - tappedAt).toBeLessThan(500);
    await driver.tap(
      'answer-' +
        ((service('PENSION-LEVEL').questions[1] as { options?: Array<{ value: string }> }).options?.[0]?.value ?? ''),
    );
    await driver.waitScreen('question:PENSION-LEVEL:2');

    // Pointing: the officer taps the phone field in the mirror; a ring with 点这里 surrounds it on the kiosk.
    await expect.poll(() => hall.locator('#rh-screen').textContent()).toContain('question:PENSION-LEVEL:2');
    await hall.locator('#rh-mirror li[data-item-id="answer:phone"] button').click();
    const ring = page.getByTestId('point-ring');
    await ring.waitFor();
    expect(await ring.getAttribute('data-item')).toBe('answer:phone');
    expect(await ring.textContent()).toBe('点这里');
    const box = await page.locator('[data-help-id="answer:phone"]').boundingBox();
    const around = await ring.boundingBox();
    if (box === null || around === null) throw new Error('no boxes');
    expect(around.x).toBeLessThanOrEqual(box.x);
    expect(around.y).toBeLessThanOrEqual(box.y);
    expect(around.x + around.width).toBeGreaterThanOrEqual(box.x + box.width);
    expect(around.y + around.height).toBeGreaterThanOrEqual(box.y + box.height);
    await saveScreens(page, 'remote-help-point');

    // The officer fills the phone number in; the resident accepts it with one tap.
    await hall.locator('#rh-propose-value').fill('13912345678');
    await hall.locator('#rh-propose-send').click();
    await page.getByTestId('proposal-card').waitFor();
    expect(await page.getByTestId('proposal-value').textContent()).toBe('13912345678');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'remote-help-proposal');
    await driver.tap('proposal-accept');
    await expect.poll(() => hall.locator('#rh-proposal-status').textContent()).toBe('村民已接受您填写的内容。');
    // Taken as if typed: the journey moved on, and the answer is on the check screen.
    await driver.waitScreen('consent:');
    await driver.tap('consent-agree');
    await driver.waitScreen('signature:');
    await driver.sign();
    await driver.waitScreen('check:');
    expect(await page.locator('main').textContent()).toContain('139 1234 5678');
    // The check screen says who helped by video; the resident still confirms it all.
    expect(await page.getByTestId('check-remote-helper').textContent()).toContain('大厅的 li.na');
    await saveScreens(page, 'remote-help-check');

    // Hang up: the call ends on both sides; the journey is still there.
    await driver.tap('help-hang-up');
    await page.getByTestId('call-panel').waitFor({ state: 'detached' });
    await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });
    expect(
      await page.evaluate(() =>
        (window as unknown as { pcs: RTCPeerConnection[] }).pcs.every((pc) => pc.connectionState === 'closed'),
      ),
    ).toBe(true);
    const number = await driver.submit();
    const onPlatform = platformApplications(running.kiosk).find((a) => a.case_number === number);
    expect(onPlatform?.body.remoteAssistance).toMatchObject({ officerId: 'li.na' });
    expect(onPlatform?.body.answers['phone']).toBe('13912345678');
    await driver.takeCardAway();
    await officerContext.close();
    await context.close();
  });

  it('declining consent opens nothing and calls the staff here instead', async () => {
    const { page, context, driver } = await resident();
    await toFirstQuestion(driver);
    await driver.tap('call-staff');
    await driver.tap('help-video');
    await page.getByTestId('help-consent').waitFor();
    await driver.tap('help-consent-no');
    await page.getByTestId('staff-called').waitFor();
    expect(await page.evaluate(() => (window as unknown as { media: number }).media)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pcs: unknown[] }).pcs.length)).toBe(0);
    expect(await page.locator('video').count()).toBe(0);
    await driver.takeCardAway();
    await context.close();
  });

  it('the inactivity wipe ends the call on both sides and leaves nothing of it in the page', async () => {
    const { page, context, driver, officerContext, hall } = await inCallOnFakeClock();
    await page.clock.fastForward(125_000);
    await driver.waitScreen('idle');
    await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await page.locator('video').count()).toBe(0);
    expect(await page.getByTestId('call-panel').count()).toBe(0);
    expect(
      await page.evaluate(() =>
        (window as unknown as { pcs: RTCPeerConnection[] }).pcs.every((pc) => pc.connectionState === 'closed'),
      ),
    ).toBe(true);
    await driver.takeCardAway();
    await officerContext.close();
    await context.close();
  });

  it('the officer pointing counts as activity; the wipe still ends the call once nobody answers', async () => {
    // Defaults: the warning 30 s before the wipe at 120 s without a touch.
    const { page, context, driver, officerContext, hall } = await inCallOnFakeClock();
    await expect.poll(() => hall.locator('#rh-screen').textContent()).toContain('question:PENSION-LEVEL:0');

    // The resident talks to the hall without tapping: the warning comes up…
    await page.clock.fastForward(95_000);
    await page.getByTestId('timeout-dialog').waitFor();
    // …and the officer pointing at something on the screen takes it away, as a tap would.
    await hall.locator('#rh-mirror li button').first().click();
    await page.getByTestId('point-ring').waitFor();
    await page.getByTestId('timeout-dialog').waitFor({ state: 'detached' });
    // The time starts afresh from the officer's point: 95 s later the warning is due, not the wipe.
    await page.clock.fastForward(95_000);
    await page.getByTestId('timeout-dialog').waitFor();
    expect(await page.getByTestId('call-panel').count()).toBe(1);

    // Nobody touches and the officer does nothing: the wipe ends the call on both sides.
    await page.clock.fastForward(30_000);
    await driver.waitScreen('idle');
    await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await page.getByTestId('call-panel').count()).toBe(0);
    await driver.takeCardAway();
    await officerContext.close();
    await context.close();
  });

  it('when the link cannot carry the video, the terminal drops it, says so, and the voice goes on', async () => {
    const { page, context, driver } = await resident();
    const { context: officerContext, hall } = await officer();
    // The browser's own bandwidth estimate, as a village link under load gives it (Chromium's getStats
    // is the only thing changed: the decision, the dropped track and the screens are the real ones).
    await slowableLink(page);
    await slowableLink(hall);
    await toFirstQuestion(driver);
    await callTheHall(page, driver);
    await answer(hall);
    await page.getByTestId('help-officer').filter({ hasText: '正在帮您' }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await received(hall)).video, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('help-audio-only').count()).toBe(0);

    await page.evaluate(() => ((window as unknown as { slowLink: boolean }).slowLink = true));
    const note = page.getByTestId('help-audio-only');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toBe('网络慢，只保留声音。');
    // The video sender has no track any more; the voice still reaches the hall, the video does not.
    expect(
      await page.evaluate(() =>
        (window as unknown as { pcs: RTCPeerConnection[] }).pcs
          .at(-1)
          ?.getSenders()
          .map((s) => s.track?.kind ?? null),
      ),
    ).toEqual(expect.arrayContaining(['audio', null]));
    const dropped = await received(hall);
    await expect.poll(async () => (await received(hall)).audio, { timeout: 30_000 }).toBeGreaterThan(dropped.audio);
    const later = await received(hall);
    expect(later.video - dropped.video).toBeLessThan(2_000); // at most what was on its way
    expect([...(await uxViolations(page, { largeText: false })), ...(await viewportViolations(page))]).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'remote-help-audio-only');

    // The hall's side judges its own sending alike: the officer's video stops, the officer reads why.
    await hall.evaluate(() => ((window as unknown as { slowLink: boolean }).slowLink = true));
    await expect.poll(() => hall.locator('#rh-call').getAttribute('data-audio-only'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => hall.locator('#rh-call-status').textContent()).toContain('网络慢，只保留声音');
    const officerDropped = await received(page);
    await expect
      .poll(async () => (await received(page)).audio, { timeout: 30_000 })
      .toBeGreaterThan(officerDropped.audio);
    expect((await received(page)).video - officerDropped.video).toBeLessThan(2_000);

    await driver.tap('help-hang-up');
    await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });
    await driver.takeCardAway();
    await officerContext.close();
    await context.close();
  });

  it('where the county records calls, the consent says so (how long, how to decline), aloud, and the platform keeps the agreement', async () => {
    const recording = await startKioskProcess({
      bundled: true,
      config: { platform: { embeddedCallRecordingDays: 30 } },
    });
    try {
      // What the page asks the kiosk to say (Chromium here has no Chinese voice: the service side speaks).
      const { page, context, driver } = await resident(
        {
          initScript: `(() => {
            window.spoken = [];
            const send = WebSocket.prototype.send;
            WebSocket.prototype.send = function (data) {
              if (typeof data === 'string' && data.includes('"speech.speak"')) window.spoken.push(JSON.parse(data).params.text);
              return send.call(this, data);
            };
          })();`,
        },
        recording,
      );
      const spoken = () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
      await driver.insertCard('resident-long-term');
      await driver.waitScreen('categories');
      await driver.tap('voice-toggle'); // voice on: the consent is read aloud
      expect(await page.getByTestId('large-text').getAttribute('aria-pressed')).toBe('true'); // large text, the default
      await driver.tap('call-staff');
      await driver.tap('help-video');
      const consent = page.getByTestId('help-consent');
      await consent.waitFor();
      const recorded = '视频会录下来，保存 30 天。';
      expect(await consent.textContent()).toContain(recorded);
      expect(await consent.textContent()).toContain('不想视频也没关系，可以叫这里的工作人员帮您。');
      expect(await page.getByTestId('help-consent-no').textContent()).toBe('不视频，叫这里的工作人员');
      await expect.poll(async () => (await spoken()).some((text) => text.includes(recorded))).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { media: number }).media)).toBe(0);
      expect(await uxViolations(page, { largeText: true })).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreens(page, 'remote-help-consent-recorded-large');
      // Agreed: the platform keeps that this resident agreed to a call recorded for 30 days.
      await driver.tap('help-consent-yes');
      await page.getByTestId('help-waiting').waitFor();
      const db = new Database(join(recording.dataDir, 'data', 'embedded-platform', 'platform.sqlite'), {
        readonly: true,
      });
      try {
        const rows = db.prepare('SELECT consented_at, recording_days FROM remote_help_calls').all() as Array<{
          consented_at: string | null;
          recording_days: number | null;
        }>;
        expect(rows).toHaveLength(1);
        expect(rows[0]?.recording_days).toBe(30);
        expect(rows[0]?.consented_at).not.toBeNull();
      } finally {
        db.close();
      }
      await driver.tap('help-give-up');
      await page.getByTestId('call-panel').waitFor({ state: 'detached' });

      // The same in English.
      await driver.tap('language');
      await driver.tap('call-staff');
      await driver.tap('help-video');
      await consent.waitFor();
      expect(await consent.textContent()).toContain('The call is recorded and kept for 30 days.');
      expect(await consent.textContent()).toContain('If you would rather not, the staff here can help you.');
      // The whole dialog on a landscape screen, nothing to scroll (the journey under it is covered on purpose).
      await page.setViewportSize(viewports.landscape);
      const box = await consent.boundingBox();
      expect(box !== null && box.y >= 0 && box.y + box.height <= viewports.landscape.height).toBe(true);
      await page.setViewportSize(viewports.portrait);
      await saveScreens(page, 'remote-help-consent-recorded-en');
      await driver.tap('help-consent-no');
      await page.getByTestId('staff-called').waitFor();
      await driver.takeCardAway();
      await context.close();
    } finally {
      await recording.stop();
    }
  });

  it('a second call while one is active is queued, shows its place, and the officer takes it when the first ends', async () => {
    // A second terminal of the county, enrolled at the same platform as a technician enrols one:
    // its own key, a one-time code from the platform, `kiosk enrol`, the platform's address in its configuration.
    const second = { id: 'QS-SQ-0002', servicePoint: '青石镇石桥村便民服务站' };
    const code = issueTerminalCode(join(running.kiosk.dataDir, 'data', 'embedded-platform'), second.id);
    const kiosk2 = await startKioskProcess({
      bundled: true,
      config: {
        terminal: { id: second.id, code: 'QSSQ02', name: '石桥村自助服务终端' },
        servicePoint: { name: second.servicePoint },
        platform: { mode: 'remote', url: platformUrl },
      },
      enrolAt: { platformUrl, code },
    });
    try {
      const first = await resident();
      const { context: officerContext, hall } = await officer();
      await toFirstQuestion(first.driver);
      await callTheHall(first.page, first.driver);
      await answer(hall);
      await first.page.getByTestId('help-officer').filter({ hasText: '正在帮您' }).waitFor({ timeout: 30_000 });

      // The second terminal calls while the officer talks to the first.
      const other = await resident({}, kiosk2);
      await other.driver.insertCard('resident-long-term');
      await other.driver.waitScreen('categories');
      await callTheHall(other.page, other.driver);
      // The hall's queue shows it waiting; the officer cannot take it while in a call.
      const waitingRow = hall.locator('#rh-queue-list li').filter({ hasText: second.servicePoint });
      await expect.poll(() => waitingRow.count(), { timeout: 15_000 }).toBe(1);
      expect(await waitingRow.textContent()).toContain(second.id);
      expect(await waitingRow.locator('button').isDisabled()).toBe(true);
      // The second resident reads their place in the queue: next, as the only one waiting.
      const place = other.page.getByTestId('help-position');
      await place.waitFor();
      expect(await place.getAttribute('data-position')).toBe('1');
      expect(await place.textContent()).toBe('下一个就轮到您。');
      expect(await other.page.getByTestId('help-officer').count()).toBe(0);
      expect([
        ...(await uxViolations(other.page, { largeText: false })),
        ...(await viewportViolations(other.page)),
      ]).toEqual([]);
      expect(await seriousViolations(other.page)).toEqual([]);
      await saveScreens(other.page, 'remote-help-queued');

      // The first call ends; the officer takes the second, which connects.
      await first.driver.tap('help-hang-up');
      await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });
      await answer(hall, second.servicePoint);
      await other.page.getByTestId('help-officer').filter({ hasText: '正在帮您' }).waitFor({ timeout: 30_000 });
      await expect.poll(async () => (await received(other.page)).state, { timeout: 30_000 }).toBe('connected');
      await expect.poll(() => hall.locator('#rh-screen').textContent()).toContain('categories');
      await other.driver.tap('help-hang-up');
      await hall.locator('#rh-call').waitFor({ state: 'hidden', timeout: 30_000 });

      await other.driver.takeCardAway();
      await first.driver.takeCardAway();
      await officerContext.close();
      await other.context.close();
      await first.context.close();
    } finally {
      await kiosk2.stop();
    }
  });
});
