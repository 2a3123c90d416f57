import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { defaultConfig } from '../../kiosk-config/default-config';
import { testPins } from '../support/provisioning';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';

/**
 * Acceptance 2: a technician moves the receipt printer from one port to another in the console
 * and prints a test page — no file edited, no restart. Two simulated printers on real PTYs stand
 * for two USB-serial ports; only the second one may receive the test page.
 */
let first: PrinterSimulator;
let second: PrinterSimulator;
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  first = await startPrinterSimulator();
  second = await startPrinterSimulator();
  kiosk = await startKioskProcess({
    config: {
      ...defaultConfig,
      devices: { ...defaultConfig.devices, printer: { kind: 'serial', path: first.devicePath, baudRate: 115200 } },
    },
  });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
  await first?.stop();
  await second?.stop();
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
});
