/**
 * What is waiting to be sent, for the staff screen, the heartbeat and `kiosk outbox status`
 * (which opens the database read-only): the queue's counts, the last contact with the platform,
 * and which applications are stuck and why — no personal data.
 */
import { z } from 'zod';
import { assertNever } from '../../../foundation/result';
import { applicationLocalNumbers } from '../store/application-repository';
import type { Db } from '../store/database';
import { deleteSetting, getSetting, setSetting, settingKeys } from '../store/settings';
import { createOutboxQueue, type OutboxQueue, type OutboxStats } from './outbox-queue';
import type { PlatformHold } from './platform-port';

/** What keeps the platform refusing this terminal, since when (kept until a signed call passes). */
export type StandingHold = PlatformHold & { readonly since: string };

export interface OutboxStatus extends OutboxStats {
  readonly lastSuccessfulContactAt: string | null;
  readonly hold: StandingHold | null;
}

const standingHoldSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clock'), offsetMs: z.number().nullable(), since: z.string() }),
  z.object({ kind: z.literal('not-enrolled'), since: z.string() }),
]);

export function readPlatformHold(db: Db): StandingHold | null {
  const stored = getSetting(db, settingKeys.platformHold);
  if (stored === undefined) return null;
  try {
    const parsed = standingHoldSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function recordPlatformHold(db: Db, hold: PlatformHold, now: string): void {
  const standing = readPlatformHold(db);
  const since = standing !== null && standing.kind === hold.kind ? standing.since : now;
  setSetting(db, settingKeys.platformHold, JSON.stringify({ ...hold, since }));
}

/** One line for technicians (the staff screen words it in Chinese). */
export function describeHold(hold: PlatformHold): string {
  switch (hold.kind) {
    case 'clock':
      return hold.offsetMs === null
        ? 'the platform refuses the terminal clock; set it'
        : `the terminal clock is off by ${Math.round(hold.offsetMs / 1000)} s from the platform; set it`;
    case 'not-enrolled':
      return 'the platform does not know this terminal key: run kiosk enrol';
    default:
      return assertNever(hold, 'platform hold');
  }
}

export function clearPlatformHold(db: Db): void {
  deleteSetting(db, settingKeys.platformHold);
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
  return {
    ...queue.stats(),
    lastSuccessfulContactAt: getSetting(db, settingKeys.lastSuccessfulContactAt) ?? null,
    hold: readPlatformHold(db),
  };
}

/** For staff: which applications are stuck, and why. */
export function listFailedItems(db: Db, limit = 100): FailedItem[] {
  const failed = createOutboxQueue(db).failedItems(limit);
  const numbers = applicationLocalNumbers(db, [...new Set(failed.map((f) => f.applicationId))]);
  return failed.map((f) => ({ ...f, localNumber: numbers.get(f.applicationId) ?? null }));
}
