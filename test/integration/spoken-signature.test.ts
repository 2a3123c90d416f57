import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskServices } from '../../electron/services/kiosk-services';
import { PlatformStore } from '../../platform/server/platform-db';
import { testPins } from '../support/provisioning';
import { allowanceSubmission, provisionedKioskInTempDir, rpcCall } from '../support/services-fixture';

/**
 * The audio keypad mode (issue 17): a resident who cannot see hears the confirmation and presses the
 * enter key instead of signing. The application records it as a spoken confirmation — here, in the
 * store and on the platform — with the member of staff who witnessed it when one did.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kiosk = () => provisionedKioskInTempDir('kiosk-spoken-', cleanups);

function platformBody(dataDir: string, services: KioskServices, applicationId: string): unknown {
  const db = new Database(join(dataDir, 'embedded-platform', 'platform.sqlite'), { readonly: true });
  try {
    return JSON.parse(new PlatformStore(db, services.store.cipher).applicationBody(applicationId) ?? '{}');
  } finally {
    db.close();
  }
}

describe('a spoken confirmation instead of a signature', () => {
  it('is recorded as such here and on the platform, without a witness, and never as a mark', async () => {
    const { services, dataDir } = await kiosk();
    const params = await allowanceSubmission(services);
    const result = await rpcCall(services, 'journey.submit', { ...params, signatureKind: 'spoken' });
    const stored = services.store.applications.getApplication(result.applicationId);
    if (!stored.ok) throw new Error('not stored');
    expect(stored.value.spokenSignature?.witnessStaffId).toBeNull();
    expect(Date.parse(stored.value.spokenSignature?.confirmedAt ?? '')).not.toBeNaN();
    expect(stored.value.markWitnessStaffId).toBeNull();
    await expect
      .poll(() => services.store.applications.getSummary(result.applicationId)?.state, { timeout: 10_000 })
      .toBe('submitted');
    const body = platformBody(dataDir, services, result.applicationId) as Record<string, unknown>;
    expect(body.signatureSpoken).toEqual({ confirmedAt: stored.value.spokenSignature?.confirmedAt });
    expect(body.signatureMark).toBeUndefined();

    // A written name says nothing of a spoken confirmation.
    const named = await rpcCall(services, 'journey.submit', await allowanceSubmission(services));
    const plain = services.store.applications.getApplication(named.applicationId);
    expect(plain.ok && plain.value.spokenSignature).toBeNull();
  });

  it('names the member of staff who witnessed that very confirmation', async () => {
    const { services, dataDir } = await kiosk();
    const params = await allowanceSubmission(services);
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    await rpcCall(services, 'staff.witnessMark', { markPngBase64: params.signaturePngBase64 });
    const result = await rpcCall(services, 'journey.submit', { ...params, signatureKind: 'spoken' });
    const stored = services.store.applications.getApplication(result.applicationId);
    expect(stored.ok && stored.value.spokenSignature?.witnessStaffId).toBe('staff');
    await expect
      .poll(() => services.store.applications.getSummary(result.applicationId)?.state, { timeout: 10_000 })
      .toBe('submitted');
    expect(platformBody(dataDir, services, result.applicationId)).toMatchObject({
      signatureSpoken: { witnessStaffId: 'staff' },
    });
  });
});
