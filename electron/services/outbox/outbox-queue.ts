/**
 * The outbox table as a queue. All worker state lives here, so a restart (or power cut) resumes
 * exactly where it stopped: an item caught mid-send goes back to pending and is sent again — safe,
 * because the platform de-duplicates attachments by hash and applications by Idempotency-Key.
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

export interface OutboxQueue {
  /** After a restart: items that were being sent when the process died are pending again. */
  resetInterrupted(now: string): number;
  /** Due, eligible items, oldest first, skipping applications already in flight. */
  due(now: string, limit: number, busyApplications: ReadonlySet<string>): OutboxItem[];
  /** pending → sending; false if someone else took it. */
  claim(id: number, now: string): boolean;
  done(id: number, now: string): void;
  retryLater(id: number, now: string, nextAttemptAt: string, error: string): void;
  fail(id: number, now: string, error: string): void;
  /** Every not-yet-sent item of an application fails with it (they cannot go without it). */
  failDependents(applicationId: string, now: string, error: string): number;
  /** Staff: failed or waiting items of this application are due now. */
  retryApplication(applicationId: string, now: string): number;
  items(applicationId: string): OutboxItem[];
  earliestPendingAt(): string | undefined;
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
  return {
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
    earliestPendingAt() {
      const row = db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as {
        at: string | null;
      };
      return row.at ?? undefined;
    },
  };
}
