/**
 * The reference platform's own SQLite database: terminals and their keys, one-time enrolment
 * codes, attachments, applications with their status history, ratings. WAL with synchronous=FULL,
 * so a 201 is only sent for what is on disk. better-sqlite3 is synchronous: a check-then-insert
 * inside one transaction cannot interleave with another request, which is what makes
 * idempotent submission hold under concurrent duplicates.
 */
import { createHash, randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { WireCaseStatus } from '../contract/api-schemas';

const migrations: readonly string[] = [
  `CREATE TABLE terminals (
     terminal_id TEXT PRIMARY KEY,
     public_key TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     enrolled_at TEXT NOT NULL,
     last_seen_at TEXT,
     last_heartbeat TEXT
   );
   CREATE TABLE enrolment_codes (
     code_hash TEXT PRIMARY KEY,
     terminal_id TEXT,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT,
     used_by TEXT
   );
   CREATE TABLE attachments (
     application_id TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     terminal_id TEXT NOT NULL,
     mime TEXT NOT NULL,
     size INTEGER NOT NULL,
     bytes BLOB NOT NULL,
     received_at TEXT NOT NULL,
     PRIMARY KEY (application_id, sha256)
   );
   CREATE TABLE applications (
     application_id TEXT PRIMARY KEY,
     terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id),
     case_number TEXT NOT NULL UNIQUE,
     local_number TEXT NOT NULL,
     service_code TEXT NOT NULL,
     status TEXT NOT NULL,
     body TEXT NOT NULL,
     body_hash TEXT NOT NULL,
     masked_name TEXT NOT NULL,
     masked_id_number TEXT NOT NULL,
     received_at TEXT NOT NULL
   );
   CREATE INDEX applications_local_number ON applications(local_number);
   CREATE TABLE status_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     application_id TEXT NOT NULL REFERENCES applications(application_id),
     status TEXT NOT NULL,
     at TEXT NOT NULL,
     note TEXT
   );
   CREATE TABLE case_counters (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
   CREATE TABLE ratings (
     application_id TEXT PRIMARY KEY REFERENCES applications(application_id),
     terminal_id TEXT NOT NULL,
     level INTEGER NOT NULL,
     reasons TEXT NOT NULL,
     comment TEXT,
     at TEXT NOT NULL
   );`,
];

export interface TerminalRow {
  readonly terminal_id: string;
  readonly public_key: string;
  readonly fingerprint: string;
  readonly enrolled_at: string;
  readonly last_seen_at: string | null;
  readonly last_heartbeat: string | null;
}

export interface ApplicationRow {
  readonly application_id: string;
  readonly terminal_id: string;
  readonly case_number: string;
  readonly local_number: string;
  readonly service_code: string;
  readonly status: WireCaseStatus;
  readonly body: string;
  readonly body_hash: string;
  readonly masked_name: string;
  readonly masked_id_number: string;
  readonly received_at: string;
}

export interface StatusEventRow {
  readonly status: WireCaseStatus;
  readonly at: string;
  readonly note: string | null;
}

export interface AttachmentMeta {
  readonly sha256: string;
  readonly terminal_id: string;
  readonly mime: string;
  readonly size: number;
}

export function openPlatformDb(dataDir: string): BetterSqlite3.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'platform.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

// ---------------------------------------------------------------- enrolment codes

/** Crockford-style alphabet: no I, L, O, U, so a code read aloud or typed is hard to get wrong. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function normalizeEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** Codes are kept only as hashes: a copied database does not hand out enrolments. */
function codeHash(code: string): string {
  return createHash('sha256')
    .update(`enrol|${normalizeEnrolmentCode(code)}`)
    .digest('hex');
}

export type EnrolmentRefusal = 'unknown-code' | 'used-code' | 'expired-code' | 'wrong-terminal';

export class PlatformStore {
  constructor(readonly db: BetterSqlite3.Database) {}

  addEnrolmentCode(code: string, now: Date, ttlMs: number, terminalId: string | null): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO enrolment_codes (code_hash, terminal_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(codeHash(code), terminalId, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
  }

  /** Uses the code and records the terminal's key in one transaction: a code enrols exactly one terminal. */
  enrol(code: string, terminalId: string, publicKey: string, fingerprint: string, now: Date): EnrolmentRefusal | null {
    return this.db.transaction((): EnrolmentRefusal | null => {
      const row = this.db
        .prepare('SELECT terminal_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?')
        .get(codeHash(code)) as { terminal_id: string | null; expires_at: string; used_at: string | null } | undefined;
      if (row === undefined) return 'unknown-code';
      if (row.used_at !== null) return 'used-code';
      if (Date.parse(row.expires_at) < now.getTime()) return 'expired-code';
      if (row.terminal_id !== null && row.terminal_id !== terminalId) return 'wrong-terminal';
      const at = now.toISOString();
      this.db
        .prepare('UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_hash = ?')
        .run(at, terminalId, codeHash(code));
      // A re-installed terminal enrols again with a new code and a new key; the old key stops working.
      this.db
        .prepare(
          `INSERT INTO terminals (terminal_id, public_key, fingerprint, enrolled_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(terminal_id) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at`,
        )
        .run(terminalId, publicKey, fingerprint, at);
      return null;
    })();
  }

  terminal(terminalId: string): TerminalRow | undefined {
    return this.db.prepare('SELECT * FROM terminals WHERE terminal_id = ?').get(terminalId) as TerminalRow | undefined;
  }

  touchTerminal(terminalId: string, now: Date, heartbeat?: string): void {
    if (heartbeat === undefined)
      this.db.prepare('UPDATE terminals SET last_seen_at = ? WHERE terminal_id = ?').run(now.toISOString(), terminalId);
    else
      this.db
        .prepare('UPDATE terminals SET last_seen_at = ?, last_heartbeat = ? WHERE terminal_id = ?')
        .run(now.toISOString(), heartbeat, terminalId);
  }

  // ---------------------------------------------------------------- attachments

  attachment(applicationId: string, sha256: string): AttachmentMeta | undefined {
    return this.db
      .prepare('SELECT sha256, terminal_id, mime, size FROM attachments WHERE application_id = ? AND sha256 = ?')
      .get(applicationId, sha256) as AttachmentMeta | undefined;
  }

  attachmentBytes(applicationId: string, sha256: string): { mime: string; bytes: Buffer } | undefined {
    return this.db
      .prepare('SELECT mime, bytes FROM attachments WHERE application_id = ? AND sha256 = ?')
      .get(applicationId, sha256) as { mime: string; bytes: Buffer } | undefined;
  }

  /** False when the content was already stored (a retried upload). */
  putAttachment(
    applicationId: string,
    sha256: string,
    terminalId: string,
    mime: string,
    bytes: Buffer,
    now: Date,
  ): boolean {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO attachments (application_id, sha256, terminal_id, mime, size, bytes, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(applicationId, sha256, terminalId, mime, bytes.length, bytes, now.toISOString());
    return result.changes === 1;
  }

  // ---------------------------------------------------------------- applications

  application(applicationId: string): ApplicationRow | undefined {
    return this.db.prepare('SELECT * FROM applications WHERE application_id = ?').get(applicationId) as
      ApplicationRow | undefined;
  }

  applicationByNumber(number: string): ApplicationRow | undefined {
    return this.db
      .prepare('SELECT * FROM applications WHERE case_number = ? OR local_number = ? ORDER BY received_at LIMIT 1')
      .get(number, number) as ApplicationRow | undefined;
  }

  history(applicationId: string): StatusEventRow[] {
    return this.db
      .prepare('SELECT status, at, note FROM status_events WHERE application_id = ? ORDER BY id')
      .all(applicationId) as StatusEventRow[];
  }

  /**
   * Inserts a new application with the next case number of its day, or returns the existing row
   * for this id. Runs as one synchronous transaction: concurrent duplicates see one winner.
   */
  insertApplication(
    row: Omit<ApplicationRow, 'case_number' | 'status' | 'received_at'>,
    now: Date,
    caseNumberPrefix: string,
  ): { created: boolean; row: ApplicationRow } {
    return this.db.transaction(() => {
      const existing = this.application(row.application_id);
      if (existing !== undefined) return { created: false, row: existing };
      const day = chinaDay(now);
      const next = (
        this.db
          .prepare(
            'INSERT INTO case_counters (day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last',
          )
          .get(day) as { last: number }
      ).last;
      const full: ApplicationRow = {
        ...row,
        case_number: `${caseNumberPrefix}${day}${String(next).padStart(5, '0')}`,
        status: 'submitted',
        received_at: now.toISOString(),
      };
      this.db
        .prepare(
          `INSERT INTO applications (application_id, terminal_id, case_number, local_number, service_code, status, body, body_hash, masked_name, masked_id_number, received_at)
           VALUES (@application_id, @terminal_id, @case_number, @local_number, @service_code, @status, @body, @body_hash, @masked_name, @masked_id_number, @received_at)`,
        )
        .run(full);
      this.db
        .prepare('INSERT INTO status_events (application_id, status, at) VALUES (?, ?, ?)')
        .run(row.application_id, 'submitted', full.received_at);
      return { created: true, row: full };
    })();
  }

  setStatus(applicationId: string, status: WireCaseStatus, note: string | null, now: Date): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE applications SET status = ? WHERE application_id = ?').run(status, applicationId);
      this.db
        .prepare('INSERT INTO status_events (application_id, status, at, note) VALUES (?, ?, ?, ?)')
        .run(applicationId, status, now.toISOString(), note);
    })();
  }

  /** True for a first rating; a retried or changed rating replaces the earlier one. */
  putRating(
    applicationId: string,
    terminalId: string,
    level: number,
    reasons: readonly string[],
    comment: string | null,
    now: Date,
  ): boolean {
    return this.db.transaction(() => {
      const existed =
        this.db.prepare('SELECT 1 FROM ratings WHERE application_id = ?').get(applicationId) !== undefined;
      this.db
        .prepare(
          `INSERT INTO ratings (application_id, terminal_id, level, reasons, comment, at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(application_id) DO UPDATE SET level = excluded.level, reasons = excluded.reasons, comment = excluded.comment, at = excluded.at`,
        )
        .run(applicationId, terminalId, level, JSON.stringify(reasons), comment, now.toISOString());
      return !existed;
    })();
  }

  rating(applicationId: string): { level: number; reasons: string[]; comment: string | null } | undefined {
    const row = this.db
      .prepare('SELECT level, reasons, comment FROM ratings WHERE application_id = ?')
      .get(applicationId) as { level: number; reasons: string; comment: string | null } | undefined;
    return row === undefined
      ? undefined
      : { level: row.level, reasons: JSON.parse(row.reasons) as string[], comment: row.comment };
  }
}

/** Case numbers count per calendar day in China Standard Time (UTC+8, no daylight saving). */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}
