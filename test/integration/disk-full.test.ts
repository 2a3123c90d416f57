import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog, silentLog, type RecordedLine } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { startPlatform } from '../../platform/server/start-platform';
import { startFaultProxy } from '../support/fault-proxy';
import { testPins } from '../support/provisioning';
import { canMountSmallDisk, fillUp, freeBytes, giveBack, mountSmallDisk } from '../support/small-disk';
import { allowanceSubmission, provisionServices, rpcCall, rpcFailure } from '../support/services-fixture';

/**
 * The data folder on a filesystem of its own, 32 MB, which the test fills: the terminal refuses new
 * applications before it could lose one (statfs below the threshold, and SQLITE_FULL at the write),
 * tells staff, still sends and records what it saved (the reserve it releases), and takes
 * applications again once space is freed — the same process, no restart.
 */
const MB = 1024 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A document photo of about `bytes` (a JPEG as far as the kiosk checks: SOI … EOI). */
function photo(bytes: number, fill: number): string {
  const body = Buffer.alloc(bytes, fill);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body, Buffer.from([0xff, 0xd9])]).toString('base64');
}

describe.skipIf(!canMountSmallDisk)('a full disk (skipped: mounting the small tmpfs needs root)', () => {
  it('refuses new applications before losing one, tells staff, keeps sending, and takes them again when space returns', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kiosk-diskfull-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    // The platform lives on the ordinary disk: only the terminal's disk fills.
    const platform = await startPlatform({
      port: 0,
      dataDir: join(root, 'platform'),
      catalog: embeddedCatalogue,
      log: silentLog,
    });
    cleanups.push(() => platform.close());
    const proxy = await startFaultProxy(platform.url);
    cleanups.push(() => proxy.close());

    const mount = join(root, 'small-disk');
    cleanups.push(mountSmallDisk(mount, 32));
    const dataDir = join(mount, 'kiosk');
    mkdirSync(dataDir, { mode: 0o700 });

    const config: KioskConfig = {
      ...defaultConfig,
      platform: { mode: 'remote', url: proxy.url, requestTimeoutSeconds: 2 },
      devices: {
        ...defaultConfig.devices,
        idReader: { kind: 'none' },
        printer: { kind: 'none' },
        scanner: { kind: 'none' },
      },
      // Scaled to the 32 MB disk as the defaults (200 MB, 8 MB) are to a terminal's (docs/storage.md).
      storage: { refuseBelowMegabytes: 4, reserveMegabytes: 2 },
    };
    const lines: RecordedLine[] = [];
    const started = await startKioskServices({ config, dataDir, log: recordingLog(lines), caseNumberWaitMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const services: KioskServices = started.value;
    cleanups.push(() => services.close());
    // The first-start setup as a technician runs it: PINs, and enrolment at the platform with a code.
    await provisionServices(services, {
      platformUrl: proxy.url,
      code: platform.createEnrolmentCode({ terminalId: config.terminal.id }),
    });
    const changes: boolean[] = [];
    services.storage.subscribe((state) => changes.push(state.accepting));

    // Three residents apply while the platform cannot be reached: saved here, waiting to be sent.
    await proxy.down();
    const earlier: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await rpcCall(services, 'journey.submit', await allowanceSubmission(services));
      expect(result.caseNumber).toBeNull();
      earlier.push(result.applicationId);
      await rpcCall(services, 'session.end', { reason: 'finished' });
    }
    expect(await rpcCall(services, 'storage.get')).toEqual({ accepting: true });
    const filler = join(mount, 'runaway.log');

    // The disk fills (a runaway file): the reserve is given back, and new applications are refused —
    // the resident is told before the questions (storage.get, asked as each person starts) and at submit.
    fillUp(filler);
    expect(await rpcCall(services, 'storage.get')).toEqual({ accepting: false });
    expect(services.storage.state()).toMatchObject({ accepting: false, reserveHeld: false });
    expect(freeBytes(mount)).toBeGreaterThanOrEqual(2 * MB);
    expect(freeBytes(mount)).toBeLessThan(4 * MB);
    const refused = await rpcFailure(services, 'journey.submit', await allowanceSubmission(services));
    expect(refused).toEqual({ kind: 'storage-full' });
    await rpcCall(services, 'session.end', { reason: 'cancelled' });
    const stored = () =>
      services.store.applications
        .listApplications({ limit: 20 })
        .map((a) => a.id)
        .sort();
    expect(stored()).toEqual([...earlier].sort());

    // Staff see it on the health view (the fleet agent raises disk-low from the same state).
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    expect((await rpcCall(services, 'staff.health')).problems).toContain('storage-full');
    await rpcCall(services, 'staff.signOut');

    // Everything saved before is intact and is sent with the disk full: the released reserve is the room
    // in which each send is recorded.
    for (const id of earlier) expect(services.store.applications.getApplication(id).ok).toBe(true);
    await proxy.up();
    for (const id of earlier) services.outbox.retryNow(id);
    await expect
      .poll(() => earlier.map((id) => services.store.applications.getSummary(id)?.state), { timeout: 30_000 })
      .toEqual(['submitted', 'submitted', 'submitted']);
    expect(services.outbox.status().depth).toBe(0);
    for (const id of earlier) expect(services.store.applications.getSummary(id)?.caseNumber).toMatch(/\S/);

    // Space returns (the runaway file is deleted): applications are taken again, no restart.
    rmSync(filler);
    expect(await rpcCall(services, 'storage.get')).toEqual({ accepting: true });
    expect(services.storage.state().reserveHeld).toBe(true);
    expect(changes).toEqual([false, true]);
    const again = await rpcCall(services, 'journey.submit', await allowanceSubmission(services));
    await rpcCall(services, 'session.end', { reason: 'finished' });
    await expect
      .poll(() => services.store.applications.getSummary(again.applicationId)?.state, { timeout: 30_000 })
      .toBe('submitted');
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    expect((await rpcCall(services, 'staff.health')).problems).not.toContain('storage-full');
    await rpcCall(services, 'staff.signOut');

    // Space runs out during the write itself: about 5 MB free passes the look before the write (the
    // threshold is 4), two 2.9 MB photos do not fit. SQLite answers SQLITE_FULL, the transaction rolls
    // back whole, the resident hears the same plain words, and the terminal refuses until space returns.
    fillUp(filler);
    giveBack(filler, 5 * MB);
    expect(services.storage.check().accepting).toBe(true);
    const big = await allowanceSubmission(services);
    const photos = [];
    for (const fill of [9, 10])
      photos.push(
        await rpcCall(services, 'journey.attachDocument', {
          requirementId: 'household-register',
          jpegBase64: photo(2_900_000, fill),
        }),
      );
    const tooBig = await rpcFailure(services, 'journey.submit', {
      ...big,
      documents: photos.map((p) => ({ requirementId: 'household-register', sha256: p.sha256 })),
    });
    expect(tooBig).toEqual({ kind: 'storage-full' });
    expect(services.storage.state()).toMatchObject({ accepting: false, reserveHeld: false });
    expect(lines.some((l) => l.message === 'storage: a write failed, the disk is full')).toBe(true);
    await rpcCall(services, 'session.end', { reason: 'cancelled' });
    expect(stored()).toEqual([...earlier, again.applicationId].sort());
    for (const id of stored()) expect(services.store.applications.getApplication(id).ok).toBe(true);
    rmSync(filler);
    const after = await rpcCall(services, 'journey.submit', await allowanceSubmission(services));
    expect(services.store.applications.getSummary(after.applicationId)).toBeDefined();

    // A rating on a full disk is not kept and says so (the resident is thanked all the same). The WAL is
    // emptied first, so the rating's commit needs new blocks rather than reusing the WAL's old ones.
    services.store.db.pragma('wal_checkpoint(TRUNCATE)');
    fillUp(filler);
    expect(
      await rpcFailure(services, 'rating.submit', { applicationId: after.applicationId, level: 5, reasons: [] }),
    ).toEqual({ kind: 'storage-full' });
    expect(services.storage.state()).toMatchObject({ accepting: false, reserveHeld: false });
  }, 90_000);
});
