import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTerminalKeys, publicKeyBase64Url } from '../../platform/contract/terminal-identity';
import { systemClock } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { startFleetConsole, type FleetConsole } from '../../fleet/console/console-server';
import { defaultConfig } from '../../kiosk-config/default-config';
import { launchChromium, openKiosk, saveScreens, viewports } from '../support/browser';
import { startTestBroker, testCounty, type TestBroker } from '../support/fleet-broker';
import { addStaffAccount, officerPassword } from '../support/hall-client';
import { JourneyDriver } from '../support/journey-driver';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';

/**
 * Acceptance: the real kiosk (its printer simulator) runs out of paper; the county console shows the
 * terminal red within a second, a technician acknowledges the alert, paper back turns it green.
 */
const countyKey = generateTerminalKeys();
const dir = mkdtempSync(join(tmpdir(), 'fleet-e2e-'));
let test: TestBroker;
let console_: FleetConsole;
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };
const terminal = defaultConfig.terminal.id;

beforeAll(async () => {
  test = await startTestBroker();
  await addStaffAccount(join(dir, 'console.sqlite'), 'li.na', 'technician');
  console_ = await startFleetConsole({
    port: 0,
    databasePath: join(dir, 'console.sqlite'),
    retentionDays: 90,
    county: testCounty,
    broker: {
      url: test.broker.tlsUrl,
      ca: test.ca,
      username: 'fleet-console',
      password: await test.account('fleet-console'),
    },
    signingKey: countyKey,
    clock: systemClock,
    log: silentLog,
  });
  await console_.link.ready();
  kiosk = await startKioskProcess({
    bundled: true,
    config: {
      fleet: {
        brokerUrl: test.broker.tlsUrl,
        county: testCounty,
        caFile: test.broker.certificates.caFile,
        commandKeys: [publicKeyBase64Url(countyKey.publicKey)],
        embeddedPasswordFile: test.broker.passwordFile,
      },
    },
  });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
  await console_?.close();
  await test?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('county fleet console in Chromium', () => {
  it('shows paper-out red within a second, takes an acknowledgement, and turns green when paper is back', async () => {
    const { page: kioskPage } = await openKiosk(chromium.browser, kiosk.launchUrl());
    const driver = await new JourneyDriver(kioskPage, kiosk).init();

    const context = await chromium.browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    // The technician signs in through the console's own form (the platform's account model).
    await page.goto(`${console_.url}/fleet`);
    await page.fill('#name', 'li.na');
    await page.fill('#password', officerPassword);
    await page.click('button[type=submit]');
    await page.waitForURL(`${console_.url}/fleet`);
    const row = page.locator(`[data-terminal="${terminal}"]`);
    await expect.poll(() => row.getAttribute('data-health'), { timeout: 20_000 }).toBe('green');
    await saveScreens(page, 'fleet-01-list-green');

    await driver.dock('/dock/printer/state', { paper: 'out' });
    const start = Date.now();
    await expect.poll(() => row.getAttribute('data-health'), { timeout: 1000, interval: 20 }).toBe('red');
    const shownAfterMs = Date.now() - start;
    expect(shownAfterMs).toBeLessThan(1000);
    expect(await row.getByTestId('alerts').textContent()).toContain('打印机缺纸');
    await saveScreens(page, 'fleet-02-list-red');

    await row.click();
    await page.getByTestId('ack-printer-paper-out').click();
    await expect.poll(() => page.getByTestId('acked').textContent()).toContain('li.na 于');
    await page.setViewportSize(viewports.landscape);
    await saveScreens(page, 'fleet-03-terminal-acknowledged');

    // The diagnostics command: the real kiosk builds its scrubbed bundle and uploads it, signed, to its platform.
    await page.getByTestId('send-upload-diagnostics').click();
    await expect
      // The kiosk often answers before the redirected page has opened its live stream; the page's change
      // mark makes the stream refresh it anyway (this once waited forever).
      .poll(() => page.locator('[data-testid="command-log"] [data-testid="reply"]').first().textContent())
      .toMatch(/已执行: diagnostics uploaded \(\d+ bytes/);

    await driver.dock('/dock/printer/state', { paper: 'ok' });
    await expect
      .poll(() => page.getByTestId('terminal-status').getAttribute('data-health'), { timeout: 5000 })
      .toBe('green');
    await page.goto(`${console_.url}/fleet`);
    await expect.poll(() => row.getAttribute('data-health')).toBe('green');
    await context.close();
  });
});
