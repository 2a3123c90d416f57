/**
 * Append-only audit log of staff and system actions, MAC-chained: each row's `hash` is an
 * HMAC-SHA256, under a key derived from the data key (kept wherever that is kept), over the row and
 * the previous row's MAC. Editing, deleting or reordering any row breaks the chain from there on,
 * and someone with the database file but not the key cannot compute a new chain. (Dropping the
 * newest rows is not detectable from the chain alone; the heartbeat and the fleet state carry the
 * chain head off the box for that.) Details must never hold personal data: pass ids, codes and
 * counts, not names or ID numbers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../../foundation/canonical-json';
import type { Db } from './database';
import type { Clock } from '../../../foundation/clock';

export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly details?: Record<string, AuditValue>;
}

export interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly details: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export type AuditVerdict =
  { ok: true; rows: number; head: string } | { ok: false; firstBadSeq: number; reason: string };

export const genesisHash = '0'.repeat(64);

/** The MAC key: derived from the data key (`FieldCipher.deriveKey(auditKeyPurpose)`). */
export type AuditKey = Buffer;
export const auditKeyPurpose = 'audit chain v1';

const canonicalRow = (row: Omit<AuditRow, 'hash'>) =>
  JSON.stringify([row.seq, row.at, row.actor, row.action, row.details, row.prev_hash]);

export function rowMac(key: AuditKey, row: Omit<AuditRow, 'hash'>): string {
  return createHmac('sha256', key).update(canonicalRow(row), 'utf8').digest('hex');
}

const macEquals = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

// A resident ID number (or permit/foreigner number) has no business in the audit log.
const idNumberLike = /\d{17}[\dXx]|9\d{16}[\dXx]/;

export function appendAudit(db: Db, key: AuditKey, clock: Clock, entry: AuditEntry): AuditRow {
  const details = canonicalJson(entry.details ?? {});
  if (idNumberLike.test(details) || idNumberLike.test(entry.actor)) {
    throw new Error(`audit ${entry.action}: details look like they contain an ID number; log ids, not personal data`);
  }
  return db.transaction((): AuditRow => {
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    const partial = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(clock.now()).toISOString(),
      actor: entry.actor,
      action: entry.action,
      details,
      prev_hash: last?.hash ?? genesisHash,
    };
    const row: AuditRow = { ...partial, hash: rowMac(key, partial) };
    db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @details, @prev_hash, @hash)',
    ).run(row);
    return row;
  })();
}

export function verifyAuditChain(db: Db, key: AuditKey): AuditVerdict {
  let expectedSeq = 1;
  let prev = genesisHash;
  let rows = 0;
  for (const row of db
    .prepare('SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log ORDER BY seq')
    .iterate() as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq)
      return { ok: false, firstBadSeq: expectedSeq, reason: `row ${expectedSeq} is missing (next row is ${row.seq})` };
    if (row.prev_hash !== prev)
      return { ok: false, firstBadSeq: row.seq, reason: 'does not follow the previous row (prev_hash differs)' };
    if (!macEquals(rowMac(key, row), row.hash))
      return { ok: false, firstBadSeq: row.seq, reason: 'row content does not match its MAC (modified or forged)' };
    prev = row.hash;
    expectedSeq += 1;
    rows += 1;
  }
  return { ok: true, rows, head: prev };
}

/** The newest row's sequence and MAC, for the heartbeat; undefined while the log is empty. */
export function auditHeadOf(db: Db): { sequence: number; hash: string } | undefined {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return head === undefined ? undefined : { sequence: head.seq, hash: head.hash };
}

export function recentAudit(db: Db, limit = 100): AuditRow[] {
  return db
    .prepare('SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?')
    .all(limit) as AuditRow[];
}
