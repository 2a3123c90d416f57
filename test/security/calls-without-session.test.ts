import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { fakeDevices, type FakeDevices } from '../support/fake-devices';
import { applyForAllowance, rpcCall, rpcFailure, noDevicesConfig } from '../support/services-fixture';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * The next person at the screen (or a page on the socket) holding someone else's application id —
 * it is in the QR code of a receipt left behind: they cannot reprint that receipt (a second copy
 * with the resident's masked name and case), and cannot rate that case, nor replay a rating.
 */
const config = noDevicesConfig;
let services: KioskServices;
let devices: FakeDevices;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-session-attack-'));
  devices = fakeDevices();
  const started = await startKioskServices({ config, dataDir, log: silentLog, createDevices: () => devices });
  if (!started.ok) throw new Error(started.error.message);
  services = started.value;
});
afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('calls without the right session', () => {
  it('keeps at most 24 photos in memory per session', async () => {
    await rpcCall(services, 'session.start');
    services.journey.cardRead(decodedSampleCard('resident-long-term'));
    const photo = (n: number) =>
      Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        Buffer.from(String(n)),
        Buffer.from([0xff, 0xd9]),
      ]).toString('base64');
    for (let n = 0; n < 24; n++)
      await rpcCall(services, 'journey.attachDocument', { requirementId: 'household-register', jpegBase64: photo(n) });
    expect(
      await rpcFailure(services, 'journey.attachDocument', {
        requirementId: 'household-register',
        jpegBase64: photo(99),
      }),
    ).toEqual({ kind: 'too-many-documents' });
    await rpcCall(services, 'session.end', { reason: 'cancelled' });
  });

  it('prints and rates only what this session submitted, a rating once', async () => {
    const { applicationId } = await applyForAllowance(services);
    expect(await rpcCall(services, 'receipt.print', { applicationId, reprint: false })).toEqual({ outcome: 'printed' });
    expect(await rpcCall(services, 'rating.submit', { applicationId, level: 5, reasons: [] })).toEqual({});
    expect(await rpcFailure(services, 'rating.submit', { applicationId, level: 1, reasons: [] })).toEqual({
      kind: 'already-rated',
    });
    const printed = devices.printed.length;

    // The resident leaves; a stranger starts a session with the id from the receipt.
    await rpcCall(services, 'session.end', { reason: 'finished' });
    expect(await rpcFailure(services, 'receipt.print', { applicationId, reprint: true })).toEqual({
      kind: 'not-found',
    });
    expect(await rpcFailure(services, 'rating.submit', { applicationId, level: 1, reasons: [] })).toEqual({
      kind: 'not-found',
    });
    await rpcCall(services, 'session.start');
    expect(await rpcFailure(services, 'receipt.print', { applicationId, reprint: true })).toEqual({
      kind: 'not-found',
    });
    expect(await rpcFailure(services, 'rating.submit', { applicationId, level: 1, reasons: [] })).toEqual({
      kind: 'not-found',
    });
    expect(devices.printed.length).toBe(printed);
    const ratings = services.store.db
      .prepare('SELECT COUNT(*) AS n FROM ratings WHERE application_id = ?')
      .get(applicationId) as { n: number };
    expect(ratings.n).toBe(1);
  });
});
