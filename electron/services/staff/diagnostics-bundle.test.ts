import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { defaultConfig } from '../../../kiosk-config/default-config';
import { listFailedItems, readOutboxStatus } from '../outbox/outbox-status';
import { openTestStore, personalStrings, sampleApplicant, sampleApplication } from '../store/test-fixtures';
import { buildDiagnosticsBundle, withoutSecrets } from './diagnostics-bundle';
import { createLogRing, ringLog } from './log-ring';

describe('diagnostic bundle', () => {
  it('holds configuration, devices, logs and outbox figures but no personal data', () => {
    const { store } = openTestStore();
    const created = store.applications.createApplication(sampleApplication());
    if (!created.ok) throw new Error('not saved');
    store.db
      .prepare(
        "UPDATE outbox SET state = 'failed', last_error = '422 Invalid application; applicant.name: too long' WHERE application_id = ?",
      )
      .run(created.value.id);
    store.audit({ actor: 'staff', action: 'staff.signed-in', details: { role: 'staff' } });
    const ring = createLogRing();
    const log = ringLog(recordingLog(), ring).child({ service: 'journey' });
    log.info({ applicationId: created.value.id }, 'application saved');
    // Mistakes a careless caller could make: a personal field, and an ID number inside a message.
    log.warn(
      { name: sampleApplicant.name, idNumber: sampleApplicant.idNumber, address: sampleApplicant.address },
      'oops',
    );
    log.error(
      { detail: `card ${sampleApplicant.idNumber} phone 13912345678` },
      `bad read of ${sampleApplicant.idNumber}`,
    );
    const text = buildDiagnosticsBundle({
      kioskVersion: '0.1.0',
      config: {
        ...defaultConfig,
        devices: {
          ...defaultConfig.devices,
          a4Printer: { kind: 'ipp', uri: 'ipps://lp:a4pass@printer.local/ipp/print' },
        },
        platform: {
          mode: 'remote',
          url: 'https://user:secret@gov.example.cn/api?token=abc',
          requestTimeoutSeconds: 15,
        },
      },
      siteConfigSavedAt: null,
      devices: [
        {
          role: 'printer',
          link: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 },
          status: { state: 'paper-out' },
        },
      ],
      logs: ring.lines(),
      outbox: readOutboxStatus(store.db),
      failedItems: listFailedItems(store.db),
      audit: store.verifyAudit(),
      identity: { fingerprint: 'SHA256:abc', enrolledAt: null, platformUrl: null },
      generatedAt: new Date('2026-11-24T08:00:00Z'),
      source: 'console',
    });
    const bundle = JSON.parse(text) as Record<string, unknown>;
    expect(bundle).toMatchObject({
      devices: [{ role: 'printer', status: { state: 'paper-out' } }],
      outbox: { failed: 4 },
      audit: { ok: true, rows: 1 },
    });
    expect(text).toContain('application saved');
    expect(text).toContain(created.value.localNumber);
    for (const secret of [...personalStrings, 'secret', 'token=abc', 'a4pass']) expect(text).not.toContain(secret);
    expect(text).toContain('ipps://printer.local/ipp/print');
    expect(withoutSecrets('https://a:b@host:8080/p?q=1#f')).toBe('https://host:8080/p');
    expect(ring.sources()).toEqual(['journey']);
  });
});
