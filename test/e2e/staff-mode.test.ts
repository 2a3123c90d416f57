import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { testPins } from '../support/provisioning';
import { startPlatform, type RunningPlatform } from '../../platform/server/start-platform';
import { launchChromium, openKiosk, saveScreens, seriousViolations } from '../support/browser';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startKioskProcess, type KioskProcess } from '../support/kiosk-process';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * Staff mode and the technician console in Chromium against the real kiosk process: the corner
 * gesture and PIN pad, a failed send (the platform refused it) with its reason, retry and reprint,
 * a configuration change refused by validation, a save and its rollback, the diagnostic bundle
 * exported and scanned for the test card's name and ID number, the audit verification, and the
 * PIN lock-out.
 */
const card = decodedSampleCard('resident-long-term');
let platform: RunningPlatform;
let proxy: FaultProxy;
let kiosk: KioskProcess;
let chromium: { browser: Browser; close(): Promise<void> };
const seedDir = mkdtempSync(join(tmpdir(), 'kiosk-staff-e2e-'));
const dataDir = join(seedDir, 'data');
let localNumber = '';

/** A resident application the platform refuses once (422), made by the real services in this process. */
async function seedFailedApplication(config: KioskConfig): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const started = await startKioskServices({ config, dataDir, log: recordingLog() });
  if (!started.ok) throw new Error(started.error.message);
  const services = started.value;
  const call = async (method: string, params: unknown = {}) => {
    const response = await services.rpc.handle({ jsonrpc: '2.0', id: 1, method, params }, { transport: 'test' });
    if ('error' in response) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
    return response.result as Record<string, unknown>;
  };
  // The first-start setup, as the setup screen sends it: enrols with the platform's code, sets the PINs.
  await call('setup.complete', {
    terminalName: config.terminal.name,
    servicePointName: config.servicePoint.name,
    platformUrl: proxy.url,
    code: platform.createEnrolmentCode({ terminalId: config.terminal.id }),
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
  await call('staff.signOut');
  await call('session.start');
  services.journey.cardRead(card);
  const submitted = await call('journey.submit', {
    serviceCode: 'PENSION-CERT',
    parties: { mode: 'self' },
    answers: { phone: '13812345678', 'living-at-address': true },
    documents: [],
    signaturePngBase64:
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    consent: { textVersion: 'consent-2026-12-v2', face: 'staff-check' },
  });
  localNumber = String(submitted['localNumber']);
  const id = String(submitted['applicationId']);
  await vi.waitFor(() => expect(services.store.applications.getSummary(id)?.state).toBe('failed'), {
    timeout: 10_000,
  });
  await services.close();
}

beforeAll(async () => {
  platform = await startPlatform({
    port: 0,
    dataDir: join(seedDir, 'platform'),
    catalog: embeddedCatalogue,
    log: recordingLog(),
  });
  let refuse = true;
  proxy = await startFaultProxy(platform.url, {
    plan: (request) => {
      if (!refuse || request.method !== 'POST' || request.path !== '/v1/applications') return undefined;
      refuse = false;
      return {
        kind: 'status',
        status: 422,
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Invalid application',
          status: 422,
          fieldErrors: { 'answers.phone': 'number not in service' },
        }),
      };
    },
  });
  const config: KioskConfig = {
    ...defaultConfig,
    platform: { mode: 'remote', url: proxy.url, requestTimeoutSeconds: 5 },
  };
  await seedFailedApplication(config);
  kiosk = await startKioskProcess({ config, args: ['--data', dataDir], provision: false }); // provisioned above
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await kiosk?.stop();
  await proxy?.close();
  await platform?.close();
  rmSync(seedDir, { recursive: true, force: true });
});

const screen = (page: Page) => page.locator('[data-screen]').first().getAttribute('data-screen');

async function cornerTaps(page: Page, count = 5): Promise<void> {
  for (let i = 0; i < count; i++) await page.mouse.click(20 + i, 20);
}

async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByTestId(`keypad-${digit}`).click();
  await page.getByTestId('pin-ok').click();
}

async function signIn(page: Page, pin: string, expected: string): Promise<void> {
  await cornerTaps(page);
  await expect.poll(() => screen(page)).toBe('staff-pin');
  await typePin(page, pin);
  await expect.poll(() => screen(page)).toBe(expected);
}

describe('staff mode in Chromium', () => {
  it('opens by five corner taps and the staff PIN; shows the refused send with its reason; retries and reprints', async () => {
    // Playwright's clock (which also drives event timestamps) lets the taps expire without waiting.
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl(), { fakeClock: true });
    await expect.poll(() => screen(page)).toBe('idle');
    await page.getByTestId('start').click();
    await expect.poll(() => screen(page)).toBe('categories');
    await cornerTaps(page, 4);
    expect(await screen(page)).toBe('categories'); // four taps are not enough
    await page.clock.fastForward(3100);
    await cornerTaps(page, 1);
    expect(await screen(page)).toBe('categories'); // and the earlier four have expired
    await cornerTaps(page);
    await expect.poll(() => screen(page)).toBe('staff-pin');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'staff-01-pin');
    await page.getByTestId('pin-cancel').click();
    // A resident who opened the pad by chance carries on where they were.
    await expect.poll(() => screen(page)).toBe('categories');
    await page.getByTestId('home').click();
    await expect.poll(() => screen(page)).toBe('idle');

    await signIn(page, testPins.staff, 'staff-queue');
    const item = page.getByTestId(`queue-${localNumber}`);
    await expect.poll(() => item.getAttribute('data-state')).toBe('failed');
    expect(await item.getByTestId('queue-reason').textContent()).toContain(
      '422 Invalid application; answers.phone: number not in service',
    );
    // In plain words: the question as the resident saw it, and what to do next.
    expect(await item.getByTestId('queue-refusal').textContent()).toContain('“您的手机号码”这一项没通过');
    expect(await item.getByTestId('queue-refusal').isVisible()).toBe(true);
    expect(await item.getByTestId('queue-advice').textContent()).toContain('再办一次');
    // The platform's raw line is folded away for a technician.
    expect(await item.getByTestId('queue-reason').getAttribute('open')).toBeNull();
    expect(await page.textContent('body')).not.toContain(card.name);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'staff-02-queue-failed');

    await item.getByTestId('queue-retry').click();
    await expect.poll(() => page.getByTestId('queue-outcome').textContent()).toContain(localNumber);
    await expect
      .poll(
        async () => {
          await page.getByTestId('queue-refresh').click();
          return item.getAttribute('data-state');
        },
        { timeout: 15_000 },
      )
      .toBe('submitted');
    await item.getByTestId('queue-reprint').click();
    await expect.poll(() => page.getByTestId('queue-outcome').textContent()).toContain('补打回执');

    await page.getByTestId('tab-health').click();
    await expect.poll(() => page.getByTestId('health-platform').textContent()).toBe('连得上');
    await saveScreens(page, 'staff-03-health');
    await page.getByTestId('tab-summary').click();
    await expect.poll(() => page.getByTestId('summary-total').textContent()).toContain('共 1 件申请');
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'staff-04-summary');

    await page.getByTestId('staff-sign-out').click();
    await expect.poll(() => screen(page)).toBe('idle');
    await context.close();
  });

  it('technician: refuses an invalid setting, saves and rolls back, exports diagnostics without personal data, verifies the audit log', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl(), { orientation: 'landscape' });
    await signIn(page, testPins.technician, 'tech-devices');
    await expect.poll(() => page.getByTestId('device-printer-state').textContent()).not.toBe('—');
    await saveScreens(page, 'tech-01-devices');

    await page.getByTestId('tab-config').click();
    await page.getByTestId('config-idleTimeoutSeconds').fill('5');
    await page.getByTestId('config-save').click();
    // Named as the form names it, in Chinese: not the schema's `ui.idleTimeoutSeconds: Too small…`.
    await expect
      .poll(() => page.getByTestId('config-outcome').textContent())
      .toContain('没有保存：「无操作多少秒回首页」不能小于 30。');
    expect(await page.getByTestId('config-rollback').isDisabled()).toBe(true); // nothing was saved
    await saveScreens(page, 'tech-02-config-refused');
    await page.getByTestId('config-idleTimeoutSeconds').fill('180');
    await page.getByTestId('config-terminalName').fill('柳溪村二号终端');
    await page.getByTestId('config-save').click();
    await expect.poll(() => page.getByTestId('config-outcome').textContent()).toContain('已保存');
    expect(JSON.parse(readFileSync(join(dataDir, 'site-config.json'), 'utf8'))).toMatchObject({
      config: { terminal: { name: '柳溪村二号终端' }, ui: { idleTimeoutSeconds: 180 } },
    });
    await page.getByTestId('config-rollback').click();
    await expect.poll(() => page.getByTestId('config-outcome').textContent()).toContain('已恢复');
    await expect.poll(() => page.getByTestId('config-terminalName').inputValue()).toBe(defaultConfig.terminal.name);
    await expect.poll(() => page.getByTestId('config-idleTimeoutSeconds').inputValue()).toBe('120');

    await page.getByTestId('tab-diagnostics').click();
    const folder = page.locator(`[data-testid="diagnostics-folder"][data-folder="${join(dataDir, 'diagnostics')}"]`);
    await folder.click();
    await expect.poll(() => page.getByTestId('diagnostics-outcome').textContent()).toContain('kiosk-diagnostics-');
    const files = readdirSync(join(dataDir, 'diagnostics'));
    expect(files).toHaveLength(1);
    const bundle = readFileSync(join(dataDir, 'diagnostics', files[0] ?? ''), 'utf8');
    const parsed = JSON.parse(bundle) as { logs: unknown[] };
    expect(parsed).toMatchObject({
      kind: 'village-kiosk diagnostics',
      source: 'console',
      outbox: { depth: 0 },
      audit: { ok: true },
    });
    expect(parsed.logs.length).toBeGreaterThan(0);
    for (const secret of [card.name, card.idNumber, card.address, '13812345678']) expect(bundle).not.toContain(secret);
    await saveScreens(page, 'tech-03-diagnostics');

    await page.getByTestId('tab-audit').click();
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toContain('审计记录完整');
    for (const action of [
      'outbox.retry',
      'receipt.reprinted',
      'tech.config-refused',
      'tech.config-saved',
      'tech.config-rolled-back',
      'tech.diagnostics-exported',
    ]) {
      expect(await page.locator(`[data-testid="audit-row"][data-action="${action}"]`).count(), action).toBeGreaterThan(
        0,
      );
    }
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreens(page, 'tech-04-audit');
    await page.getByTestId('tab-enrol').click();
    await expect
      .poll(() => page.getByTestId('enrol-fingerprint').textContent())
      .toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){15}$/);
    await saveScreens(page, 'tech-05-enrol');
    await page.getByTestId('staff-sign-out').click();
    await expect.poll(() => screen(page)).toBe('idle');
    await context.close();
  });

  it('locks the PIN pad after five wrong PINs, refusing even the right one, with the seconds shown', async () => {
    const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl());
    await cornerTaps(page);
    await expect.poll(() => screen(page)).toBe('staff-pin');
    for (let i = 1; i <= 4; i++) {
      await typePin(page, '0000');
      await expect.poll(() => page.getByTestId('pin-message').textContent()).toContain(`再错 ${5 - i} 次`);
    }
    await typePin(page, '0000');
    await expect.poll(() => page.getByTestId('pin-message').textContent()).toMatch(/请 (30|29|28) 秒后再试/);
    for (const digit of testPins.staff) await page.getByTestId(`keypad-${digit}`).click();
    expect(await page.getByTestId('pin-ok').isDisabled()).toBe(true);
    await saveScreens(page, 'staff-05-locked');
    // A fresh page (a restart of the screen) does not lift the lock: it is kept on the service side.
    await page.reload();
    await page.waitForSelector('[data-screen="idle"]');
    await cornerTaps(page);
    await expect.poll(() => page.getByTestId('pin-message').textContent({ timeout: 5000 })).toMatch(/秒后再试/);
    await context.close();
  });
});
