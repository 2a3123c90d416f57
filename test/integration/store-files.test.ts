/**
 * The store on real files: schema upgrades keep data, personal data never reaches the disk in the
 * clear (database and WAL), the key file is owner-only, backups rotate, the outbox resumes after a
 * restart, and the technician CLI reads status and verifies the audit chain.
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { runCli } from '../../electron/cli/main';
import { createOutboxWorker } from '../../electron/services/outbox/outbox-worker';
import { FakePlatformPort } from '../../electron/services/outbox/fake-platform-port';
import { appendAudit } from '../../electron/services/store/audit-log';
import { backup } from '../../electron/services/store/backup';
import { manualClock, type Timers } from '../../foundation/clock';
import { openDatabase, storePaths } from '../../electron/services/store/database';
import { createFileKeyProvider } from '../../foundation/key-provider';
import { latestVersion, migrations, schemaVersion } from '../../electron/services/store/migrations';
import { openStore } from '../../electron/services/store/store';
import {
  openTestStore,
  personalStrings,
  sampleApplication,
  sampleRepresentative,
  testKey,
} from '../../electron/services/store/test-fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const inertTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} };

function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(['node', 'kiosk', ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: () => {},
  }).then((code) => ({
    code,
    out,
    err,
  }));
}

describe('store on disk', () => {
  it('upgrades a version-1 database with its data intact', () => {
    const path = storePaths(dir).database;
    const old = openDatabase(path, { migrations: migrations.slice(0, 1) });
    if (!old.ok) throw new Error('open v1');
    expect(schemaVersion(old.value)).toBe(1);
    old.value
      .prepare(
        `INSERT INTO applications (id, local_number, terminal_id, service_code, created_at, state, consent_version, consent_at, signature_sha256, parties_enc)
         VALUES ('11111111-1111-4111-8111-111111111111', 'QS01-20260101-0001', 'QS-0001', 'elderly-allowance', '2026-01-01T00:00:00.000Z', 'queued', 'c1', '2026-01-01T00:00:00.000Z', ?, x'00')`,
      )
      .run('a'.repeat(64));
    old.value.prepare(`INSERT INTO settings (key, value) VALUES ('x', 'y')`).run();
    appendAudit(old.value, Buffer.alloc(32, 1), manualClock(), { actor: 'system', action: 'test' });
    old.value.close();

    const upgraded = openDatabase(path);
    if (!upgraded.ok) throw new Error(JSON.stringify(upgraded.error));
    const db = upgraded.value;
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.prepare('SELECT local_number, service_code, status_checked_at FROM applications').all()).toEqual([
      { local_number: 'QS01-20260101-0001', service_code: 'elderly-allowance', status_checked_at: null },
    ]);
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: 'y' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 0 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database written by newer software, without changing it', () => {
    const path = storePaths(dir).database;
    const db = openDatabase(path);
    if (!db.ok) throw new Error('open');
    db.value.pragma('user_version = 42');
    db.value.close();
    const before = readFileSync(path);
    const again = openDatabase(path);
    expect(again).toEqual({ ok: false, error: { kind: 'newer-than-code', found: 42, known: latestVersion() } });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('keeps personal data out of the database file and its WAL, in UTF-8 and UTF-16LE', () => {
    const { store } = openTestStore(dir);
    const created = store.applications.createApplication(
      sampleApplication({ onBehalf: { relationship: 'child', representative: sampleRepresentative } }),
    );
    if (!created.ok) throw new Error('create');
    store.receipts.saveReceipt(created.value.id, { applicant: '张三丰', id: '110105194912310021' }, 'K7Q2');
    store.ratings.addRating({ applicationId: created.value.id, level: 5, comment: '张三丰 说很好' });
    const paths = storePaths(dir);
    // Before any checkpoint the new rows live in the WAL; scan both files.
    expect(existsSync(`${paths.database}-wal`)).toBe(true);
    const files = [readFileSync(paths.database), readFileSync(`${paths.database}-wal`)];
    expect(files[1]?.length).toBeGreaterThan(0);
    for (const bytes of files) {
      for (const s of personalStrings) {
        expect(bytes.includes(Buffer.from(s, 'utf8')), `${s} (utf8)`).toBe(false);
        expect(bytes.includes(Buffer.from(s, 'utf16le')), `${s} (utf16le)`).toBe(false);
      }
    }
    // The test would notice plaintext: the non-personal service code is there.
    expect(files.some((b) => b.includes(Buffer.from('elderly-allowance')))).toBe(true);
    // And the data is still readable through the store.
    const back = store.applications.getApplication(created.value.id);
    expect(back.ok && back.value.applicant.name).toBe('张三丰');
    store.close();
    expect((statSync(paths.database).mode & 0o777).toString(8)).toBe('600');
  });

  it('creates an owner-only key file and refuses one that others can read', () => {
    const keyPath = join(dir, 'data.key');
    const made = createFileKeyProvider(keyPath);
    expect(made.ok).toBe(true);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const key = made.ok ? made.value.getDataKey() : Buffer.alloc(0);
    expect(key.length).toBe(32);
    // Same key on the next start.
    const again = createFileKeyProvider(keyPath);
    expect(again.ok && again.value.getDataKey().equals(key)).toBe(true);

    chmodSync(keyPath, 0o640);
    expect(createFileKeyProvider(keyPath)).toEqual({
      ok: false,
      error: { kind: 'insecure-permissions', path: keyPath, mode: '0640' },
    });
    const short = join(dir, 'short.key');
    writeFileSync(short, Buffer.alloc(5), { mode: 0o600 });
    expect(createFileKeyProvider(short)).toMatchObject({ ok: false, error: { kind: 'wrong-length', length: 5 } });
  });

  it('an application stored under one key cannot be read with another', () => {
    const { store } = openTestStore(dir);
    const created = store.applications.createApplication(sampleApplication());
    store.close();
    if (!created.ok) throw new Error('create');
    const other = openStore({
      dataDir: dir,
      keyProvider: { getDataKey: () => Buffer.alloc(32, 9) },
      terminalId: 'QS-0001',
      terminalCode: 'QS01',
      clock: manualClock(),
      log: silentLog,
    });
    if (!other.ok) throw new Error('open');
    expect(other.value.applications.getApplication(created.value.id)).toMatchObject({
      ok: false,
      error: { kind: 'decrypt-failed', error: { kind: 'unknown-key' } },
    });
    other.value.close();
  });

  it('backs up with VACUUM INTO and keeps the newest N', () => {
    const { store, clock } = openTestStore(dir);
    store.applications.createApplication(sampleApplication());
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = backup(store.db, storePaths(dir).backups, { keep: 2, clock });
      if (!result.ok) throw new Error(result.error.reason);
      made.push(result.value.path);
      clock.advance(60_000);
    }
    expect(readdirSync(storePaths(dir).backups).sort()).toEqual(made.slice(2).map((p) => p.split('/').at(-1)));
    const copy = openDatabase(made[3] ?? '', { readonly: true });
    if (!copy.ok) throw new Error('open backup');
    expect(copy.value.prepare('SELECT COUNT(*) AS n FROM applications').get()).toEqual({ n: 1 });
    copy.value.close();
    store.close();
  });
});

describe('outbox across a restart', () => {
  it('resumes from the database: an item caught mid-send is sent again and yields one case', async () => {
    const port = new FakePlatformPort();
    const first = openTestStore(dir);
    const a = first.store.applications.createApplication(sampleApplication());
    const b = first.store.applications.createApplication(sampleApplication());
    if (!a.ok || !b.ok) throw new Error('create');
    const worker = createOutboxWorker({
      store: first.store,
      port,
      log: silentLog,
      clock: first.clock,
      timers: inertTimers,
      heartbeat: { version: 't', devices: () => ({}) },
    });
    // One submission reaches the platform but the answer is lost, and the process dies while the
    // retry is on the wire (its row still says 'sending'); the other application gets through.
    port.failNext('submitApplication', { failure: { kind: 'retryable', reason: 'socket hang up' }, afterCommit: true });
    await worker.drain();
    const stuck =
      [a.value.id, b.value.id].find((id) => first.store.applications.getSummary(id)?.state === 'queued') ?? '';
    expect(port.cases.has(stuck)).toBe(true);
    first.store.db
      .prepare(`UPDATE outbox SET state = 'sending' WHERE kind = 'application' AND application_id = ?`)
      .run(stuck);
    first.store.close();

    const second = openTestStore(dir);
    second.clock.set(first.clock.now() + 3_600_000);
    const resumed = createOutboxWorker({
      store: second.store,
      port,
      log: silentLog,
      clock: second.clock,
      timers: inertTimers,
      heartbeat: { version: 't', devices: () => ({}) },
      statusPollIntervalMs: 0,
      heartbeatIntervalMs: 0,
      catalogueIntervalMs: 0,
    });
    expect(resumed.status()).toMatchObject({ depth: 1, sending: 1 });
    resumed.start();
    await resumed.drain();
    await resumed.stop();
    expect(second.store.applications.getSummary(a.value.id)?.state).toBe('submitted');
    expect(second.store.applications.getSummary(b.value.id)?.state).toBe('submitted');
    expect(port.cases.size).toBe(2);
    expect(
      port.calls.filter((c) => c.method === 'submitApplication' && c.applicationId === stuck).map((c) => c.key),
    ).toEqual([stuck, stuck]);
    expect(second.store.applications.getSummary(stuck)?.caseNumber).toBe(port.cases.get(stuck)?.caseNumber);
    expect(resumed.status()).toMatchObject({ depth: 0, sending: 0 });
    second.store.close();
  });
});

describe('technician CLI', () => {
  it('prints outbox status (text and --json) read-only, and verifies the audit log', async () => {
    const { store } = openTestStore(dir);
    store.applications.createApplication(sampleApplication());
    store.audit({ actor: 'staff:S-07', action: 'staff.sign-in' });
    store.audit({ actor: 'staff:S-07', action: 'receipt.reprint', details: { applicationId: 'x' } });
    store.close();
    // The CLI derives the audit MAC key from the data key file, as the browser-host kiosk keeps it.
    writeFileSync(join(dir, 'data.key'), testKey, { mode: 0o600 });

    const text = await cli('outbox', 'status', '--data', dir);
    expect(text.code).toBe(0);
    expect(text.out[0]).toContain('waiting:       4 item(s) (0 sending, 0 failed)');
    const json = await cli('outbox', 'status', '--json', '--data', dir);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({
      depth: 4,
      failed: 0,
      sending: 0,
      lastSuccessfulContactAt: null,
      failedItems: [],
    });

    const ok = await cli('audit', 'verify', '--data', dir);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out[0]).toMatch(/^audit log ok: 2 row\(s\)/);

    const db = openDatabase(storePaths(dir).database);
    if (!db.ok) throw new Error('open');
    db.value.prepare(`UPDATE audit_log SET action = 'nothing' WHERE seq = 1`).run();
    db.value.close();
    const broken = await cli('audit', 'verify', '--data', dir);
    expect(broken.code).toBe(4);
    expect(broken.err[0]).toContain('BROKEN at row 1');
  });

  it('says clearly when there is no store, and exits non-zero', async () => {
    const missing = await cli('outbox', 'status', '--data', join(dir, 'nothing-here'));
    expect(missing.code).not.toBe(0);
    expect(missing.err[0]).toMatch(/cannot open/);
  });
});
