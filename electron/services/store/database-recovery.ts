/**
 * A damaged database at start (a power cut on a card that lies about flushes, a failing SD card) is
 * found by `PRAGMA quick_check` before anything opens it for real. The damaged file (with its WAL)
 * is moved aside — only the newest such copy is kept, since it still holds (encrypted) residents'
 * data — and the newest backup that passes the same check takes its place. Nothing the platform
 * acknowledged is lost: what the backup still shows as unsent is sent again and the platform
 * de-duplicates by id (outbox items caught `sending` are reset when the outbox starts). What was
 * saved after that backup and never sent is lost; the operator is told (log, audit, staff health,
 * fleet happening 'database-restored'). A file SQLite cannot look at for another reason (locked by
 * another process, out of memory) is no sign of damage: the start fails and is retried instead.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import { backupName } from './backup';
import type { Db, StorePaths } from './database';
import { getSetting, setSetting } from './settings';

export interface DatabaseRestore {
  readonly at: string;
  /** What quick_check (or opening) said about the damaged file. */
  readonly problem: string;
  /** The backup file restored, or null when none was good (the kiosk starts with an empty store). */
  readonly backup: string | null;
  /** Where the damaged file was moved. */
  readonly movedTo: string;
}

export type RecoveryError = { kind: 'recovery-failed'; reason: string };

const sidecars = ['', '-wal', '-shm'] as const;

/**
 * 'ok'; 'damaged' with the first problem SQLite reports (or a file it cannot read as a database);
 * or 'unchecked' when SQLite could not look at it for another reason (locked by another process,
 * out of memory or file handles): that is no sign of damage, and a healthy file must not be swapped
 * for an older backup because of it.
 */
export type QuickCheck = { kind: 'ok' } | { kind: 'damaged' | 'unchecked'; problem: string };

/** SQLite's answers that mean the file itself is bad (an I/O error on a failing card included). */
const damageCodes = /^SQLITE_(CORRUPT|NOTADB|IOERR)/;

export function quickCheck(path: string, lockWaitMs = 5000): QuickCheck {
  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: lockWaitMs });
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const first = rows[0]?.quick_check ?? 'no answer';
    return first === 'ok' ? { kind: 'ok' } : { kind: 'damaged', problem: first.slice(0, 300) };
  } catch (cause) {
    const problem = (cause instanceof Error ? cause.message : String(cause)).slice(0, 300);
    const code = (cause as { code?: unknown }).code;
    return { kind: typeof code === 'string' && damageCodes.test(code) ? 'damaged' : 'unchecked', problem };
  } finally {
    db?.close();
  }
}

/** Checks the database file; when damaged, moves it aside and restores the newest good backup. Null when it was fine (or absent). */
export function recoverDamagedDatabase(
  paths: StorePaths,
  options: { clock: Clock; log: Log; lockWaitMs?: number },
): Result<DatabaseRestore | null, RecoveryError> {
  if (!existsSync(paths.database)) return ok(null);
  const checked = quickCheck(paths.database, options.lockWaitMs);
  if (checked.kind === 'ok') return ok(null);
  if (checked.kind === 'unchecked')
    return err({ kind: 'recovery-failed', reason: `the database could not be checked: ${checked.problem}` });
  const { log } = options;
  const at = new Date(options.clock.now()).toISOString();
  log.error({ problem: checked.problem }, 'store: the database is damaged; restoring the newest good backup');
  try {
    const damagedDir = paths.damaged;
    mkdirSync(damagedDir, { recursive: true, mode: 0o700 });
    for (const old of readdirSync(damagedDir)) rmSync(join(damagedDir, old), { force: true });
    const movedTo = join(damagedDir, `kiosk-${at.replace(/[-:.]/g, '')}.sqlite`);
    for (const suffix of sidecars)
      if (existsSync(paths.database + suffix)) renameSync(paths.database + suffix, movedTo + suffix);

    const backups = existsSync(paths.backups)
      ? readdirSync(paths.backups)
          .filter((name) => backupName.test(name))
          .sort()
          .reverse()
      : [];
    for (const name of backups) {
      const candidate = join(paths.backups, name);
      const good = quickCheck(candidate, options.lockWaitMs);
      if (good.kind !== 'ok') {
        log.error({ backup: name, problem: good.problem }, 'store: backup damaged too; trying an older one');
        continue;
      }
      copyFileSync(candidate, paths.database);
      chmodSync(paths.database, 0o600);
      log.error({ backup: name }, 'store: restored from backup; what was saved after it and not yet sent is lost');
      return ok({ at, problem: checked.problem, backup: name, movedTo });
    }
    log.error({}, 'store: no good backup; starting with an empty store');
    return ok({ at, problem: checked.problem, backup: null, movedTo });
  } catch (cause) {
    return err({ kind: 'recovery-failed', reason: cause instanceof Error ? cause.message : String(cause) });
  }
}

const restoredKey = 'store.restored';

/** Remembers the restore in the restored store (for staff health) and audits it. */
export function noteRestore(db: Db, restore: DatabaseRestore, audit: (details: Record<string, string>) => void): void {
  setSetting(db, restoredKey, JSON.stringify({ at: restore.at, backup: restore.backup }));
  audit({ backup: restore.backup ?? 'none', movedTo: basename(restore.movedTo) });
}

/** When the database was last restored from a backup, if ever. */
export function lastRestoreAt(db: Db): string | null {
  const stored = getSetting(db, restoredKey);
  if (stored === undefined) return null;
  try {
    const at = (JSON.parse(stored) as { at?: unknown }).at;
    return typeof at === 'string' ? at : null;
  } catch {
    return null;
  }
}
