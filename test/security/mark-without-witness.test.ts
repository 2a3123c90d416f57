import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformStore } from '../../platform/server/platform-db';
import { testPins } from '../support/provisioning';
import {
  allowanceSubmission,
  provisionedKioskInTempDir,
  rpcCall,
  rpcFailure,
  tinyPng,
} from '../support/services-fixture';

/**
 * 不会写字: a resident who cannot write draws a mark, and a member of staff confirms it on the spot
 * with their PIN. The attacker is the page (or anything speaking the RPC): it claims a mark without
 * staff, reuses a confirmation for another image, or carries one over to the next person.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kiosk = () => provisionedKioskInTempDir('kiosk-mark-', cleanups);

/** Another tiny PNG: a mark other than the one staff confirmed. */
const otherPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

describe('a mark instead of a signature', () => {
  it('is refused when no member of staff confirmed it, and nothing is saved', async () => {
    const { services } = await kiosk();
    const params = await allowanceSubmission(services);
    expect(await rpcFailure(services, 'journey.submit', { ...params, signatureKind: 'mark' })).toMatchObject({
      kind: 'mark-not-witnessed',
    });
    // The page cannot confirm it itself: the witness call needs a staff session.
    expect(await rpcFailure(services, 'staff.witnessMark', { markPngBase64: params.signaturePngBase64 })).toMatchObject(
      { kind: 'not-allowed' },
    );
    expect(await rpcFailure(services, 'journey.submit', { ...params, signatureKind: 'mark' })).toMatchObject({
      kind: 'mark-not-witnessed',
    });
    expect(services.store.applications.listApplications({})).toEqual([]);
  });

  it('is refused for another image than the one staff confirmed, and for the next person', async () => {
    const { services } = await kiosk();
    const params = await allowanceSubmission(services);
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    await rpcCall(services, 'staff.witnessMark', { markPngBase64: params.signaturePngBase64 });
    expect(
      await rpcFailure(services, 'journey.submit', {
        ...params,
        signaturePngBase64: otherPng.toString('base64'),
        signatureKind: 'mark',
      }),
    ).toMatchObject({ kind: 'mark-not-witnessed' });

    // The confirmation was this person's: the next one at the screen cannot ride it.
    await rpcCall(services, 'session.end', { reason: 'finished' });
    const next = await allowanceSubmission(services);
    expect(await rpcFailure(services, 'journey.submit', { ...next, signatureKind: 'mark' })).toMatchObject({
      kind: 'mark-not-witnessed',
    });
    expect(services.store.applications.listApplications({})).toEqual([]);
  });

  it('confirmed by staff’s PIN, is recorded with the staff id here and on the platform; staff mode ends', async () => {
    const { services, dataDir } = await kiosk();
    const params = await allowanceSubmission(services);
    expect(await rpcCall(services, 'staff.signIn', { pin: testPins.staff })).toEqual({ role: 'staff' });
    expect(await rpcCall(services, 'staff.witnessMark', { markPngBase64: tinyPng.toString('base64') })).toEqual({
      staffId: 'staff',
    });
    // Staff came only to confirm: the screen is the resident's again, their session untouched.
    expect(await rpcCall(services, 'staff.status')).toMatchObject({ role: null });
    const result = await rpcCall(services, 'journey.submit', { ...params, signatureKind: 'mark' });
    const stored = services.store.applications.getApplication(result.applicationId);
    expect(stored.ok && stored.value.markWitnessStaffId).toBe('staff');

    await expect
      .poll(() => services.store.applications.getSummary(result.applicationId)?.state, { timeout: 10_000 })
      .toBe('submitted');
    // The embedded platform encrypts with the kiosk's own cipher: read the body through its store.
    const platformDb = new Database(join(dataDir, 'embedded-platform', 'platform.sqlite'), { readonly: true });
    const body = new PlatformStore(platformDb, services.store.cipher).applicationBody(result.applicationId);
    platformDb.close();
    expect(JSON.parse(body ?? '{}')).toMatchObject({ signatureMark: { witnessStaffId: 'staff' } });
    // Who confirmed is in the audit log under their own id.
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    const { rows } = await rpcCall(services, 'tech.audit', {});
    expect(rows.map((r) => [r.actor, r.action])).toContainEqual(['staff:staff', 'staff.mark-witnessed']);
    await rpcCall(services, 'staff.signOut');

    // A written name is recorded as such: no witness on it.
    const named = await rpcCall(services, 'journey.submit', await allowanceSubmission(services));
    const plain = services.store.applications.getApplication(named.applicationId);
    expect(plain.ok && plain.value.markWitnessStaffId).toBeNull();
  });
});
