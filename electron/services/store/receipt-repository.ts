/**
 * Receipts (申报回执) issued for applications; the only module that runs SQL on `receipts`. The
 * payload names the applicant (masked), so it is encrypted and purged with the rest of the
 * application's personal data; the printing record stays.
 */
import { err, ok, type Result } from '../../../foundation/result';
import type { Clock } from '../../../foundation/clock';
import type { Db } from './database';
import type { DecryptError, FieldCipher } from '../../../foundation/field-cipher';

export interface StoredReceipt {
  readonly applicationId: string;
  readonly payload: unknown;
  readonly verificationCode: string;
  readonly issuedAt: string;
  readonly printedAt: string | null;
  readonly reprintCount: number;
}

/** What became of the first copy: never asked for, or handed to the printer (outcome null: no answer was recorded). */
export type FirstCopy =
  { readonly handedOver: false } | { readonly handedOver: true; readonly at: string; readonly outcome: string | null };

export type ReceiptReadError =
  { kind: 'not-found' } | { kind: 'purged' } | { kind: 'decrypt-failed'; error: DecryptError };

const context = (applicationId: string) => ({ table: 'receipts', column: 'payload_enc', rowId: applicationId });

export interface ReceiptRepository {
  /** Replaces the payload when the case number arrives (a reprint then shows it). */
  saveReceipt(applicationId: string, payload: unknown, verificationCode: string): void;
  getReceipt(applicationId: string): Result<StoredReceipt, ReceiptReadError>;
  /** The application a resident's typed verification code belongs to (progress lookup). */
  findByVerificationCode(code: string): string | undefined;
  /**
   * Records that the first copy is being handed to the printer, before a byte is sent; once only. Answers
   * whether this call claimed it, or what the earlier claim recorded (kept across restarts).
   */
  claimFirstCopy(applicationId: string): { claimed: true } | { claimed: false; earlier: FirstCopy };
  /** The printer's answer to the first copy (a PrintOutcome). */
  recordFirstCopyOutcome(applicationId: string, outcome: string): void;
  /** First print sets printed_at; every later one counts as a reprint. Returns the reprint count. */
  recordPrint(applicationId: string): number;
  reprintCount(applicationId: string): number;
  /** Whether a paper came out (any copy), is in doubt (first copy handed over, no answer recorded), or not. */
  paperState(applicationId: string): 'printed' | 'in-doubt' | 'not-printed' | 'none';
  /** Retention: the payload names the applicant; the printing record stays. */
  purgePayload(applicationId: string): void;
}

interface ReceiptRow {
  application_id: string;
  payload_enc: Buffer | null;
  verification_code: string;
  issued_at: string;
  printed_at: string | null;
  reprint_count: number;
  first_copy_at: string | null;
  first_copy_outcome: string | null;
}

export function createReceiptRepository(db: Db, cipher: FieldCipher, clock: Clock): ReceiptRepository {
  const now = () => new Date(clock.now()).toISOString();
  return {
    saveReceipt(applicationId, payload, verificationCode) {
      db.prepare(
        `INSERT INTO receipts (application_id, payload_enc, verification_code, issued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (application_id) DO UPDATE SET payload_enc = excluded.payload_enc, verification_code = excluded.verification_code`,
      ).run(applicationId, cipher.encryptJson(payload, context(applicationId)), verificationCode, now());
    },
    getReceipt(applicationId) {
      const row = db.prepare('SELECT * FROM receipts WHERE application_id = ?').get(applicationId) as
        ReceiptRow | undefined;
      if (!row) return err({ kind: 'not-found' });
      if (row.payload_enc === null) return err({ kind: 'purged' });
      const payload = cipher.decryptJson(row.payload_enc, context(applicationId));
      if (!payload.ok) return err({ kind: 'decrypt-failed', error: payload.error });
      return ok({
        applicationId,
        payload: payload.value,
        verificationCode: row.verification_code,
        issuedAt: row.issued_at,
        printedAt: row.printed_at,
        reprintCount: row.reprint_count,
      });
    },
    findByVerificationCode(code) {
      const row = db.prepare('SELECT application_id FROM receipts WHERE verification_code = ?').get(code) as
        { application_id: string } | undefined;
      return row?.application_id;
    },
    claimFirstCopy(applicationId) {
      const claimed = db
        .prepare('UPDATE receipts SET first_copy_at = ? WHERE application_id = ? AND first_copy_at IS NULL')
        .run(now(), applicationId);
      if (claimed.changes === 1) return { claimed: true };
      const row = db
        .prepare('SELECT first_copy_at, first_copy_outcome FROM receipts WHERE application_id = ?')
        .get(applicationId) as Pick<ReceiptRow, 'first_copy_at' | 'first_copy_outcome'> | undefined;
      const earlier: FirstCopy =
        row === undefined || row.first_copy_at === null
          ? { handedOver: false }
          : { handedOver: true, at: row.first_copy_at, outcome: row.first_copy_outcome };
      return { claimed: false, earlier };
    },
    recordFirstCopyOutcome(applicationId, outcome) {
      db.prepare('UPDATE receipts SET first_copy_outcome = ? WHERE application_id = ?').run(outcome, applicationId);
    },
    recordPrint(applicationId) {
      const row = db
        .prepare(
          `UPDATE receipts SET reprint_count = reprint_count + (printed_at IS NOT NULL), printed_at = COALESCE(printed_at, ?)
           WHERE application_id = ? RETURNING reprint_count`,
        )
        .get(now(), applicationId) as { reprint_count: number } | undefined;
      return row?.reprint_count ?? 0;
    },
    reprintCount(applicationId) {
      const row = db.prepare('SELECT reprint_count FROM receipts WHERE application_id = ?').get(applicationId) as
        { reprint_count: number } | undefined;
      return row?.reprint_count ?? 0;
    },
    paperState(applicationId) {
      const row = db
        .prepare('SELECT printed_at, first_copy_at, first_copy_outcome FROM receipts WHERE application_id = ?')
        .get(applicationId) as Pick<ReceiptRow, 'printed_at' | 'first_copy_at' | 'first_copy_outcome'> | undefined;
      if (row === undefined) return 'none';
      if (row.printed_at !== null) return 'printed';
      return row.first_copy_at !== null && row.first_copy_outcome === null ? 'in-doubt' : 'not-printed';
    },
    purgePayload(applicationId) {
      db.prepare('UPDATE receipts SET payload_enc = NULL WHERE application_id = ?').run(applicationId);
    },
  };
}
