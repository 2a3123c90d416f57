/**
 * The reference platform's own SQLite database: terminals and their keys (current and retired),
 * one-time enrolment codes, attachments, applications with their status history, ratings, the
 * audit log of who saw or changed what, and the heads of the terminals' audit chains. Personal data
 * (submission bodies, documents, notes, comments) is stored only through the field cipher. WAL with synchronous=FULL,
 * so a 201 is only sent for what is on disk. better-sqlite3 is synchronous: a check-then-insert
 * inside one transaction cannot interleave with another request, which is what makes
 * idempotent submission hold under concurrent duplicates.
 */
import { createHash, randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { createFileKeyProvider, describeKeyFileError } from '../../foundation/key-provider';
import { err, ok, type Result } from '../../foundation/result';
import type { WireCaseStatus } from '../contract/api-schemas';

/** Version 1, as first shipped (personal data in clear; version 2 moves it into encrypted columns). */
const migrationOne = `CREATE TABLE terminals (
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
   );`;

/** Later migrations run code: they move personal data into encrypted columns. */
type Migration = string | ((db: BetterSqlite3.Database, cipher: FieldCipher | null) => void);

/** Exported for the upgrade test. */
export const platformMigrations: readonly Migration[] = [
  migrationOne,
  (db, cipher) => {
    db.exec(`
      ALTER TABLE enrolment_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'enrol';
      ALTER TABLE enrolment_codes ADD COLUMN issued_by TEXT;
      CREATE TABLE terminal_keys (
        terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id),
        public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        enrolled_at TEXT NOT NULL,
        retired_at TEXT,
        PRIMARY KEY (terminal_id, fingerprint)
      );
      INSERT INTO terminal_keys (terminal_id, public_key, fingerprint, enrolled_at)
        SELECT terminal_id, public_key, fingerprint, enrolled_at FROM terminals;
      CREATE TABLE terminal_audit_heads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id),
        sequence INTEGER NOT NULL,
        hash TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX terminal_audit_heads_terminal ON terminal_audit_heads(terminal_id, id);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        case_number TEXT,
        terminal_id TEXT,
        detail TEXT
      );
      CREATE INDEX audit_log_case ON audit_log(case_number);
      ALTER TABLE applications ADD COLUMN body_enc BLOB;
      ALTER TABLE applications ADD COLUMN personal_purged_at TEXT;
      ALTER TABLE attachments ADD COLUMN bytes_enc BLOB;
      ALTER TABLE status_events ADD COLUMN note_enc BLOB;
      ALTER TABLE ratings ADD COLUMN comment_enc BLOB;`);
    const rows = (table: string, columns: string) =>
      db.prepare(`SELECT rowid AS rid, ${columns} FROM ${table}`).all() as Array<Record<string, unknown>>;
    const pending = [
      ...rows('applications', 'application_id, body'),
      ...rows('attachments', 'application_id, sha256, bytes'),
      ...rows('status_events', 'application_id, note').filter((r) => r['note'] !== null),
      ...rows('ratings', 'application_id, comment').filter((r) => r['comment'] !== null),
    ];
    if (pending.length > 0 && cipher === null)
      throw new Error('this platform database holds data from an older version: start the platform once to upgrade it');
    if (cipher !== null) {
      const fields = new PlatformFields(cipher);
      for (const r of rows('applications', 'application_id, body'))
        db.prepare('UPDATE applications SET body_enc = ? WHERE rowid = ?').run(
          fields.body(String(r['application_id']), String(r['body'])),
          r['rid'],
        );
      for (const r of rows('attachments', 'application_id, sha256, bytes'))
        db.prepare('UPDATE attachments SET bytes_enc = ? WHERE rowid = ?').run(
          fields.attachment(String(r['application_id']), String(r['sha256']), r['bytes'] as Buffer),
          r['rid'],
        );
      for (const r of rows('status_events', 'application_id, note'))
        if (r['note'] !== null)
          db.prepare('UPDATE status_events SET note_enc = ? WHERE rowid = ?').run(
            fields.note(String(r['application_id']), r['note'] as string),
            r['rid'],
          );
      for (const r of rows('ratings', 'application_id, comment'))
        if (r['comment'] !== null)
          db.prepare('UPDATE ratings SET comment_enc = ? WHERE rowid = ?').run(
            fields.comment(String(r['application_id']), r['comment'] as string),
            r['rid'],
          );
    }
    // Dropping the clear columns rewrites the tables; secure_delete zeroes the freed pages.
    db.exec(`
      ALTER TABLE applications DROP COLUMN body;
      ALTER TABLE attachments DROP COLUMN bytes;
      ALTER TABLE status_events DROP COLUMN note;
      ALTER TABLE ratings DROP COLUMN comment;`);
  },
  // Diagnostic bundles a terminal uploads on a fleet command; the last few per terminal.
  `CREATE TABLE terminal_diagnostics (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id),
     sha256 TEXT NOT NULL,
     size INTEGER NOT NULL,
     bundle_enc BLOB NOT NULL,
     received_at TEXT NOT NULL
   );
   CREATE INDEX terminal_diagnostics_terminal ON terminal_diagnostics(terminal_id, id);`,
  // Documents issued at terminals (查询打印): what the public verification may show, no more. The PDF is not kept.
  `CREATE TABLE issued_documents (
     document_number TEXT PRIMARY KEY,
     verification_code TEXT NOT NULL,
     document_type TEXT NOT NULL,
     title TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     masked_name TEXT NOT NULL,
     issued_on TEXT NOT NULL,
     signature TEXT NOT NULL,
     terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id),
     issued_at TEXT NOT NULL
   );`,
];

/** Diagnostic bundles kept per terminal (older ones are deleted as new ones arrive). */
export const diagnosticsKeptPerTerminal = 5;

/** A stored diagnostics bundle as listed (the bundle itself stays sealed). */
export interface DiagnosticsEntry {
  readonly sha256: string;
  readonly size: number;
  readonly receivedAt: string;
}

export interface IssuedDocumentRow {
  readonly document_number: string;
  readonly verification_code: string;
  readonly document_type: string;
  readonly title: string;
  readonly sha256: string;
  readonly masked_name: string;
  /** YYYY-MM-DD, China time. */
  readonly issued_on: string;
  /** Ed25519 by the platform's document key over documentRecordText(), base64url. */
  readonly signature: string;
  readonly terminal_id: string;
  readonly issued_at: string;
}

export interface TerminalRow {
  readonly terminal_id: string;
  readonly public_key: string;
  readonly fingerprint: string;
  readonly enrolled_at: string;
  readonly last_seen_at: string | null;
  readonly last_heartbeat: string | null;
}

export interface TerminalKeyRow {
  readonly public_key: string;
  readonly fingerprint: string;
  readonly enrolled_at: string;
  readonly retired_at: string | null;
}

export interface ApplicationRow {
  readonly application_id: string;
  readonly terminal_id: string;
  readonly case_number: string;
  readonly local_number: string;
  readonly service_code: string;
  readonly status: WireCaseStatus;
  readonly body_hash: string;
  readonly masked_name: string;
  readonly masked_id_number: string;
  readonly received_at: string;
  readonly personal_purged_at: string | null;
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

/** One line of the platform's audit log: who did or saw what, about which case or terminal, when. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly caseNumber?: string | null;
  readonly terminalId?: string | null;
  /** Ids and outcomes only; never names, ID numbers or answers. */
  readonly detail?: string | null;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly case_number: string | null;
  readonly terminal_id: string | null;
  readonly detail: string | null;
}

/** What the platform keeps of a resident's data, and for how long after which event. */
export interface RetentionPolicy {
  /** `received`: counted from arrival (the embedded platform, like the kiosk); `closed`: from completion or rejection. */
  readonly after: 'received' | 'closed';
  readonly graceMs: number;
}

/**
 * The platform's own data key, an owner-only file beside its database: for a platform run on its
 * own (the embedded one uses the kiosk's key, and a province would put this key in its own vault).
 */
export function platformKeyFileCipher(dataDir: string): Result<FieldCipher, string> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const provider = createFileKeyProvider(join(dataDir, 'platform-data.key'));
  if (!provider.ok) return err(describeKeyFileError(provider.error));
  const cipher = createFieldCipher(provider.value);
  return cipher.ok ? ok(cipher.value) : err(cipher.error.reason);
}

export function openPlatformDb(dataDir: string, cipher: FieldCipher | null): BetterSqlite3.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'platform.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  try {
    for (let v = version; v < platformMigrations.length; v++) {
      const migration = platformMigrations[v];
      db.transaction(() => {
        if (typeof migration === 'string') db.exec(migration);
        else migration?.(db, cipher);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The encrypted columns and their associated data: table, column and row are bound into every
 * value, so a ciphertext moved to another case (or copied from the kiosk's own store) fails.
 */
class PlatformFields {
  /** Null for the command line's account, terminal and audit commands, which touch no personal data. */
  constructor(private readonly cipher: FieldCipher | null) {}
  private seal(column: string, rowId: string, plain: Buffer): Buffer {
    if (this.cipher === null) throw new PlatformDataError(column, 'no data key');
    return this.cipher.encrypt(plain, { table: 'platform', column, rowId });
  }
  private open(column: string, rowId: string, blob: Buffer): Buffer {
    if (this.cipher === null) throw new PlatformDataError(column, 'no data key');
    const plain = this.cipher.decrypt(blob, { table: 'platform', column, rowId });
    if (!plain.ok) throw new PlatformDataError(column, plain.error.kind);
    return plain.value;
  }
  body = (applicationId: string, json: string) => this.seal('applications.body', applicationId, Buffer.from(json));
  openBody = (applicationId: string, blob: Buffer) => this.open('applications.body', applicationId, blob).toString();
  attachment = (applicationId: string, sha256: string, bytes: Buffer) =>
    this.seal('attachments.bytes', `${applicationId}/${sha256}`, bytes);
  openAttachment = (applicationId: string, sha256: string, blob: Buffer) =>
    this.open('attachments.bytes', `${applicationId}/${sha256}`, blob);
  note = (applicationId: string, note: string) => this.seal('status_events.note', applicationId, Buffer.from(note));
  openNote = (applicationId: string, blob: Buffer) => this.open('status_events.note', applicationId, blob).toString();
  comment = (applicationId: string, comment: string) =>
    this.seal('ratings.comment', applicationId, Buffer.from(comment));
  openComment = (applicationId: string, blob: Buffer) => this.open('ratings.comment', applicationId, blob).toString();
  // Bundles hold no personal data by construction; sealed anyway, like everything a terminal sends.
  diagnostics = (terminalId: string, sha256: string, bytes: Buffer) =>
    this.seal('terminal_diagnostics.bundle', `${terminalId}/${sha256}`, bytes);
  openDiagnostics = (terminalId: string, sha256: string, blob: Buffer) =>
    this.open('terminal_diagnostics.bundle', `${terminalId}/${sha256}`, blob);
}

/** A stored value that does not decrypt: the database was restored under another key, or altered. */
export class PlatformDataError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`platform data in ${column} cannot be decrypted (${reason})`);
    this.name = 'PlatformDataError';
  }
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

/** `enrol`: a terminal not yet enrolled (or the same key again); `rekey`: an admin allowed a new key. */
export type EnrolmentCodePurpose = 'enrol' | 'rekey';

export type EnrolmentRefusal = 'unknown-code' | 'used-code' | 'expired-code' | 'wrong-terminal' | 'already-enrolled';

export type EnrolmentOutcome =
  | { readonly kind: 'enrolled' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'rekeyed'; readonly previousFingerprint: string };

export class PlatformStore {
  private readonly fields: PlatformFields;

  constructor(
    readonly db: BetterSqlite3.Database,
    cipher: FieldCipher | null,
  ) {
    this.fields = new PlatformFields(cipher);
  }

  addEnrolmentCode(
    code: string,
    now: Date,
    ttlMs: number,
    terminalId: string,
    purpose: EnrolmentCodePurpose,
    issuedBy: string,
  ): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO enrolment_codes (code_hash, terminal_id, created_at, expires_at, purpose, issued_by)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        codeHash(code),
        terminalId,
        now.toISOString(),
        new Date(now.getTime() + ttlMs).toISOString(),
        purpose,
        issuedBy,
      );
  }

  /**
   * Uses the code and records the terminal's key in one transaction: a code enrols exactly one
   * terminal, and only the one it names. A terminal already enrolled with another key keeps it
   * unless the code is an admin's re-key; the old key stays on record for the receipts it signed.
   */
  enrol(
    code: string,
    terminalId: string,
    publicKey: string,
    fingerprint: string,
    now: Date,
  ): { ok: true; outcome: EnrolmentOutcome; issuedBy: string | null } | { ok: false; refusal: EnrolmentRefusal } {
    type Answer = ReturnType<PlatformStore['enrol']>;
    return this.db.transaction((): Answer => {
      const row = this.db
        .prepare('SELECT terminal_id, expires_at, used_at, purpose, issued_by FROM enrolment_codes WHERE code_hash = ?')
        .get(codeHash(code)) as
        | {
            terminal_id: string | null;
            expires_at: string;
            used_at: string | null;
            purpose: EnrolmentCodePurpose;
            issued_by: string | null;
          }
        | undefined;
      if (row === undefined) return { ok: false, refusal: 'unknown-code' };
      if (row.used_at !== null) return { ok: false, refusal: 'used-code' };
      if (Date.parse(row.expires_at) < now.getTime()) return { ok: false, refusal: 'expired-code' };
      // Codes made before binding was required (terminal_id NULL) enrol nobody.
      if (row.terminal_id !== terminalId) return { ok: false, refusal: 'wrong-terminal' };
      const current = this.terminal(terminalId);
      if (current !== undefined && current.fingerprint !== fingerprint && row.purpose !== 'rekey')
        return { ok: false, refusal: 'already-enrolled' };
      const at = now.toISOString();
      this.db
        .prepare('UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_hash = ?')
        .run(at, terminalId, codeHash(code));
      if (current !== undefined && current.fingerprint === fingerprint)
        return { ok: true, outcome: { kind: 'unchanged' }, issuedBy: row.issued_by };
      if (current !== undefined)
        this.db
          .prepare('UPDATE terminal_keys SET retired_at = ? WHERE terminal_id = ? AND retired_at IS NULL')
          .run(at, terminalId);
      this.db
        .prepare(
          `INSERT INTO terminals (terminal_id, public_key, fingerprint, enrolled_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(terminal_id) DO UPDATE SET public_key = excluded.public_key, fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at`,
        )
        .run(terminalId, publicKey, fingerprint, at);
      this.db
        .prepare(
          `INSERT INTO terminal_keys (terminal_id, public_key, fingerprint, enrolled_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(terminal_id, fingerprint) DO UPDATE SET retired_at = NULL, enrolled_at = excluded.enrolled_at`,
        )
        .run(terminalId, publicKey, fingerprint, at);
      return {
        ok: true,
        outcome:
          current === undefined ? { kind: 'enrolled' } : { kind: 'rekeyed', previousFingerprint: current.fingerprint },
        issuedBy: row.issued_by,
      };
    })();
  }

  insertIssuedDocument(row: IssuedDocumentRow): void {
    this.db
      .prepare(
        `INSERT INTO issued_documents (document_number, verification_code, document_type, title, sha256, masked_name, issued_on, signature, terminal_id, issued_at)
         VALUES (@document_number, @verification_code, @document_type, @title, @sha256, @masked_name, @issued_on, @signature, @terminal_id, @issued_at)`,
      )
      .run(row);
  }

  issuedDocument(documentNumber: string): IssuedDocumentRow | undefined {
    return this.db.prepare('SELECT * FROM issued_documents WHERE document_number = ?').get(documentNumber) as
      IssuedDocumentRow | undefined;
  }

  terminal(terminalId: string): TerminalRow | undefined {
    return this.db.prepare('SELECT * FROM terminals WHERE terminal_id = ?').get(terminalId) as TerminalRow | undefined;
  }

  terminals(): TerminalRow[] {
    return this.db.prepare('SELECT * FROM terminals ORDER BY terminal_id').all() as TerminalRow[];
  }

  /** Every key the terminal has had, newest first; retired ones still verify receipts issued before. */
  terminalKeys(terminalId: string): TerminalKeyRow[] {
    return this.db
      .prepare(
        'SELECT public_key, fingerprint, enrolled_at, retired_at FROM terminal_keys WHERE terminal_id = ? ORDER BY enrolled_at DESC',
      )
      .all(terminalId) as TerminalKeyRow[];
  }

  touchTerminal(terminalId: string, now: Date, heartbeat?: string): void {
    if (heartbeat === undefined)
      this.db.prepare('UPDATE terminals SET last_seen_at = ? WHERE terminal_id = ?').run(now.toISOString(), terminalId);
    else
      this.db
        .prepare('UPDATE terminals SET last_seen_at = ?, last_heartbeat = ? WHERE terminal_id = ?')
        .run(now.toISOString(), heartbeat, terminalId);
  }

  /**
   * Records the head of the terminal's own audit chain. A head with a lower sequence than one
   * already seen means the terminal's log was cut back or rewritten: the caller raises it.
   */
  recordAuditHead(terminalId: string, head: { sequence: number; hash: string }, now: Date): { regressed: boolean } {
    return this.db.transaction(() => {
      const last = this.auditHead(terminalId);
      const regressed =
        last !== undefined &&
        (head.sequence < last.sequence || (head.sequence === last.sequence && head.hash !== last.hash));
      if (last === undefined || last.sequence !== head.sequence || last.hash !== head.hash)
        this.db
          .prepare('INSERT INTO terminal_audit_heads (terminal_id, sequence, hash, received_at) VALUES (?, ?, ?, ?)')
          .run(terminalId, head.sequence, head.hash, now.toISOString());
      return { regressed };
    })();
  }

  /** Stores a terminal's diagnostic bundle and drops its oldest beyond diagnosticsKeptPerTerminal. */
  putDiagnostics(terminalId: string, sha256: string, bytes: Buffer, now: Date): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO terminal_diagnostics (terminal_id, sha256, size, bundle_enc, received_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(terminalId, sha256, bytes.length, this.fields.diagnostics(terminalId, sha256, bytes), now.toISOString());
      this.db
        .prepare(
          'DELETE FROM terminal_diagnostics WHERE terminal_id = ? AND id NOT IN (SELECT id FROM terminal_diagnostics WHERE terminal_id = ? ORDER BY id DESC LIMIT ?)',
        )
        .run(terminalId, terminalId, diagnosticsKeptPerTerminal);
    })();
  }

  /** Every terminal's stored bundles, newest first, without opening them (for the terminals page). */
  diagnosticsIndex(): Map<string, DiagnosticsEntry[]> {
    const rows = this.db
      .prepare('SELECT terminal_id, sha256, size, received_at FROM terminal_diagnostics ORDER BY id DESC')
      .all() as Array<{ terminal_id: string; sha256: string; size: number; received_at: string }>;
    const index = new Map<string, DiagnosticsEntry[]>();
    for (const r of rows) {
      const list = index.get(r.terminal_id) ?? [];
      list.push({ sha256: r.sha256, size: r.size, receivedAt: r.received_at });
      index.set(r.terminal_id, list);
    }
    return index;
  }

  /** The terminal's bundles, newest first. */
  diagnostics(terminalId: string): Array<{ sha256: string; size: number; receivedAt: string; bundle: Buffer }> {
    const rows = this.db
      .prepare(
        'SELECT sha256, size, bundle_enc, received_at FROM terminal_diagnostics WHERE terminal_id = ? ORDER BY id DESC',
      )
      .all(terminalId) as Array<{ sha256: string; size: number; bundle_enc: Buffer; received_at: string }>;
    return rows.map((r) => ({
      sha256: r.sha256,
      size: r.size,
      receivedAt: r.received_at,
      bundle: this.fields.openDiagnostics(terminalId, r.sha256, r.bundle_enc),
    }));
  }

  auditHead(terminalId: string): { sequence: number; hash: string; received_at: string } | undefined {
    return this.db
      .prepare(
        'SELECT sequence, hash, received_at FROM terminal_audit_heads WHERE terminal_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(terminalId) as { sequence: number; hash: string; received_at: string } | undefined;
  }

  // ---------------------------------------------------------------- audit log

  audit(entry: AuditEntry, now: Date): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, case_number, terminal_id, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        now.toISOString(),
        entry.actor,
        entry.action,
        entry.caseNumber ?? null,
        entry.terminalId ?? null,
        entry.detail ?? null,
      );
  }

  /** Newest first; `caseNumber` narrows to one case. */
  auditEntries(filter: { caseNumber?: string; limit?: number } = {}): AuditRow[] {
    const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
    return (
      filter.caseNumber === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM audit_log WHERE case_number = ? ORDER BY id DESC LIMIT ?')
            .all(filter.caseNumber, limit)
    ) as AuditRow[];
  }

  // ---------------------------------------------------------------- attachments

  attachment(applicationId: string, sha256: string): AttachmentMeta | undefined {
    return this.db
      .prepare('SELECT sha256, terminal_id, mime, size FROM attachments WHERE application_id = ? AND sha256 = ?')
      .get(applicationId, sha256) as AttachmentMeta | undefined;
  }

  attachmentBytes(applicationId: string, sha256: string): { mime: string; bytes: Buffer } | undefined {
    const row = this.db
      .prepare('SELECT mime, bytes_enc FROM attachments WHERE application_id = ? AND sha256 = ?')
      .get(applicationId, sha256) as { mime: string; bytes_enc: Buffer | null } | undefined;
    if (row === undefined || row.bytes_enc === null) return undefined;
    return { mime: row.mime, bytes: this.fields.openAttachment(applicationId, sha256, row.bytes_enc) };
  }

  /** False when the content was already stored (a retried upload), or the case's personal data is gone. */
  putAttachment(
    applicationId: string,
    sha256: string,
    terminalId: string,
    mime: string,
    bytes: Buffer,
    now: Date,
  ): boolean {
    // A late retry must not bring back documents that retention already deleted.
    if (this.application(applicationId)?.personal_purged_at != null) return false;
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO attachments (application_id, sha256, terminal_id, mime, size, bytes_enc, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        applicationId,
        sha256,
        terminalId,
        mime,
        bytes.length,
        this.fields.attachment(applicationId, sha256, bytes),
        now.toISOString(),
      );
    return result.changes === 1;
  }

  // ---------------------------------------------------------------- applications

  application(applicationId: string): ApplicationRow | undefined {
    return this.db
      .prepare(`SELECT ${applicationColumns} FROM applications WHERE application_id = ?`)
      .get(applicationId) as ApplicationRow | undefined;
  }

  applicationByNumber(number: string): ApplicationRow | undefined {
    return this.db
      .prepare(
        `SELECT ${applicationColumns} FROM applications WHERE case_number = ? OR local_number = ? ORDER BY received_at LIMIT 1`,
      )
      .get(number, number) as ApplicationRow | undefined;
  }

  /** The submission as the terminal sent it (JSON), or null once retention deleted it. */
  applicationBody(applicationId: string): string | null {
    const row = this.db.prepare('SELECT body_enc FROM applications WHERE application_id = ?').get(applicationId) as
      { body_enc: Buffer | null } | undefined;
    return row?.body_enc == null ? null : this.fields.openBody(applicationId, row.body_enc);
  }

  history(applicationId: string): StatusEventRow[] {
    const rows = this.db
      .prepare('SELECT status, at, note_enc FROM status_events WHERE application_id = ? ORDER BY id')
      .all(applicationId) as Array<{ status: WireCaseStatus; at: string; note_enc: Buffer | null }>;
    return rows.map((r) => ({
      status: r.status,
      at: r.at,
      note: r.note_enc === null ? null : this.fields.openNote(applicationId, r.note_enc),
    }));
  }

  /**
   * Inserts a new application with the next case number of its day, or returns the existing row
   * for this id. Runs as one synchronous transaction: concurrent duplicates see one winner.
   */
  insertApplication(
    row: Omit<ApplicationRow, 'case_number' | 'status' | 'received_at' | 'personal_purged_at'> & { body: string },
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
      const { body, ...plain } = row;
      const full: ApplicationRow = {
        ...plain,
        case_number: `${caseNumberPrefix}${day}${String(next).padStart(5, '0')}`,
        status: 'submitted',
        received_at: now.toISOString(),
        personal_purged_at: null,
      };
      this.db
        .prepare(
          `INSERT INTO applications (application_id, terminal_id, case_number, local_number, service_code, status, body_enc, body_hash, masked_name, masked_id_number, received_at)
           VALUES (@application_id, @terminal_id, @case_number, @local_number, @service_code, @status, @body_enc, @body_hash, @masked_name, @masked_id_number, @received_at)`,
        )
        .run({ ...full, body_enc: this.fields.body(row.application_id, body) });
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
        .prepare('INSERT INTO status_events (application_id, status, at, note_enc) VALUES (?, ?, ?, ?)')
        .run(applicationId, status, now.toISOString(), note === null ? null : this.fields.note(applicationId, note));
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
          `INSERT INTO ratings (application_id, terminal_id, level, reasons, comment_enc, at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(application_id) DO UPDATE SET level = excluded.level, reasons = excluded.reasons, comment_enc = excluded.comment_enc, at = excluded.at`,
        )
        .run(
          applicationId,
          terminalId,
          level,
          JSON.stringify(reasons),
          comment === null ? null : this.fields.comment(applicationId, comment),
          now.toISOString(),
        );
      return !existed;
    })();
  }

  rating(applicationId: string): { level: number; reasons: string[]; comment: string | null } | undefined {
    const row = this.db
      .prepare('SELECT level, reasons, comment_enc FROM ratings WHERE application_id = ?')
      .get(applicationId) as { level: number; reasons: string; comment_enc: Buffer | null } | undefined;
    return row === undefined
      ? undefined
      : {
          level: row.level,
          reasons: JSON.parse(row.reasons) as string[],
          comment: row.comment_enc === null ? null : this.fields.openComment(applicationId, row.comment_enc),
        };
  }

  // ---------------------------------------------------------------- retention

  /**
   * Deletes residents' personal data once the policy says it is no longer needed: the submission
   * body (card fields, answers), the documents, the officers' notes and rating comments. The case
   * number, service, masked applicant, status history and rating level remain for statistics and
   * receipt checks. Returns how many cases were purged.
   */
  purgePersonalData(policy: RetentionPolicy, now: Date): number {
    const cutoff = new Date(now.getTime() - policy.graceMs).toISOString();
    const purged = this.db.transaction(() => {
      const due = (
        policy.after === 'received'
          ? this.db
              .prepare('SELECT application_id FROM applications WHERE personal_purged_at IS NULL AND received_at <= ?')
              .all(cutoff)
          : this.db
              .prepare(
                `SELECT a.application_id FROM applications a
                 WHERE a.personal_purged_at IS NULL AND a.status IN ('completed', 'rejected')
                   AND (SELECT MAX(at) FROM status_events e WHERE e.application_id = a.application_id) <= ?`,
              )
              .all(cutoff)
      ) as Array<{ application_id: string }>;
      for (const { application_id: id } of due) {
        this.db.prepare('DELETE FROM attachments WHERE application_id = ?').run(id);
        this.db.prepare('UPDATE status_events SET note_enc = NULL WHERE application_id = ?').run(id);
        this.db.prepare('UPDATE ratings SET comment_enc = NULL WHERE application_id = ?').run(id);
        this.db
          .prepare('UPDATE applications SET body_enc = NULL, personal_purged_at = ? WHERE application_id = ?')
          .run(now.toISOString(), id);
      }
      return due.length;
    })();
    // Old page images of the deleted rows live on in the WAL until a checkpoint; cut it now.
    if (purged > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return purged;
  }
}

const applicationColumns =
  'application_id, terminal_id, case_number, local_number, service_code, status, body_hash, masked_name, masked_id_number, received_at, personal_purged_at';

/** Case numbers count per calendar day in China Standard Time (UTC+8, no daylight saving). */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}
