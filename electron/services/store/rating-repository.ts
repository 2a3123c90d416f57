/**
 * Residents' ratings of a service. The level and chosen reasons are statistics and kept; the free
 * comment may name people, so it is encrypted and purged with the application. Saving a rating also
 * queues it for the platform in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../../foundation/result';
import { ratingRequestSchema } from '../../../platform/contract/api-schemas';
import type { OutboxQueue } from '../outbox/outbox-queue';
import type { RatingLevel } from '../outbox/platform-port';
import type { Clock } from '../../../foundation/clock';
import type { Db } from './database';
import type { DecryptError, FieldCipher } from '../../../foundation/field-cipher';

export interface NewRating {
  readonly applicationId: string;
  readonly level: RatingLevel;
  readonly reasons?: readonly string[];
  readonly comment?: string;
}

export interface StoredRating {
  readonly id: string;
  readonly applicationId: string;
  readonly level: RatingLevel;
  readonly reasons: string[];
  /** null when none was given or it was purged. */
  readonly comment: string | null;
  readonly createdAt: string;
}

const context = (id: string) => ({ table: 'ratings', column: 'comment_enc', rowId: id });

export type RatingError = { kind: 'invalid'; issues: string[] };

export interface RatingRepository {
  /** Checked against the platform's limits first, so a rating never fails there as a 422. */
  addRating(rating: NewRating): Result<string, RatingError>;
  getRating(id: string): Result<StoredRating, { kind: 'not-found' } | { kind: 'decrypt-failed'; error: DecryptError }>;
  /** Ratings per level 1…5 given in [from, to), for the staff summary. */
  levelCounts(fromIso: string, toIso: string): number[];
  /** Ratings that still hold a comment (retention decides which may go). */
  withComments(): Array<{ id: string; applicationId: string }>;
  dropComment(id: string): void;
}

export function createRatingRepository(
  db: Db,
  cipher: FieldCipher,
  clock: Clock,
  outbox: Pick<OutboxQueue, 'enqueue'>,
): RatingRepository {
  return {
    addRating(rating) {
      const checked = ratingRequestSchema.safeParse({
        ...rating,
        reasons: rating.reasons ? [...rating.reasons] : undefined,
      });
      if (!checked.success)
        return err({ kind: 'invalid', issues: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      const id = randomUUID();
      const at = new Date(clock.now()).toISOString();
      const comment = rating.comment?.trim() ? cipher.encrypt(Buffer.from(rating.comment, 'utf8'), context(id)) : null;
      db.transaction(() => {
        db.prepare(
          'INSERT INTO ratings (id, application_id, level, reasons, comment_enc, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(id, rating.applicationId, rating.level, JSON.stringify(rating.reasons ?? []), comment, at);
        outbox.enqueue([{ kind: 'rating', applicationId: rating.applicationId, ref: id }], at);
      })();
      return ok(id);
    },
    getRating(id) {
      const row = db.prepare('SELECT * FROM ratings WHERE id = ?').get(id) as
        | {
            id: string;
            application_id: string;
            level: RatingLevel;
            reasons: string;
            comment_enc: Buffer | null;
            created_at: string;
          }
        | undefined;
      if (!row) return err({ kind: 'not-found' });
      let comment: string | null = null;
      if (row.comment_enc !== null) {
        const plain = cipher.decrypt(row.comment_enc, context(id));
        if (!plain.ok) return err({ kind: 'decrypt-failed', error: plain.error });
        comment = plain.value.toString('utf8');
      }
      return ok({
        id,
        applicationId: row.application_id,
        level: row.level,
        reasons: JSON.parse(row.reasons) as string[],
        comment,
        createdAt: row.created_at,
      });
    },
    levelCounts(fromIso, toIso) {
      const levels = db
        .prepare('SELECT level, COUNT(*) AS n FROM ratings WHERE created_at >= ? AND created_at < ? GROUP BY level')
        .all(fromIso, toIso) as Array<{ level: number; n: number }>;
      return [1, 2, 3, 4, 5].map((level) => levels.find((l) => l.level === level)?.n ?? 0);
    },
    withComments() {
      return (
        db.prepare('SELECT id, application_id FROM ratings WHERE comment_enc IS NOT NULL').all() as Array<{
          id: string;
          application_id: string;
        }>
      ).map((r) => ({ id: r.id, applicationId: r.application_id }));
    },
    dropComment(id) {
      db.prepare('UPDATE ratings SET comment_enc = NULL WHERE id = ?').run(id);
    },
  };
}
