/**
 * Opens the kiosk's SQLite database with the settings that make "saved" mean saved: WAL with
 * synchronous=FULL (a commit survives power loss once it returns), foreign keys enforced, and a busy
 * timeout so the CLI can read while the kiosk writes. Migrations run on open; read-only opens never
 * migrate and refuse a schema they do not match.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import {
  checkVersion,
  latestVersion,
  migrate,
  migrations as allMigrations,
  type Migration,
  type MigrationError,
} from './migrations';

export type Db = BetterSqlite3.Database;

export type StoreOpenError =
  | MigrationError
  | { kind: 'open-failed'; path: string; reason: string }
  /** Read-only opens cannot migrate: the kiosk itself must upgrade the database first. */
  | { kind: 'older-than-code'; found: number; known: number };

export interface OpenOptions {
  readonly readonly?: boolean;
  readonly log?: Log;
  readonly busyTimeoutMs?: number;
  /** Tests open with a prefix of the list to build old databases. */
  readonly migrations?: readonly Migration[];
}

export const databaseFileName = 'kiosk.sqlite';
/** The Electron shell keeps the data key here, wrapped by the OS keyring (electron/shell/safe-storage-key-provider.ts). */
export const wrappedDataKeyFileName = 'data-key.safe-storage';

export interface StorePaths {
  readonly dataDir: string;
  readonly database: string;
  /** The data key in an owner-only file (browser host, CLI). */
  readonly keyFile: string;
  /** The data key as a systemd credential (browser host where systemd-creds is usable: host-key-provider.ts). */
  readonly credentialKeyFile: string;
  /** The data key wrapped by safeStorage (Electron shell). */
  readonly wrappedKeyFile: string;
  readonly backups: string;
  /** The damaged database set aside at a restore (database-recovery.ts); deleted after failedRetentionDays. */
  readonly damaged: string;
}

export function storePaths(dataDir: string): StorePaths {
  return {
    dataDir,
    database: join(dataDir, databaseFileName),
    keyFile: join(dataDir, 'data.key'),
    credentialKeyFile: join(dataDir, 'data.key.cred'),
    wrappedKeyFile: join(dataDir, wrappedDataKeyFileName),
    backups: join(dataDir, 'backups'),
    damaged: join(dataDir, 'damaged'),
  };
}

export function describeOpenError(error: StoreOpenError): string {
  switch (error.kind) {
    case 'newer-than-code':
      return `database schema version ${error.found} is newer than this software knows (${error.known}); install the newer software — the data was left untouched`;
    case 'older-than-code':
      return `database schema version ${error.found} is older than this software (${error.known}); start the kiosk once to upgrade it`;
    case 'migration-failed':
      return `migration ${error.version} (${error.name}) failed: ${error.reason}; the database stays at the previous version`;
    case 'open-failed':
      return `cannot open ${error.path}: ${error.reason}`;
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Result<Db, StoreOpenError> {
  const list = options.migrations ?? allMigrations;
  const readonly = options.readonly ?? false;
  let db: Db;
  try {
    if (!readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (cause) {
    return err({ kind: 'open-failed', path, reason: cause instanceof Error ? cause.message : String(cause) });
  }
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma('foreign_keys = ON');
    // Deleted (purged) content is overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    // A page cache of 4 MB, not better-sqlite3's 16 MB: the kiosk's working set (the queue, today's
    // applications) is small, the photos are read once to send, and the cache fills to its size and
    // stays there over weeks, memory a small terminal wants for other things (docs/soak.md).
    db.pragma('cache_size = -4000');
    if (!readonly) {
      // SQLite gives the -wal and -shm files the main file's permissions.
      if (path !== ':memory:') chmodSync(path, 0o600);
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = FULL');
  } catch (cause) {
    db.close();
    return err({ kind: 'open-failed', path, reason: cause instanceof Error ? cause.message : String(cause) });
  }

  if (readonly) {
    const checked = checkVersion(db, list);
    if (!checked.ok) {
      db.close();
      return checked;
    }
    if (checked.value.pending.length > 0) {
      db.close();
      return err({ kind: 'older-than-code', found: checked.value.current, known: latestVersion(list) });
    }
    return ok(db);
  }

  const migrated = migrate(db, list);
  if (!migrated.ok) {
    db.close();
    options.log?.error({ error: migrated.error }, 'store: database not opened');
    return migrated;
  }
  if (migrated.value.from !== migrated.value.to) {
    options.log?.info({ from: migrated.value.from, to: migrated.value.to }, 'store: schema migrated');
  }
  return ok(db);
}
