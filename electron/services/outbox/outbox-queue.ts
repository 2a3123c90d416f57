/**
 * The outbox table as a queue, and the only module that runs SQL on it. All worker state lives
 * here, so a restart (or power cut) resumes exactly where it stopped: an item caught mid-send goes
 * back to pending and is sent again — safe, because the platform de-duplicates attachments by hash
 * and applications by Idempotency-Key. The repositories enqueue inside their own transaction, so an
 * application (or rating) is never saved without its items, nor the items without it.
 *
 * Order: an application waits until all its attachments are sent; a rating waits for its application.
 */
import type { Db } from '../store/database';

export type OutboxKind = 'attachment' | 'application' | 'rating';
export type OutboxState = 'pending' | 'sending' | 'done' | 'failed';

export interface OutboxItem {
  readonly id: number;
  readonly kind: OutboxKind;
  readonly applicationId: string;
  readonly ref: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface OutboxRow {
  id: number;
  kind: OutboxKind;
  application_id: string;
  ref: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const toItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  kind: r.kind,
  applicationId: r.application_id,
  ref: r.ref,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewOutboxItem {
  readonly kind: OutboxKind;
  readonly applicationId: string;
  /** The attachment's sha256, the rating's id; empty for the application itself. */
  readonly ref: string;
}

/** Counts for the staff screen, the heartbeat and `kiosk outbox status`; depth counts pending, sending and failed. */
export interface OutboxStats {
  readonly depth: number;
  readonly oldestUnsentAt: string | null;
  readonly failed: number;
  readonly sending: number;
}

export interface FailedOutboxItem {
  readonly applicationId: string;
  readonly kind: OutboxKind;
  readonly error: string | null;
  readonly attempts: number;
  readonly since: string;
}

/** How an application's items stand, for the staff queue. */
export interface ApplicationDelivery {
  readonly sending: boolean;
  /** The newest error of its attachments or the application itself. */
  readonly lastError: string | null;
}

export interface OutboxQueue {
  /** Adds items due at once; an item already queued is left as it is. Run it inside the caller's transaction. */
  enqueue(items: readonly NewOutboxItem[], now: string): void;
  /** After a restart: items that were being sent when the process died are pending again. */
  resetInterrupted(now: string): number;
  /** Due, eligible items, oldest first, skipping applications already in flight. */
  due(now: string, limit: number, busyApplications: ReadonlySet<string>): OutboxItem[];
  /** pending → sending; false if someone else took it. */
  claim(id: number, now: string): boolean;
  done(id: number, now: string): void;
  retryLater(id: number, now: string, nextAttemptAt: string, error: string): void;
  /**
   * sending → pending, due at `nextAttemptAt`: a send whose outcome could not be written (a failed
   * database write) is queued again. Only an item still `sending` moves; one written done stays done.
   */
  release(id: number, now: string, nextAttemptAt: string, error: string): boolean;
  /**
   * Items due later than `latest` are due at `latest`: no retry waits longer than the longest delay
   * the worker gives, even after the wall clock was set back (due times are wall times).
   */
  limitWait(latest: string, now: string): number;
  fail(id: number, now: string, error: string): void;
  /** Every not-yet-sent item of an application fails with it (they cannot go without it). */
  failDependents(applicationId: string, now: string, error: string): number;
  /** Staff: failed or waiting items of this application are due now. */
  retryApplication(applicationId: string, now: string): number;
  items(applicationId: string): OutboxItem[];
  /**
   * When the next waiting item becomes due, after `now`. Items already due but blocked (by a send in
   * flight, or by a document still waiting) are not counted: what blocks them has its own time or ends a send.
   */
  nextDueAfter(now: string): string | undefined;
  stats(): OutboxStats;
  failedItems(limit: number): FailedOutboxItem[];
  delivery(applicationId: string): ApplicationDelivery;
  /** Whether the item for `ref` still has to be sent (pending, sending or failed). */
  unsent(kind: OutboxKind, ref: string): boolean;
}

const kindOrder = `CASE kind WHEN 'attachment' THEN 0 WHEN 'application' THEN 1 ELSE 2 END`;

export function createOutboxQueue(db: Db): OutboxQueue {
  const dueStatement = db.prepare(
    `SELECT * FROM outbox o
     WHERE state = 'pending' AND next_attempt_at <= ?
       AND (kind != 'application' OR NOT EXISTS (
         SELECT 1 FROM outbox a WHERE a.application_id = o.application_id AND a.kind = 'attachment' AND a.state != 'done'))
       AND (kind != 'rating' OR NOT EXISTS (
         SELECT 1 FROM outbox a WHERE a.application_id = o.application_id AND a.kind = 'application' AND a.state != 'done'))
     ORDER BY ${kindOrder}, next_attempt_at, id`,
  );
  const insert = db.prepare(
    `INSERT INTO outbox (kind, application_id, ref, state, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return {
    enqueue(items, now) {
      for (const item of items) insert.run(item.kind, item.applicationId, item.ref, now, now, now);
    },
    resetInterrupted(now) {
      return db.prepare(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending'`).run(now).changes;
    },
    due(now, limit, busy) {
      const picked: OutboxItem[] = [];
      const apps = new Set(busy);
      for (const row of dueStatement.iterate(now) as IterableIterator<OutboxRow>) {
        if (picked.length >= limit) break;
        // One item per application at a time: never two sends of the same application at once.
        if (apps.has(row.application_id)) continue;
        apps.add(row.application_id);
        picked.push(toItem(row));
      }
      return picked;
    },
    claim(id, now) {
      return (
        db
          .prepare(`UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'pending'`)
          .run(now, id).changes === 1
      );
    },
    done(id, now) {
      db.prepare(
        `UPDATE outbox SET state = 'done', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?`,
      ).run(now, id);
    },
    retryLater(id, now, nextAttemptAt, error) {
      db.prepare(
        `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(nextAttemptAt, error, now, id);
    },
    release(id, now, nextAttemptAt, error) {
      return (
        db
          .prepare(
            `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ?
             WHERE id = ? AND state = 'sending'`,
          )
          .run(nextAttemptAt, error, now, id).changes === 1
      );
    },
    limitWait(latest, now) {
      return db
        .prepare(
          `UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE state = 'pending' AND next_attempt_at > ?`,
        )
        .run(latest, now, latest).changes;
    },
    fail(id, now, error) {
      db.prepare(
        `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(error, now, id);
    },
    failDependents(applicationId, now, error) {
      return db
        .prepare(
          `UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE application_id = ? AND state = 'pending'`,
        )
        .run(error, now, applicationId).changes;
    },
    retryApplication(applicationId, now) {
      return db
        .prepare(
          `UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE application_id = ? AND state IN ('pending', 'failed')`,
        )
        .run(now, now, applicationId).changes;
    },
    items(applicationId) {
      return (
        db
          .prepare(`SELECT * FROM outbox WHERE application_id = ? ORDER BY ${kindOrder}, id`)
          .all(applicationId) as OutboxRow[]
      ).map(toItem);
    },
    nextDueAfter(now) {
      const row = db
        .prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND next_attempt_at > ?`)
        .get(now) as { at: string | null };
      return row.at ?? undefined;
    },
    stats() {
      const row = db
        .prepare(
          `SELECT COUNT(*) AS depth, MIN(created_at) AS oldest,
                  COALESCE(SUM(state = 'failed'), 0) AS failed, COALESCE(SUM(state = 'sending'), 0) AS sending
           FROM outbox WHERE state != 'done'`,
        )
        .get() as { depth: number; oldest: string | null; failed: number; sending: number };
      return { depth: row.depth, oldestUnsentAt: row.oldest, failed: row.failed, sending: row.sending };
    },
    failedItems(limit) {
      return (
        db
          .prepare(
            `SELECT application_id, kind, last_error, attempts, updated_at FROM outbox
             WHERE state = 'failed' ORDER BY updated_at LIMIT ?`,
          )
          .all(limit) as Array<{
          application_id: string;
          kind: OutboxKind;
          last_error: string | null;
          attempts: number;
          updated_at: string;
        }>
      ).map((r) => ({
        applicationId: r.application_id,
        kind: r.kind,
        error: r.last_error,
        attempts: r.attempts,
        since: r.updated_at,
      }));
    },
    delivery(applicationId) {
      const row = db
        .prepare(
          `SELECT COALESCE(SUM(state = 'sending'), 0) AS sending,
                  (SELECT last_error FROM outbox WHERE application_id = ? AND kind != 'rating' AND last_error IS NOT NULL
                     ORDER BY updated_at DESC LIMIT 1) AS last_error
           FROM outbox WHERE application_id = ?`,
        )
        .get(applicationId, applicationId) as { sending: number; last_error: string | null };
      return { sending: row.sending > 0, lastError: row.last_error };
    },
    unsent(kind, ref) {
      return (
        db.prepare(`SELECT 1 FROM outbox WHERE kind = ? AND ref = ? AND state != 'done' LIMIT 1`).get(kind, ref) !==
        undefined
      );
    },
  };
}
