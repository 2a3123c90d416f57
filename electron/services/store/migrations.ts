/**
 * Forward-only schema migrations, versioned by SQLite's `user_version`. Each migration runs in its
 * own transaction together with the version bump, so a power cut leaves the database at one whole
 * version. A database written by newer code is refused, never "repaired": its data stays untouched.
 *
 * Personal data (card fields, answers, document images, signatures, receipt payloads, free-text
 * comments) lives only in `*_enc` BLOB columns written by field-cipher.ts. Plain columns hold
 * non-personal facts needed for sending, statistics and staff views.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { err, ok, type Result } from '../../../foundation/result';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export type MigrationError =
  | { kind: 'newer-than-code'; found: number; known: number }
  | { kind: 'migration-failed'; version: number; name: string; reason: string };

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'applications, outbox, settings, audit log',
    sql: `
      CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        local_number TEXT NOT NULL UNIQUE,
        terminal_id TEXT NOT NULL,
        service_code TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- delivery state on this terminal; the platform's view is case_status
        state TEXT NOT NULL CHECK (state IN ('queued', 'submitted', 'failed')),
        case_number TEXT,
        case_status TEXT,
        helper_staff_id TEXT,
        on_behalf TEXT,
        consent_version TEXT NOT NULL,
        consent_at TEXT NOT NULL,
        signature_sha256 TEXT NOT NULL,
        -- {applicant, representative?, helperName?} as encrypted JSON
        parties_enc BLOB,
        final_error TEXT,
        acknowledged_at TEXT,
        personal_purged_at TEXT
      ) STRICT;
      CREATE INDEX applications_by_state ON applications (state);

      CREATE TABLE application_answers (
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        value_enc BLOB NOT NULL,
        PRIMARY KEY (application_id, question_id)
      ) STRICT;

      CREATE TABLE attachments (
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        -- SHA-256 of the plaintext: the platform's content address
        sha256 TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('document', 'signature')),
        label TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        content_enc BLOB,
        PRIMARY KEY (application_id, sha256)
      ) STRICT;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('attachment', 'application', 'rating')),
        application_id TEXT NOT NULL,
        -- attachment sha256 or rating id; '' for the application itself
        ref TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (kind, application_id, ref)
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

      CREATE TABLE local_number_sequences (
        terminal_code TEXT NOT NULL,
        day TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (terminal_code, day)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'receipts, ratings, case history, catalogue cache',
    sql: `
      CREATE TABLE receipts (
        application_id TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
        -- holds the masked applicant: encrypted like everything about a person
        payload_enc BLOB,
        verification_code TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        printed_at TEXT,
        reprint_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        reasons TEXT NOT NULL,
        comment_enc BLOB,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE case_history (
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (application_id, at, status)
      ) STRICT;

      ALTER TABLE applications ADD COLUMN status_checked_at TEXT;

      CREATE TABLE catalogue_cache (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        etag TEXT NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'receipt first copy handed to the printer',
    sql: `
      -- Written BEFORE the first copy is sent, so a restart never prints a second "first copy";
      -- the outcome stays NULL when the kiosk stopped before the printer answered.
      ALTER TABLE receipts ADD COLUMN first_copy_at TEXT;
      ALTER TABLE receipts ADD COLUMN first_copy_outcome TEXT;
      UPDATE receipts SET first_copy_at = printed_at, first_copy_outcome = 'printed' WHERE printed_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'signature by a mark, witnessed by staff',
    // 不会写字: the staff id (never personal data) of whoever confirmed the resident's mark; NULL for a written name.
    sql: `ALTER TABLE applications ADD COLUMN mark_witness_staff_id TEXT;`,
  },
  {
    version: 5,
    name: 'remote assistance by a hall officer',
    // 远程帮办: the call and the officer (ids, never personal data) whose proposed answer the resident accepted.
    sql: `
      ALTER TABLE applications ADD COLUMN remote_call_id TEXT;
      ALTER TABLE applications ADD COLUMN remote_officer_id TEXT;
    `,
  },
  {
    version: 6,
    name: 'signature by a spoken confirmation (audio keypad mode)',
    // A resident who cannot see confirmed with the keypad's enter key instead of signing: when they did,
    // and the staff id (never personal data) of a member of staff who witnessed it, if one did.
    sql: `
      ALTER TABLE applications ADD COLUMN spoken_confirmed_at TEXT;
      ALTER TABLE applications ADD COLUMN spoken_witness_staff_id TEXT;
    `,
  },
];

export const latestVersion = (list: readonly Migration[] = migrations): number => list.at(-1)?.version ?? 0;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Where a database stands relative to the code: decided before anything is written. */
export function checkVersion(
  db: BetterSqlite3.Database,
  list: readonly Migration[] = migrations,
): Result<{ current: number; pending: Migration[] }, MigrationError> {
  const current = schemaVersion(db);
  const known = latestVersion(list);
  if (current > known) return err({ kind: 'newer-than-code', found: current, known });
  return ok({ current, pending: list.filter((m) => m.version > current) });
}

/** Applies every pending migration, each in its own transaction with its version bump. */
export function migrate(
  db: BetterSqlite3.Database,
  list: readonly Migration[] = migrations,
): Result<{ from: number; to: number }, MigrationError> {
  const checked = checkVersion(db, list);
  if (!checked.ok) return checked;
  const from = checked.value.current;
  for (const migration of checked.value.pending) {
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        // user_version cannot be bound as a parameter; the value is an integer from our own list.
        db.pragma(`user_version = ${Math.trunc(migration.version)}`);
      })();
    } catch (cause) {
      return err({
        kind: 'migration-failed',
        version: migration.version,
        name: migration.name,
        reason: cause instanceof Error ? cause.message : String(cause),
      });
    }
  }
  return ok({ from, to: schemaVersion(db) });
}
