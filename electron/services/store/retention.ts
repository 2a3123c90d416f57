/**
 * Deletes residents' personal data from the terminal once the platform has it: after the platform
 * acknowledged an application (case number received) and a grace period has passed (for reprints
 * and staff questions), the answers, document images, signature, card fields, receipt payload,
 * case-history notes and rating comments go. What remains — service code, times, outcome, rating level — serves statistics.
 * Applications the platform has not acknowledged keep their data: it is the only copy.
 */
import type { Log } from '../../../foundation/log';
import type { Clock, Timers } from '../../../foundation/clock';
import type { Store } from './store';

/** What retention works on: each table through the module that owns it. */
export type RetentionStore = Pick<Store, 'db' | 'applications' | 'receipts' | 'ratings' | 'outbox'>;

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

export function purgeAcknowledged(store: RetentionStore, options: RetentionOptions): RetentionReport {
  const now = options.clock.now();
  const cutoff = new Date(now - (options.graceMs ?? defaultRetentionGraceMs)).toISOString();
  const at = new Date(now).toISOString();
  return store.db.transaction((): RetentionReport => {
    const due = store.applications.dueForPurge(cutoff);
    for (const id of due) {
      store.applications.purgePersonalData(id, at);
      store.receipts.purgePayload(id);
    }
    // A comment still waiting in the outbox is kept until it is sent; a later run takes it.
    const comments = store.ratings
      .withComments()
      .filter(
        (r) =>
          (store.applications.getSummary(r.applicationId)?.personalPurgedAt ?? null) !== null &&
          !store.outbox.unsent('rating', r.id),
      );
    for (const rating of comments) store.ratings.dropComment(rating.id);
    return { purgedApplications: due.length, purgedComments: comments.length };
  })();
}

export interface RetentionSchedule {
  /** Runs a purge now (also what the timer does). */
  runNow(): RetentionReport;
  stop(): void;
}

/** Purges at start and then every `intervalMs` (default hourly), logging only counts. */
export function startRetention(
  store: RetentionStore,
  options: RetentionOptions & { timers: Timers; log: Log; intervalMs?: number },
): RetentionSchedule {
  let handle: unknown;
  let stopped = false;
  const runNow = () => {
    const report = purgeAcknowledged(store, options);
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
