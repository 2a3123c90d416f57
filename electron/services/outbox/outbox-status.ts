/**
 * What is waiting to be sent, for the staff screen, the heartbeat and `kiosk outbox status`.
 * depth counts items not yet delivered (pending, sending and failed); failed ones need staff.
 */
import type { Db } from '../store/database';
import { getSetting, settingKeys } from '../store/settings';

export interface OutboxStatus {
  readonly depth: number;
  readonly oldestUnsentAt: string | null;
  readonly lastSuccessfulContactAt: string | null;
  readonly failed: number;
  readonly sending: number;
}

export function readOutboxStatus(db: Db): OutboxStatus {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS depth, MIN(created_at) AS oldest,
              COALESCE(SUM(state = 'failed'), 0) AS failed, COALESCE(SUM(state = 'sending'), 0) AS sending
       FROM outbox WHERE state != 'done'`,
    )
    .get() as { depth: number; oldest: string | null; failed: number; sending: number };
  return {
    depth: row.depth,
    oldestUnsentAt: row.oldest,
    lastSuccessfulContactAt: getSetting(db, settingKeys.lastSuccessfulContactAt) ?? null,
    failed: row.failed,
    sending: row.sending,
  };
}

export interface FailedItem {
  readonly applicationId: string;
  readonly localNumber: string | null;
  readonly kind: string;
  readonly error: string | null;
  readonly attempts: number;
  readonly since: string;
}

/** For staff: which applications are stuck, and why (no personal data). */
export function listFailedItems(db: Db, limit = 100): FailedItem[] {
  return (
    db
      .prepare(
        `SELECT o.application_id, a.local_number, o.kind, o.last_error, o.attempts, o.updated_at
         FROM outbox o LEFT JOIN applications a ON a.id = o.application_id
         WHERE o.state = 'failed' ORDER BY o.updated_at LIMIT ?`,
      )
      .all(limit) as Array<{
      application_id: string;
      local_number: string | null;
      kind: string;
      last_error: string | null;
      attempts: number;
      updated_at: string;
    }>
  ).map((r) => ({
    applicationId: r.application_id,
    localNumber: r.local_number,
    kind: r.kind,
    error: r.last_error,
    attempts: r.attempts,
    since: r.updated_at,
  }));
}
