/**
 * Deletes residents' personal data from the terminal once the platform has it: after the platform
 * acknowledged an application (case number received) and a grace period has passed (for reprints
 * and staff questions), the answers, document images, signature, card fields, receipt payload,
 * case-history notes and rating comments go. What remains — service code, times, outcome, rating level — serves statistics.
 * Applications the platform has not acknowledged keep their data: it is the only copy.
 */
import type { Log } from '../../../foundation/log';
import type { Clock, Timers } from '../../../foundation/clock';
import type { Db } from './database';

export interface RetentionOptions {
  readonly clock: Clock;
  /** Default 7 days (config: privacy.retentionDays). */
  readonly graceMs?: number;
}

export const defaultRetentionGraceMs = 7 * 24 * 60 * 60 * 1000;

export interface RetentionReport {
  readonly purgedApplications: number;
  readonly purgedComments: number;
}

export function purgeAcknowledged(db: Db, options: RetentionOptions): RetentionReport {
  const now = options.clock.now();
  const cutoff = new Date(now - (options.graceMs ?? defaultRetentionGraceMs)).toISOString();
  const at = new Date(now).toISOString();
  return db.transaction((): RetentionReport => {
    const due = db
      .prepare(
        'SELECT id FROM applications WHERE acknowledged_at IS NOT NULL AND acknowledged_at <= ? AND personal_purged_at IS NULL',
      )
      .all(cutoff) as Array<{ id: string }>;
    for (const { id } of due) {
      db.prepare('DELETE FROM application_answers WHERE application_id = ?').run(id);
      db.prepare('UPDATE attachments SET content_enc = NULL WHERE application_id = ?').run(id);
      db.prepare('UPDATE receipts SET payload_enc = NULL WHERE application_id = ?').run(id);
      // Hall staff write notes in free text ("请补充…"); they may name the resident.
      db.prepare('UPDATE case_history SET note = NULL WHERE application_id = ?').run(id);
      db.prepare('UPDATE applications SET parties_enc = NULL, personal_purged_at = ? WHERE id = ?').run(at, id);
    }
    // A comment still waiting in the outbox is kept until it is sent; a later run takes it.
    const comments = db
      .prepare(
        `UPDATE ratings SET comment_enc = NULL
         WHERE comment_enc IS NOT NULL
           AND application_id IN (SELECT id FROM applications WHERE personal_purged_at IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'rating' AND o.ref = ratings.id AND o.state != 'done')`,
      )
      .run();
    return { purgedApplications: due.length, purgedComments: comments.changes };
  })();
}

export interface RetentionSchedule {
  /** Runs a purge now (also what the timer does). */
  runNow(): RetentionReport;
  stop(): void;
}

/** Purges at start and then every `intervalMs` (default hourly), logging only counts. */
export function startRetention(
  db: Db,
  options: RetentionOptions & { timers: Timers; log: Log; intervalMs?: number },
): RetentionSchedule {
  let handle: unknown;
  let stopped = false;
  const runNow = () => {
    const report = purgeAcknowledged(db, options);
    if (report.purgedApplications > 0 || report.purgedComments > 0)
      options.log.info({ ...report }, 'retention: personal data deleted');
    return report;
  };
  const tick = () => {
    try {
      runNow();
    } catch (cause) {
      options.log.error({ error: cause instanceof Error ? cause.message : String(cause) }, 'retention: purge failed');
    }
    if (!stopped) handle = options.timers.setTimeout(tick, options.intervalMs ?? 60 * 60_000);
  };
  tick();
  return {
    runNow,
    stop: () => {
      stopped = true;
      options.timers.clearTimeout(handle);
    },
  };
}
