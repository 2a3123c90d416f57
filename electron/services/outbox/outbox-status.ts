/**
 * What is waiting to be sent, for the staff screen, the heartbeat and `kiosk outbox status`
 * (which opens the database read-only): the queue's counts, the last contact with the platform,
 * and which applications are stuck and why — no personal data.
 */
import { applicationLocalNumbers } from '../store/application-repository';
import type { Db } from '../store/database';
import { getSetting, settingKeys } from '../store/settings';
import { createOutboxQueue, type OutboxQueue, type OutboxStats } from './outbox-queue';

export interface OutboxStatus extends OutboxStats {
  readonly lastSuccessfulContactAt: string | null;
}

export interface FailedItem {
  readonly applicationId: string;
  readonly localNumber: string | null;
  readonly kind: string;
  readonly error: string | null;
  readonly attempts: number;
  readonly since: string;
}

export function readOutboxStatus(db: Db, queue: OutboxQueue = createOutboxQueue(db)): OutboxStatus {
  return { ...queue.stats(), lastSuccessfulContactAt: getSetting(db, settingKeys.lastSuccessfulContactAt) ?? null };
}

/** For staff: which applications are stuck, and why. */
export function listFailedItems(db: Db, limit = 100): FailedItem[] {
  const failed = createOutboxQueue(db).failedItems(limit);
  const numbers = applicationLocalNumbers(db, [...new Set(failed.map((f) => f.applicationId))]);
  return failed.map((f) => ({ ...f, localNumber: numbers.get(f.applicationId) ?? null }));
}
