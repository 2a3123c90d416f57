import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog, silentLog } from '../../../foundation/log';
import { backup, scheduleBackups } from './backup';
import { storePaths } from './database';
import { pruneOldFiles, purgeAcknowledged, startRetention } from './retention';
import { openTestStore, sampleApplication } from './test-fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  dirs.push(dir);
  return dir;
};
const inertTimers = { setTimeout: () => 0, clearTimeout: () => {} };

const day = 24 * 60 * 60 * 1000;

describe('retention', () => {
  it('purges personal data only after acknowledgement plus the grace period, and keeps the figures', () => {
    const { store, clock } = openTestStore();
    const acked = store.applications.createApplication(sampleApplication());
    const pending = store.applications.createApplication(sampleApplication({ serviceCode: 'medical-enrol' }));
    if (!acked.ok || !pending.ok) throw new Error('create');
    const id = acked.value.id;
    store.receipts.saveReceipt(id, { name: '张*丰' }, 'ABC123');
    const rating = store.ratings.addRating({ applicationId: id, level: 5, reasons: ['fast'], comment: '张三丰很满意' });
    if (!rating.ok) throw new Error('rating');
    const ratingId = rating.value;
    store.db.prepare(`UPDATE outbox SET state = 'done'`).run();
    store.applications.markSubmitted(id, 'CASE-1', 'submitted');
    store.applications.recordCaseStatus(id, 'needs-material', [
      { status: 'needs-material', at: '2026-11-24T09:00:00Z', note: '请张三丰补充户口本' },
    ]);

    clock.advance(7 * day - 1);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 0, purgedComments: 0 });
    expect(store.applications.getApplication(id).ok).toBe(true);

    clock.advance(1);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 1, purgedComments: 1 });
    expect(store.applications.getApplication(id)).toMatchObject({ ok: false, error: { kind: 'purged' } });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM application_answers WHERE application_id = ?').get(id)).toEqual({
      n: 0,
    });
    expect(
      store.db
        .prepare('SELECT COUNT(*) AS n FROM attachments WHERE application_id = ? AND content_enc IS NOT NULL')
        .get(id),
    ).toEqual({ n: 0 });
    expect(store.receipts.getReceipt(id)).toEqual({ ok: false, error: { kind: 'purged' } });
    expect(store.applications.caseHistory(id)).toEqual([
      { status: 'needs-material', at: '2026-11-24T09:00:00Z', note: null },
    ]);
    // Figures for statistics stay.
    expect(store.applications.getSummary(id)).toMatchObject({
      serviceCode: 'elderly-allowance',
      caseNumber: 'CASE-1',
      createdAt: '2026-11-24T08:00:00.000Z',
    });
    expect(store.ratings.getRating(ratingId)).toMatchObject({
      ok: true,
      value: { level: 5, reasons: ['fast'], comment: null },
    });
    // The unacknowledged one is the only copy: untouched.
    expect(store.applications.getApplication(pending.value.id).ok).toBe(true);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 0, purgedComments: 0 });
  });

  it('honours a configured grace period of zero days and keeps an unsent rating comment until it is sent', () => {
    const { store, clock } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    const rating = store.ratings.addRating({ applicationId: a.value.id, level: 2, comment: 'slow' });
    if (!rating.ok) throw new Error('rating');
    const ratingId = rating.value;
    store.applications.markSubmitted(a.value.id, 'CASE-9', 'submitted');
    expect(purgeAcknowledged(store, { clock, graceMs: 0 })).toEqual({ purgedApplications: 1, purgedComments: 0 });
    expect(store.ratings.getRating(ratingId)).toMatchObject({ ok: true, value: { comment: 'slow' } });
    store.db.prepare(`UPDATE outbox SET state = 'done' WHERE kind = 'rating'`).run();
    expect(purgeAcknowledged(store, { clock, graceMs: 0 })).toEqual({ purgedApplications: 0, purgedComments: 1 });
  });

  it('runs on a schedule and logs only counts', () => {
    const { store, clock } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    store.applications.markSubmitted(a.value.id, 'CASE-3', 'submitted');
    const scheduled: Array<() => void> = [];
    const log = recordingLog();
    const schedule = startRetention(store, {
      clock,
      log,
      graceMs: day,
      timers: { setTimeout: (fn) => scheduled.push(fn), clearTimeout: () => {} },
    });
    expect(store.applications.getApplication(a.value.id).ok).toBe(true);
    clock.advance(day);
    scheduled.shift()?.();
    expect(store.applications.getApplication(a.value.id)).toMatchObject({ ok: false, error: { kind: 'purged' } });
    expect(log.lines).toEqual([
      {
        level: 'info',
        fields: { purgedApplications: 1, purgedComments: 0 },
        message: 'retention: personal data deleted',
      },
    ]);
    schedule.stop();
  });

  it('purges a failed application after the longest retention, counted from the day it was made, and keeps a recent one', () => {
    const { store, clock } = openTestStore();
    const old = store.applications.createApplication(sampleApplication());
    if (!old.ok) throw new Error('create');
    store.applications.markFailed(old.value.id, '422 unknown service');
    clock.advance(20 * day);
    const recent = store.applications.createApplication(sampleApplication());
    const queued = store.applications.createApplication(sampleApplication());
    if (!recent.ok || !queued.ok) throw new Error('create');
    store.applications.markFailed(recent.value.id, '422 unknown service');

    const options = { clock, graceMs: 7 * day, failedGraceMs: 30 * day };
    clock.advance(10 * day - 1);
    expect(purgeAcknowledged(store, options).purgedApplications).toBe(0);
    clock.advance(1);
    expect(purgeAcknowledged(store, options).purgedApplications).toBe(1);
    expect(store.applications.getApplication(old.value.id)).toMatchObject({ ok: false, error: { kind: 'purged' } });
    // Staff still have twenty days to resolve the recent one; an unsent one is the only copy, whatever its age.
    expect(store.applications.getApplication(recent.value.id).ok).toBe(true);
    clock.advance(60 * day);
    expect(purgeAcknowledged(store, options).purgedApplications).toBe(1);
    expect(store.applications.getApplication(queued.value.id).ok).toBe(true);
    // A failed-retention shorter than the acknowledged one is not shorter in effect.
    expect(purgeAcknowledged(store, { clock, graceMs: 90 * day, failedGraceMs: day }).purgedApplications).toBe(0);
  });

  it('leaves no backup that still holds purged data, and the unsent application in every copy', () => {
    const dataDir = tempDir('kiosk-retention-backups-');
    const { store, clock } = openTestStore(dataDir);
    const acked = store.applications.createApplication(sampleApplication());
    const unsent = store.applications.createApplication(sampleApplication());
    if (!acked.ok || !unsent.ok) throw new Error('create');
    store.applications.markSubmitted(acked.value.id, 'CASE-7', 'submitted');
    const backups = scheduleBackups(store.db, store.paths.backups, { clock, timers: inertTimers, log: silentLog });
    expect(backup(store.db, store.paths.backups, { clock }).ok).toBe(true); // last night's: holds both

    clock.advance(7 * day);
    const retention = startRetention(store, {
      clock,
      graceMs: 7 * day,
      timers: inertTimers,
      log: silentLog,
      afterPurge: () => backups.replaceAll(),
    });
    expect(store.applications.getApplication(acked.value.id).ok).toBe(false);

    const copies = readdirSync(store.paths.backups);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      // Restored as a terminal would restore it: the purged application must not come back.
      const restoreDir = tempDir('kiosk-restored-');
      copyFileSync(join(store.paths.backups, copy), storePaths(restoreDir).database);
      const restored = openTestStore(restoreDir).store;
      expect(restored.applications.getApplication(acked.value.id)).toMatchObject({ ok: false });
      expect(restored.applications.getApplication(unsent.value.id).ok).toBe(true);
      restored.close();
    }
    retention.stop();
    backups.stop();
    store.close();
  });

  it('deletes crash dumps and the damaged database set aside once older than their days, and nothing newer', () => {
    const dumps = tempDir('kiosk-crash-dumps-');
    mkdirSync(join(dumps, 'completed'));
    const now = Date.UTC(2026, 11, 3, 8);
    const file = (name: string, ageDays: number) => {
      const path = join(dumps, name);
      writeFileSync(path, 'minidump');
      const at = new Date(now - ageDays * day);
      utimesSync(path, at, at);
      return path;
    };
    file('completed/old.dmp', 15);
    file('completed/fresh.dmp', 13);
    file('settings.dat', 30);
    expect(pruneOldFiles({ dir: dumps, maxAgeMs: 14 * day }, now)).toBe(2);
    expect(readdirSync(join(dumps, 'completed'))).toEqual(['fresh.dmp']);
    expect(readdirSync(dumps)).toEqual(['completed']);
    expect(pruneOldFiles({ dir: join(dumps, 'absent'), maxAgeMs: day }, now)).toBe(0);
  });
});
