/**
 * The hall's 远程帮办 page when things go wrong (docs/remote-help.md, the hall side), in Chromium
 * against the real platform: the platform busy, the call taken by another officer first, the
 * officer's session ended, the camera refused. Each says what happened in words (and keeps saying
 * it: the queue line is redrawn every second) and loses nothing: the queue catches up, the resident
 * is not left waiting for an officer who cannot connect.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualMonotonicClock } from '../../foundation/clock';
import { launchChromium } from '../support/browser';
import { HallClient } from '../support/hall-client';
import { signedInHallPage } from '../support/hall-page';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { RemoteHelpTerminal } from '../support/remote-help-terminal';

let hall: HallFixture;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const elapsed = manualMonotonicClock();

beforeAll(async () => {
  hall = await startHallFixture({ monotonic: elapsed });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await hall?.close();
});

const status = (page: Page) => page.locator('#rh-queue-status').textContent();
const notice = (page: Page) => page.locator('#rh-queue-notice').textContent();
const terminal = () => new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);

describe('the hall’s remote help page when things go wrong', () => {
  it('says the platform is busy (503), then catches up with the queue by itself', async () => {
    const context = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    let answered = 0;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await context.route('**/hall/remote-help/queue?*', async (route: Route) => {
      answered += 1;
      if (answered === 1)
        return route.fulfill({ status: 503, headers: { 'retry-after': '1' }, body: '{"title":"busy"}' });
      // The next poll goes through once the test has seen the page say so.
      if (answered === 2) await released;
      return route.continue();
    });
    const page = await signedInHallPage(context, hall.fx.platform.url);
    await expect.poll(() => status(page)).toBe('服务器繁忙，稍后自动重试。');
    const { callId } = await terminal().call('柳溪村便民服务点');
    release();
    await expect.poll(() => page.locator(`#rh-queue-list li[data-call-id="${callId}"]`).count()).toBe(1);
    await terminal().end(callId, 'gave-up');
    await context.close();
  });

  it('says another officer took the call first (409), and takes nothing', async () => {
    const context = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await signedInHallPage(context, hall.fx.platform.url);
    const resident = terminal();
    const { callId } = await resident.call('柳溪村便民服务点');
    const other = new HallClient(hall.fx.platform.url);
    await other.signIn('zhao.admin');
    await other.get('/hall/remote-help');
    // The other officer's 接听 lands between this officer's click and the platform reading it.
    await context.route('**/accept', async (route: Route) => {
      expect((await other.post(`/hall/remote-help/calls/${callId}/accept`, {})).response.status).toBe(200);
      await route.continue();
    });
    await page.locator(`#rh-queue-list li[data-call-id="${callId}"] button`).click();
    await expect.poll(() => notice(page)).toBe('别的工作人员已接听');
    expect(await page.locator('#rh-call').isHidden()).toBe(true);
    expect((await resident.until(callId, 'accepted')).officer.id).toBe('zhao.admin');
    await other.post(`/hall/remote-help/calls/${callId}/end`, {});
    await context.close();
  });

  it('hangs up when the camera or microphone cannot open, so the resident does not wait for nobody', async () => {
    const context = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('in use', 'NotReadableError'));
    });
    const page = await signedInHallPage(context, hall.fx.platform.url);
    const resident = terminal();
    const { callId } = await resident.call('柳溪村便民服务点');
    await page.locator(`#rh-queue-list li[data-call-id="${callId}"] button`).click();
    await expect.poll(() => notice(page)).toBe('打不开摄像头或麦克风，已挂断。请检查设备后再接听。');
    expect(await resident.until(callId, 'ended')).toMatchObject({ by: 'officer', reason: 'hung-up' });
    expect(await page.locator('#rh-call').isHidden()).toBe(true);
    await context.close();
  });

  it('says to sign in again once the session has ended, instead of polling on', async () => {
    const context = await chromium.browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await signedInHallPage(context, hall.fx.platform.url);
    await expect.poll(() => status(page)).toBe('现在没有等待的呼叫。');
    // The page's own polls are not activity: 16 quiet minutes end the session.
    elapsed.advance(16 * 60_000);
    const { callId } = await terminal().call('柳溪村便民服务点');
    await expect.poll(() => status(page)).toBe('登录已过期，请刷新页面重新登录。');
    await terminal().end(callId, 'gave-up');
    await context.close();
  });
});
