/**
 * Deletes residents' personal data from the terminal once the platform has it: after the platform
 * acknowledged an application (case number received) and a grace period has passed (for reprints
 * and staff questions), the answers, document images, signature, card fields, receipt payload,
 * case-history notes and rating comments go. What remains — service code, times, outcome, rating level — serves statistics.
 * Applications the platform has not acknowledged keep their data: it is the only copy. Those it
 * refused for good (failed) keep it while staff resolve them with the hall (a retry that is then
 * acknowledged takes the path above), but no longer than the longest retention configured
 * (privacy.failedRetentionDays, never shorter than privacy.retentionDays), counted from the day
 * the resident applied.
 *
 * Copies go with the data: when a purge deleted anything, every older backup is replaced by one
 * fresh one (a backup must not bring purged data back), and files that may hold residents' data
 * outside the database — the damaged database set aside at a restore, crash dumps — are deleted
 * once older than their configured number of days.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../../../foundation/log';
import type { Clock, Timers } from '../../../foundation/clock';
import type { Store } from './store';

/** What retention works on: each table through the module that owns it. */
export type RetentionStore = Pick<Store, 'db' | 'applications' | 'receipts' | 'ratings' | 'outbox'>;

export interface RetentionOptions {
  readonly clock: Clock;
  /** Default 7 days (config: privacy.retentionDays). */
  readonly graceMs?: number;
  /** Failed applications (config: privacy.failedRetentionDays); at least graceMs. Default 30 days. */
  readonly failedGraceMs?: number;
}

export const defaultFailedRetentionMs = 30 * 24 * 60 * 60 * 1000;

/** A folder whose files are deleted once older than `maxAgeMs` (by modification time), subfolders included. */
export interface RetainedFolder {
  readonly dir: string;
  readonly maxAgeMs: number;
}

export const defaultRetentionGraceMs = 7 * 24 * 60 * 60 * 1000;

export interface RetentionReport {
  readonly purgedApplications: number;
  readonly purgedComments: number;
}

export function purgeAcknowledged(store: RetentionStore, options: RetentionOptions): RetentionReport {
  const now = options.clock.now();
  const graceMs = options.graceMs ?? defaultRetentionGraceMs;
  const cutoff = new Date(now - graceMs).toISOString();
  const failedCutoff = new Date(
    now - Math.max(graceMs, options.failedGraceMs ?? defaultFailedRetentionMs),
  ).toISOString();
  const at = new Date(now).toISOString();
  return store.db.transaction((): RetentionReport => {
    const due = store.applications.dueForPurge(cutoff, failedCutoff);
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

/** Deletes the files under `folder` older than its age limit; answers how many. A missing folder has none. */
export function pruneOldFiles(folder: RetainedFolder, now: number): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(folder.dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(folder.dir, entry.name);
    if (entry.isDirectory()) removed += pruneOldFiles({ ...folder, dir: path }, now);
    else if (entry.isFile() && now - statSync(path).mtimeMs >= folder.maxAgeMs) {
      rmSync(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * Purges at start and then every `intervalMs` (default hourly), logging only counts. After a purge
 * that deleted personal data, `afterPurge` replaces the backups; `folders` are pruned on every run.
 */
export function startRetention(
  store: RetentionStore,
  options: RetentionOptions & {
    timers: Timers;
    log: Log;
    intervalMs?: number;
    afterPurge?: () => void;
    folders?: readonly RetainedFolder[];
  },
): RetentionSchedule {
  let handle: unknown;
  let stopped = false;
  const runNow = () => {
    const report = purgeAcknowledged(store, options);
    if (report.purgedApplications > 0 || report.purgedComments > 0) {
      options.log.info({ ...report }, 'retention: personal data deleted');
      options.afterPurge?.();
    }
    const files = (options.folders ?? []).reduce((sum, folder) => sum + pruneOldFiles(folder, options.clock.now()), 0);
    if (files > 0) options.log.info({ files }, 'retention: old files deleted');
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
