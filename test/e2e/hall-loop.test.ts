import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { kioskInChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { JourneyDriver } from '../support/journey-driver';
import { repoRoot } from '../support/kiosk-process';

/**
 * The whole loop: a resident applies at the terminal; a hall officer (account made with
 * `npm run platform -- user add`, first password changed at first sign-in) signs in on the
 * platform's hall page (Chromium), verifies the paper receipt, opens the document and accepts the
 * case; an admin's audit page shows who looked; back at the terminal the resident scans the same
 * receipt and hears that it is accepted.
 */
const running = kioskInChromium();

/** `npm run platform -- user add NAME --role ROLE`, the first password piped on stdin. */
async function addAccount(platformData: string, name: string, role: string, password: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'platform/main.ts', 'user', 'add', name, '--role', role, '--data', platformData],
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdin.end(`${password}\n`);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  expect(code, output).toBe(0);
  expect(output).toContain(`account ${name} (${role}) created`);
  expect(output).not.toContain(password);
}

/** Signs in with the first password and sets a new one, as the hall forces. */
async function signInFirstTime(context: BrowserContext, url: string, name: string, first: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/hall`);
  await expect.poll(() => page.url()).toMatch(/\/hall\/login\?next=/);
  await page.locator('#name').fill(name);
  await page.locator('#password').fill(first);
  await page.getByRole('button', { name: '登录' }).click();
  await expect.poll(() => page.url()).toMatch(/\/hall\/password$/);
  await page.locator('#current').fill(first);
  await page.locator('#new').fill('orchard-lamp-2026');
  await page.locator('#repeat').fill('orchard-lamp-2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect.poll(() => page.url()).toMatch(/\/hall$/);
  return page;
}

describe('receipt from the terminal to the hall and back', () => {
  it('a signed-in officer verifies the paper, opens the document, accepts the case; the audit shows who looked', async () => {
    const { page, context } = await openKiosk(running.browser, running.kiosk.launchUrl());
    const driver = await new JourneyDriver(page, running.kiosk).init();
    let collected: string | null = null;
    await driver.applyWithCard('resident-long-term', 'PENSION-CERT', {
      face: 'granted',
      onScreen: async (name) => {
        if (name === 'consent') collected = await page.getByTestId('consent-what').textContent();
      },
    });
    // The face photo is the person, not one of their papers (材料): the consent says so.
    expect(collected).toBe('收集什么：您的身份证信息、填写的内容、您本人的照片和签名。');
    const number = await driver.submit();
    await driver.waitPrint('printed');
    const payload = (await driver.receipts()).at(-1)?.qrPayloads[0] ?? '';
    await driver.tap('next');
    await driver.tap('rating-skip');
    await driver.tap('goodbye-done');
    await driver.waitScreen('idle');
    await driver.removeCard();

    // The embedded platform's address is in the kiosk's log ("platform listening").
    const platformUrl =
      /"url":"(http:\/\/127\.0\.0\.1:\d+)","msg":"platform listening"/.exec(running.kiosk.stderr())?.[1] ?? '';
    expect(platformUrl).not.toBe('');
    const platformData = join(running.kiosk.dataDir, 'data', 'embedded-platform');
    await addAccount(platformData, 'li.na', 'officer', 'first-pass-li-2026');
    await addAccount(platformData, 'zhao.admin', 'admin', 'first-pass-zhao-2026');

    // Without signing in, the receipt's application id opens nothing.
    const stranger = await running.browser.newContext();
    const peek = await stranger.newPage();
    await peek.goto(`${platformUrl}/hall`);
    await expect.poll(() => peek.url()).toMatch(/\/hall\/login/);
    await saveScreens(peek, 'hall-login');
    await stranger.close();

    const officerContext = await running.browser.newContext();
    const hall = await signInFirstTime(officerContext, platformUrl, 'li.na', 'first-pass-li-2026');
    await hall.locator('#payload').fill(payload);
    await hall.getByRole('button', { name: '核验回执' }).click();
    await expect.poll(() => hall.locator('body').textContent()).toContain(number);
    const body = (await hall.locator('body').textContent()) ?? '';
    expect(body).toContain('王**');
    expect(body).not.toContain('王建国');
    expect(body).toContain('li.na');
    expect(await seriousViolations(hall)).toEqual([]);
    await saveScreens(hall, 'hall-verified');
    const caseNumber = (await hall.locator('h1 .big').first().textContent()) ?? '';
    expect(caseNumber).toMatch(/^YL\d{13}$/);

    // The document opens in a new tab; the context sees its response whichever tab it is in.
    const [documentResponse] = await Promise.all([
      officerContext.waitForEvent('response', (r) => r.url().includes('/documents/')),
      hall.locator('a[href*="/documents/"]').first().click(),
    ]);
    expect(documentResponse.status()).toBe(200);
    expect(documentResponse.headers()['content-type']).toBe('image/jpeg');
    expect(documentResponse.headers()['cache-control']).toBe('no-store');
    for (const tab of officerContext.pages()) if (tab !== hall) await tab.close();

    await hall.locator('button[name="status"][value="accepted"]').click();
    await expect.poll(() => hall.locator('body').textContent()).toContain('状态已更新为：已受理');

    const adminContext = await running.browser.newContext();
    const admin = await signInFirstTime(adminContext, platformUrl, 'zhao.admin', 'first-pass-zhao-2026');
    await admin.goto(`${platformUrl}/hall/admin/audit?case=${caseNumber}`);
    const rows = await admin
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const seen = rows.map((cells) => `${cells[1]} ${cells[2]} ${cells[3]}`);
    expect(seen).toContain(`li.na 查看材料 ${caseNumber}`);
    expect(seen).toContain(`li.na 查看申报 ${caseNumber}`);
    expect(seen).toContain(`li.na 变更状态 ${caseNumber}`);
    expect(await seriousViolations(admin)).toEqual([]);
    await saveScreens(admin, 'hall-audit');
    await officerContext.close();
    await adminContext.close();

    await driver.dock('/dock/scanner/scan', { text: payload });
    await driver.waitScreen('progress');
    await expect
      .poll(() => page.getByTestId('progress-result').textContent(), { timeout: 15_000 })
      .toBe('已受理，正在办理');
    await context.close();
  });
});
