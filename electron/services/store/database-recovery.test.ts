import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../foundation/clock';
import { silentLog } from '../../../foundation/log';
import { storePaths } from './database';
import { recoverDamagedDatabase } from './database-recovery';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('recovering a damaged database', () => {
  it('leaves a healthy database it cannot check right now (locked by another process) where it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-recovery-'));
    dirs.push(dir);
    const paths = storePaths(dir);
    const other = new Database(paths.database);
    try {
      other.pragma('journal_mode = WAL');
      other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      // Another process (a second kiosk, a CLI) holds the write lock.
      other.pragma('locking_mode = EXCLUSIVE');
      other.exec('BEGIN IMMEDIATE; INSERT INTO t VALUES (2)');

      const result = recoverDamagedDatabase(paths, { clock: manualClock(), log: silentLog, lockWaitMs: 50 });
      // Not damage: the start fails (and is retried) rather than swapping the live queue for an old backup.
      expect(result).toMatchObject({ ok: false, error: { kind: 'recovery-failed' } });
      expect(result.ok || result.error.reason).toMatch(/locked/);
      expect(existsSync(paths.damaged) ? readdirSync(paths.damaged) : []).toEqual([]);
      other.exec('COMMIT');
      expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
    } finally {
      other.close();
    }
  });
});
