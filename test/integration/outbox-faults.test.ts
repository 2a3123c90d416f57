import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { defaultConfig } from '../../kiosk-config/default-config';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { createHttpPlatformClient, enrol } from '../../electron/services/platform-client/http-platform-client';
import { loadOrCreateTerminalKeys } from '../../electron/services/platform-client/identity-store';
import { kioskDataCipher } from '../support/data-key';
import { buildSubmission } from '../../electron/services/outbox/submission';
import { openPlatformDb } from '../../platform/server/platform-db';
import { startPlatform } from '../../platform/server/start-platform';
import { startFaultProxy, type Fault } from '../support/fault-proxy';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * The kiosk's outbox against the reference platform through a network that misbehaves on every
 * other request — refused and closed connections, resets mid-body, 500s, 429 with Retry-After, slow
 * answers, answers lost after the platform acted — ends with exactly one case per application.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const signature = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const faults: Fault[] = [
  { kind: 'close' },
  { kind: 'reset-mid-body', afterBytes: 5 },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 429, retryAfter: '1' },
  { kind: 'delay', ms: 300 },
  { kind: 'drop-after-forward' },
];

describe('outbox through a faulty network', () => {
  it('delivers every application exactly once; a repeat gets the original case number', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kiosk-faults-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const platform = await startPlatform({
      port: 0,
      dataDir: join(root, 'platform'),
      catalog: embeddedCatalogue,
      log: silentLog,
    });
    cleanups.push(() => platform.close());
    let n = 0;
    const proxy = await startFaultProxy(platform.url, {
      plan: () => {
        const i = n++;
        return i % 2 === 0 ? faults[(i / 2) % faults.length] : undefined;
      },
    });
    cleanups.push(() => proxy.close());

    const kioskDir = join(root, 'kiosk');
    const keys = loadOrCreateTerminalKeys(kioskDir, kioskDataCipher(kioskDir), silentLog);
    if (!keys.ok) throw new Error(keys.error.message);
    const enrolled = await enrol(
      platform.url,
      platform.createEnrolmentCode({ terminalId: defaultConfig.terminal.id }),
      { terminalId: defaultConfig.terminal.id, ...keys.value },
    );
    if (!enrolled.ok) throw new Error(`enrol: ${enrolled.error.reason}`);
    const config = {
      ...defaultConfig,
      platform: { mode: 'remote' as const, url: proxy.url, requestTimeoutSeconds: 2 },
      devices: {
        ...defaultConfig.devices,
        idReader: { kind: 'none' as const },
        printer: { kind: 'none' as const },
        scanner: { kind: 'none' as const },
      },
    };
    const started = await startKioskServices({ config, dataDir: kioskDir, log: silentLog, caseNumberWaitMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const services: KioskServices = started.value;
    cleanups.push(() => services.close());

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      services.sessions.start();
      services.journey.cardRead(decodedSampleCard('resident-young'));
      const result = await services.journey.submit({
        serviceCode: 'PENSION-LEVEL',
        parties: { mode: 'self' },
        answers: { level: '1000', collection: 'social-security-card', phone: `1360000${String(i).padStart(4, '0')}` },
        documents: [],
        signaturePngBase64: signature,
        consent: { textVersion: 'faults', face: 'not-needed' },
      });
      if (!result.ok) throw new Error(result.error.message);
      ids.push(result.value.applicationId);
      services.sessions.end('finished');
    }
    await expect.poll(() => services.outbox.status().depth, { timeout: 60_000, interval: 250 }).toBe(0);
    expect(proxy.log.some((r) => r.fault !== 'pass')).toBe(true);

    const db = openPlatformDb(join(root, 'platform'), null);
    const rows = db.prepare('SELECT application_id, case_number FROM applications').all() as Array<{
      application_id: string;
      case_number: string;
    }>;
    db.close();
    expect(rows.map((r) => r.application_id).sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect(services.store.applications.getSummary(id)?.caseNumber).toBe(
        rows.find((r) => r.application_id === id)?.case_number,
      );

    // A duplicate delivery (the same Idempotency-Key again) answers with the original case.
    const first = ids[0] ?? '';
    const stored = services.store.applications.getApplication(first);
    if (!stored.ok) throw new Error('no application');
    const submission = buildSubmission(stored.value);
    const direct = createHttpPlatformClient({
      baseUrl: platform.url,
      terminalId: defaultConfig.terminal.id,
      privateKey: keys.value.privateKey,
    });
    const again = await direct.submitApplication(submission, first);
    expect(again.ok && again.value).toMatchObject({
      duplicate: true,
      caseNumber: services.store.applications.getSummary(first)?.caseNumber,
    });
  }, 90_000);
});
