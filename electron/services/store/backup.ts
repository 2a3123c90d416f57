/**
 * Consistent online backups with VACUUM INTO (safe while the kiosk writes), rotated to keep the
 * newest N. Encrypted fields stay encrypted in the copy; the data key is NOT copied, so a backup is
 * useless without the terminal's key — keep the two apart.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../foundation/result';
import type { Log } from '../../../foundation/log';
import type { Clock, Timers } from '../../../foundation/clock';
import type { Db } from './database';

export interface BackupOptions {
  readonly keep?: number;
  readonly clock: Clock;
}

export type BackupError = { kind: 'backup-failed'; reason: string };

export const backupName = /^kiosk-\d{8}T\d{6}\d{3}Z\.sqlite$/;

export function backup(
  db: Db,
  dir: string,
  options: BackupOptions,
): Result<{ path: string; removed: string[] }, BackupError> {
  const keep = Math.max(1, options.keep ?? 7);
  // Sortable by name: the newest backup sorts last.
  const stamp = new Date(options.clock.now()).toISOString().replace(/[-:.]/g, '');
  const path = join(dir, `kiosk-${stamp}.sqlite`);
  const failed = (cause: unknown) =>
    err({ kind: 'backup-failed' as const, reason: cause instanceof Error ? cause.message : String(cause) });
  // VACUUM INTO refuses a file that exists (the same stamp twice: the clock set back); that file is an
  // earlier good backup and must stay.
  const existedBefore = existsSync(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    db.prepare('VACUUM INTO ?').run(path);
  } catch (cause) {
    // A copy cut short (the disk filled) is no backup, and it holds space the live database needs.
    if (!existedBefore) rmSync(path, { force: true });
    return failed(cause);
  }
  try {
    chmodSync(path, 0o600);
    const all = readdirSync(dir)
      .filter((name) => backupName.test(name))
      .sort();
    const removed = all.slice(0, Math.max(0, all.length - keep)).map((name) => join(dir, name));
    for (const old of removed) rmSync(old, { force: true });
    return ok({ path, removed });
  } catch (cause) {
    // The copy is whole: a failed rotation leaves it (and the older ones) in place.
    return failed(cause);
  }
}

/**
 * Backs up once a day (the first an hour after start, so a kiosk restarted in a loop does not
 * fill the disk with copies), keeping a week of them. A failed backup is logged, never fatal.
 */
export function scheduleBackups(
  db: Db,
  dir: string,
  options: BackupOptions & {
    timers: Timers;
    log: Log;
    firstAfterMs?: number;
    everyMs?: number;
    /** False while the disk is short (store/storage-guard.ts): the daily copy waits rather than take the space. */
    spaceToSpare?: () => boolean;
  },
): { replaceAll(): void; stop(): void } {
  let handle: unknown;
  let stopped = false;
  const run = () => {
    if (stopped || !db.open) return;
    if (options.spaceToSpare?.() === false) {
      options.log.warn({}, 'backup skipped: too little disk space');
    } else {
      const result = backup(db, dir, options);
      if (result.ok) options.log.info({ removed: result.value.removed.length }, 'backup written');
      else options.log.error({ reason: result.error.reason }, 'backup failed');
    }
    handle = options.timers.setTimeout(run, options.everyMs ?? 24 * 60 * 60_000);
  };
  handle = options.timers.setTimeout(run, options.firstAfterMs ?? 60 * 60_000);
  return {
    /**
     * Personal data was just purged: the older backups still hold it, so one fresh backup replaces
     * them all. Should the fresh one fail, the older ones go anyway — a backup must never bring
     * purged data back; the live database still holds everything unsent.
     */
    replaceAll() {
      if (stopped || !db.open) return;
      const result = backup(db, dir, { ...options, keep: 1 });
      if (result.ok) {
        options.log.info({ removed: result.value.removed.length }, 'backups replaced after a purge');
        return;
      }
      options.log.error({ reason: result.error.reason }, 'backup after a purge failed: older backups deleted anyway');
      try {
        for (const name of readdirSync(dir).filter((n) => backupName.test(n))) rmSync(join(dir, name), { force: true });
      } catch {
        // No backup folder: nothing to delete.
      }
    },
    stop() {
      stopped = true;
      options.timers.clearTimeout(handle);
    },
  };
}
