/**
 * A really damaged database file at start: pages overwritten on disk, as a failing SD card or a
 * power cut on a card that lies about flushes leaves them. The kiosk finds it (quick_check), moves
 * it aside, restores the newest good backup, tells the operator, and still delivers what the backup
 * holds — including an item caught mid-send — so nothing the platform acknowledged is lost.
 */
import { closeSync, openSync, readdirSync, rmSync, statSync, writeSync, mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../foundation/clock';
import { createFileKeyProvider } from '../../foundation/key-provider';
import { recordingLog, silentLog, type RecordedLine } from '../../foundation/log';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { backup } from '../../electron/services/store/backup';
import { lastRestoreAt, quickCheck } from '../../electron/services/store/database-recovery';
import { openStore } from '../../electron/services/store/store';
import { sampleApplication } from '../../electron/services/store/test-fixtures';
import { noDevicesConfig } from '../support/services-fixture';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Overwrites every page after the first with random bytes, in place. */
function damage(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    for (let at = 4096; at < size; at += 4096) writeSync(fd, randomBytes(4096), 0, 4096, at);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged database at start', () => {
  it('is moved aside, the newest good backup restored, the operator told, and the backup’s queue delivered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-damaged-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const keyProvider = createFileKeyProvider(join(dir, 'data.key'));
    if (!keyProvider.ok) throw new Error('key');
    const opened = openStore({
      dataDir: dir,
      keyProvider: keyProvider.value,
      terminalId: noDevicesConfig.terminal.id,
      terminalCode: noDevicesConfig.terminal.code,
      clock: systemClock,
      log: silentLog,
    });
    if (!opened.ok) throw new Error('store');
    const store = opened.value;
    const create = () => {
      const made = store.applications.createApplication(sampleApplication({ serviceCode: 'PENSION-CERT' }));
      if (!made.ok) throw new Error('application');
      return made.value.id;
    };
    const kept = create();
    // The process died while this document was being sent.
    store.db.prepare(`UPDATE outbox SET state = 'sending' WHERE application_id = ? AND kind = 'attachment'`).run(kept);
    const saved = backup(store.db, store.paths.backups, { clock: systemClock });
    expect(saved.ok).toBe(true);
    const afterBackup = create();
    store.close();
    damage(store.paths.database);
    expect(quickCheck(store.paths.database).kind).toBe('damaged');

    const lines: RecordedLine[] = [];
    const started = await startKioskServices({
      config: noDevicesConfig,
      dataDir: dir,
      keyProvider: keyProvider.value,
      log: recordingLog(lines),
      caseNumberWaitMs: 0,
    });
    if (!started.ok) throw new Error(started.error.message);
    const services = started.value;
    cleanups.push(() => services.close());

    expect(quickCheck(services.store.paths.database).kind).toBe('ok');
    expect(readdirSync(join(dir, 'damaged')).filter((name) => name.endsWith('.sqlite'))).toHaveLength(1);
    expect(services.store.applications.getSummary(afterBackup)).toBeUndefined();
    // Told: the log, the audit log and staff health.
    expect(lines.some((l) => l.message.startsWith('store: restored from backup'))).toBe(true);
    const audited = services.store.db
      .prepare(`SELECT details FROM audit_log WHERE action = 'store.restored'`)
      .all() as Array<{ details: string }>;
    expect(audited).toHaveLength(1);
    expect(lastRestoreAt(services.store.db)).not.toBeNull();

    await services.outbox.drain();
    expect(services.store.applications.getSummary(kept)).toMatchObject({ state: 'submitted' });
    expect(services.outbox.status()).toMatchObject({ depth: 0, failed: 0, sending: 0 });
  });
});
