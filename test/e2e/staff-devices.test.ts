import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freeLoopbackPort,
  startIppPrinterSimulator,
  type IppPrinterSimulator,
} from '../../drivers/a4-printer/ipp-printer-simulator';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { defaultConfig } from '../../kiosk-config/default-config';
import { testPins } from '../support/provisioning';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';
import { staffSignIn } from '../support/staff-sign-in';
import { JourneyDriver } from '../support/journey-driver';

/**
 * Acceptance 2: a technician moves the receipt printer from one port to another in the console
 * and prints a test page — no file edited, no restart. Two simulated printers on real PTYs stand
 * for two USB-serial ports; only the second one may receive the test page.
 */
let first: PrinterSimulator;
let second: PrinterSimulator;
let a4: IppPrinterSimulator;
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  first = await startPrinterSimulator();
  second = await startPrinterSimulator();
  a4 = await startIppPrinterSimulator();
  kiosk = await startKioskProcess({
    config: {
      ...defaultConfig,
      devices: {
        ...defaultConfig.devices,
        printer: { kind: 'serial', path: first.devicePath, baudRate: 115200 },
        a4Printer: { kind: 'none' },
      },
    },
  });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
  await first?.stop();
  await second?.stop();
  await a4?.close();
});

const screen = (page: Page) => page.locator('[data-screen]').first().getAttribute('data-screen');

describe('technician devices in Chromium', () => {
  it('moves the printer to another port and prints a test page there, without a restart', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    for (let i = 0; i < 5; i++) await page.mouse.click(30, 30);
    await expect.poll(() => screen(page)).toBe('staff-pin');
    for (const digit of testPins.technician) await page.getByTestId(`keypad-${digit}`).click();
    await page.getByTestId('pin-ok').click();
    await expect.poll(() => screen(page)).toBe('tech-devices');
    await expect.poll(() => page.getByTestId('device-printer-link').textContent()).toBe(`${first.devicePath} @ 115200`);
    await expect.poll(() => page.getByTestId('device-printer-state').textContent()).toBe('ready');

    const printer = page.getByTestId('device-printer');
    await page.getByTestId('device-printer-kind-serial').click();
    await page.getByTestId('device-printer-path').fill(second.devicePath);
    await page.getByTestId('device-printer-baud').selectOption('115200');
    await page.getByTestId('printer-width-80').click();
    await page.getByTestId('device-printer-assign').click();
    await expect
      .poll(() => page.getByTestId('device-printer-link').textContent())
      .toBe(`${second.devicePath} @ 115200`);
    await expect.poll(() => page.getByTestId('device-printer-state').textContent(), { timeout: 10_000 }).toBe('ready');

    await page.getByTestId('device-printer-test').click();
    await expect
      .poll(() => printer.getByTestId('device-printer-outcome').textContent(), { timeout: 15_000 })
      .toContain('test page printed');
    await expect.poll(() => second.receipts().length).toBe(1);
    expect(first.receipts()).toHaveLength(0);
    expect(second.receipts()[0]?.cut).toBe(true);
    // Kept for the next start, without anyone editing a file.
    expect(JSON.parse(readFileSync(join(kiosk.dataDir, 'data', 'site-config.json'), 'utf8'))).toMatchObject({
      config: {
        devices: { printer: { kind: 'serial', path: second.devicePath, baudRate: 115200 }, printerPaperWidth: 80 },
      },
    });
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'tech-06-printer-moved');

    // Every step is in the audit log.
    await page.getByTestId('tab-audit').click();
    for (const action of ['tech.device-assigned', 'tech.self-test']) {
      await expect
        .poll(() => page.locator(`[data-testid="audit-row"][data-action="${action}"]`).count(), { message: action })
        .toBeGreaterThan(0);
    }
    await page.getByTestId('staff-sign-out').click();
    await expect.poll(() => screen(page)).toBe('idle');
    await context.close();
  });
  it('tests the tactile keypad: the key pressed is named with what it does, and health lists the keypad', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    const driver = await new JourneyDriver(page, kiosk).init();
    await staffSignIn(page, testPins.technician, 'tech-devices');
    await expect.poll(() => page.getByTestId('device-keypad-link').textContent()).toBe('simulated');
    await expect.poll(() => page.getByTestId('device-keypad-state').textContent(), { timeout: 10_000 }).toBe('ready');
    const outcome = () =>
      page
        .getByTestId('device-keypad-outcome')
        .textContent({ timeout: 200 }) // absent until the self-test has heard a key
        .catch(() => null);
    await page.getByTestId('device-keypad-test').click();
    // The self-test listens from the moment the call arrives; keep pressing the bump key until it has heard one.
    await expect
      .poll(
        async () => {
          await driver.pressKey('repeat');
          return outcome();
        },
        { timeout: 15_000 },
      )
      .toContain('keypad 5 → repeat');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'tech-08-keypad-test');
    await page.getByTestId('staff-sign-out').click();
    await context.close();
    // Staff see it in health beside the other devices.
    const staff = await openKiosk(chromium.browser, kiosk.launchUrl());
    await staffSignIn(staff.page, testPins.staff, 'staff-queue');
    await staff.page.getByTestId('tab-health').click();
    await expect.poll(() => staff.page.getByTestId('health-keypad').textContent()).toBe('正常');
    await staff.page.getByTestId('staff-sign-out').click();
    await staff.context.close();
  });

  it('sets up the A4 printer beside the receipt printer: URI checked, test page, paper out in words', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl(), { orientation: 'landscape' });
    await staffSignIn(page, testPins.technician, 'tech-devices');
    const state = () => page.getByTestId('device-a4-state').textContent();
    const outcome = () => page.getByTestId('device-a4-outcome').textContent();
    await expect.poll(state).toBe('没有设置');

    await page.getByTestId('device-a4-kind-ipp').click();
    // No Avahi daemon on the test machines: DNS-SD cannot look, the address is typed.
    await page.getByTestId('device-a4-discover').click();
    await expect.poll(() => page.getByTestId('device-a4-found').textContent()).toContain('没有找到打印机，请输入地址');

    await page.getByTestId('device-a4-uri').fill(`ipp://127.0.0.1:${await freeLoopbackPort()}/ipp/print`);
    await page.getByTestId('device-a4-use').click();
    await expect.poll(outcome, { timeout: 15_000 }).toContain('这个地址上没有打印机回答，没有保存');
    await expect.poll(state).toBe('没有设置');

    await page.getByTestId('device-a4-uri').fill(a4.uri);
    await page.getByTestId('device-a4-use').click();
    await expect.poll(() => page.getByTestId('device-a4-link').textContent(), { timeout: 15_000 }).toBe(a4.uri);
    await expect.poll(state).toBe('正常，可以打印');

    await page.getByTestId('device-a4-test').click();
    await expect.poll(outcome, { timeout: 30_000 }).toContain('测试页已打印出来');
    await expect.poll(async () => (await a4.received()).length).toBe(1);

    // Paper out: the test page does not come out, and the device view says so in words.
    await a4.setPaper('out');
    await page.getByTestId('device-a4-test').click();
    await expect.poll(outcome, { timeout: 30_000 }).toContain('测试页没有打印出来：缺纸');
    await expect.poll(state, { timeout: 10_000 }).toBe('缺纸');
    await expect.poll(() => page.getByTestId('device-a4-status').textContent()).toContain('请放入 A4 纸');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'tech-07-a4-printer');
    await a4.setPaper('in');

    expect(JSON.parse(readFileSync(join(kiosk.dataDir, 'data', 'site-config.json'), 'utf8'))).toMatchObject({
      config: { devices: { a4Printer: { kind: 'ipp', uri: a4.uri } } },
    });
    await page.getByTestId('staff-sign-out').click();
    await context.close();
  });
});
