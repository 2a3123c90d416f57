/**
 * Applications on the terminal: created in one durable transaction (row, answers, documents,
 * signature, outbox items, local number), read back decrypted, and moved along as the platform
 * answers. Every personal value is encrypted with the field cipher before it reaches SQLite.
 * The only module that runs SQL on `applications` and its detail tables (answers, attachments,
 * case history, local-number sequences); others ask it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { localDay } from '../../../foundation/local-time';
import { err, ok, type Result } from '../../../foundation/result';
import type { OutboxQueue } from '../outbox/outbox-queue';
import {
  cardFieldsSchema,
  closedCaseStatuses,
  consentSchema,
  type CardFields,
  type CaseStatus,
  type Consent,
} from '../outbox/platform-port';
import type { Clock } from '../../../foundation/clock';
import type { Db } from './database';
import { isDiskFull } from './storage-guard';
import type { DecryptError, FieldCipher } from '../../../foundation/field-cipher';

export interface NewAttachment {
  readonly bytes: Uint8Array;
  readonly mime: string;
  /** What the document is, from the catalogue ("户口本首页"); not personal. */
  readonly label: string;
}

export interface NewApplication {
  readonly serviceCode: string;
  readonly applicant: CardFields;
  readonly answers: Record<string, unknown>;
  readonly attachments: readonly NewAttachment[];
  /** PNG of the resident's signature. */
  readonly signature: Uint8Array;
  /** The signature is a mark (不会写字) this member of staff confirmed on the spot; absent: a written name. */
  readonly signatureMark?: { witnessStaffId: string };
  /**
   * The resident could not see and confirmed with the keypad's enter key (the audio keypad mode)
   * instead of signing; `signature` is then the image of the words they confirmed.
   */
  readonly signatureSpoken?: { confirmedAt: string; witnessStaffId?: string };
  readonly helper?: { staffId: string; name?: string };
  /** An officer at the hall helped by video (远程帮办) and the resident accepted their proposed answer. */
  readonly remoteAssistance?: { callId: string; officerId: string };
  readonly onBehalf?: { relationship: string; representative: CardFields };
  readonly consent: Consent;
}

export type ApplicationState = 'queued' | 'submitted' | 'failed';

/** What staff screens, statistics and the outbox may see: no personal data. */
export interface ApplicationSummary {
  readonly id: string;
  readonly localNumber: string;
  readonly terminalId: string;
  readonly serviceCode: string;
  readonly createdAt: string;
  readonly state: ApplicationState;
  readonly caseNumber: string | null;
  readonly caseStatus: CaseStatus | null;
  readonly helperStaffId: string | null;
  readonly onBehalf: string | null;
  readonly finalError: string | null;
  readonly acknowledgedAt: string | null;
  readonly personalPurgedAt: string | null;
  readonly statusCheckedAt: string | null;
}

export interface StoredAttachment {
  readonly sha256: string;
  readonly role: 'document' | 'signature';
  readonly label: string;
  readonly mime: string;
  readonly size: number;
}

export interface StoredApplication extends ApplicationSummary {
  readonly applicant: CardFields;
  readonly representative: CardFields | null;
  readonly helperName: string | null;
  readonly answers: Record<string, unknown>;
  readonly attachments: readonly StoredAttachment[];
  readonly signatureSha256: string;
  /** The staff member who confirmed the resident's mark (不会写字); null: the resident wrote their name. */
  readonly markWitnessStaffId: string | null;
  /** 远程帮办: the call and officer whose answer the resident accepted; null without one. */
  readonly remoteAssistance: { readonly callId: string; readonly officerId: string } | null;
  /** A spoken confirmation instead of a signature (audio keypad mode); null: a name or a mark. */
  readonly spokenSignature: { confirmedAt: string; witnessStaffId: string | null } | null;
  readonly consent: Consent;
}

export type CreateError =
  | { kind: 'invalid'; issues: string[] }
  /** SQLite refused (disk full, I/O error): nothing was saved; tell the resident so. `full`: for want of space. */
  | { kind: 'storage-failed'; reason: string; full: boolean };

export type ReadError =
  | { kind: 'not-found'; id: string }
  /** Personal data was deleted after the platform acknowledged the application. */
  | { kind: 'purged'; id: string; at: string }
  | { kind: 'decrypt-failed'; id: string; error: DecryptError };

export interface RepositoryOptions {
  readonly terminalId: string;
  /** Short code in local numbers: CODE-YYYYMMDD-NNNN. */
  readonly terminalCode: string;
  readonly clock: Clock;
  /** Where the new application's items are queued, inside the same transaction. */
  readonly outbox: Pick<OutboxQueue, 'enqueue'>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const newApplicationSchema = z.object({
  serviceCode: z.string().min(1),
  applicant: cardFieldsSchema,
  answers: z.record(z.string(), z.unknown()),
  attachments: z.array(z.object({ bytes: z.instanceof(Uint8Array), mime: z.string().min(1), label: z.string() })),
  signature: z.instanceof(Uint8Array).refine((b) => b.length > 0, 'signature is empty'),
  signatureMark: z.object({ witnessStaffId: z.string().min(1) }).optional(),
  signatureSpoken: z.object({ confirmedAt: z.iso.datetime(), witnessStaffId: z.string().min(1).optional() }).optional(),
  helper: z.object({ staffId: z.string().min(1), name: z.string().optional() }).optional(),
  remoteAssistance: z.object({ callId: z.uuid(), officerId: z.string().min(1).max(40) }).optional(),
  onBehalf: z.object({ relationship: z.string().min(1), representative: cardFieldsSchema }).optional(),
  consent: consentSchema,
});

interface ApplicationRow {
  id: string;
  local_number: string;
  terminal_id: string;
  service_code: string;
  created_at: string;
  state: ApplicationState;
  case_number: string | null;
  case_status: CaseStatus | null;
  helper_staff_id: string | null;
  on_behalf: string | null;
  consent_version: string;
  consent_at: string;
  signature_sha256: string;
  mark_witness_staff_id: string | null;
  remote_call_id: string | null;
  remote_officer_id: string | null;
  spoken_confirmed_at: string | null;
  spoken_witness_staff_id: string | null;
  parties_enc: Buffer | null;
  final_error: string | null;
  acknowledged_at: string | null;
  personal_purged_at: string | null;
  status_checked_at: string | null;
}

interface Parties {
  applicant: CardFields;
  representative?: CardFields;
  helperName?: string;
}

const partiesSchema = z.object({
  applicant: cardFieldsSchema,
  representative: cardFieldsSchema.optional(),
  helperName: z.string().optional(),
});

export const fieldContexts = {
  parties: (id: string) => ({ table: 'applications', column: 'parties_enc', rowId: id }),
  answer: (id: string, questionId: string) => ({
    table: 'application_answers',
    column: 'value_enc',
    rowId: `${id}/${questionId}`,
  }),
  attachment: (id: string, sha256: string) => ({
    table: 'attachments',
    column: 'content_enc',
    rowId: `${id}/${sha256}`,
  }),
} as const;

function toSummary(row: ApplicationRow): ApplicationSummary {
  return {
    id: row.id,
    localNumber: row.local_number,
    terminalId: row.terminal_id,
    serviceCode: row.service_code,
    createdAt: row.created_at,
    state: row.state,
    caseNumber: row.case_number,
    caseStatus: row.case_status,
    helperStaffId: row.helper_staff_id,
    onBehalf: row.on_behalf,
    finalError: row.final_error,
    acknowledgedAt: row.acknowledged_at,
    personalPurgedAt: row.personal_purged_at,
    statusCheckedAt: row.status_checked_at,
  };
}

/** The day's applications by service, for the staff summary. */
export interface ServiceCounts {
  readonly serviceCode: string;
  readonly total: number;
  readonly submitted: number;
  readonly waiting: number;
  readonly failed: number;
  readonly assisted: number;
}

/** Local numbers of these applications (those that exist), for read-only tools. */
export function applicationLocalNumbers(db: Db, ids: readonly string[]): Map<string, string> {
  const select = db.prepare('SELECT local_number FROM applications WHERE id = ?');
  const numbers = new Map<string, string>();
  for (const id of ids) {
    const row = select.get(id) as { local_number: string } | undefined;
    if (row !== undefined) numbers.set(id, row.local_number);
  }
  return numbers;
}

export interface ApplicationRepository {
  createApplication(input: NewApplication): Result<ApplicationSummary, CreateError>;
  getSummary(id: string): ApplicationSummary | undefined;
  findByLocalNumber(localNumber: string): ApplicationSummary | undefined;
  listApplications(filter?: { state?: ApplicationState; limit?: number }): ApplicationSummary[];
  /** Failed first, then those waiting, then the rest; newest first within each (the staff queue). */
  listNeedingAttentionFirst(limit: number): ApplicationSummary[];
  /** Applications with a case number whose case is not closed yet, least recently checked first. */
  openCases(filter: { applicationId?: string; limit: number }): string[];
  countsByService(fromIso: string, toIso: string): ServiceCounts[];
  getApplication(id: string): Result<StoredApplication, ReadError>;
  readAttachment(id: string, sha256: string): Result<{ bytes: Buffer; mime: string }, ReadError>;
  /** The platform acknowledged: case number received. Starts the retention grace period. */
  markSubmitted(id: string, caseNumber: string, caseStatus: CaseStatus): void;
  markFailed(id: string, reason: string): void;
  /** Staff asked to try again: back in the queue, error cleared. */
  requeue(id: string): void;
  recordCaseStatus(
    id: string,
    status: CaseStatus,
    history: ReadonlyArray<{ status: CaseStatus; at: string; note?: string }>,
  ): void;
  caseHistory(id: string): Array<{ status: CaseStatus; at: string; note: string | null }>;
  /**
   * Still holding personal data and due (retention): acknowledged at or before `cutoffIso`, or
   * refused for good (failed) and created at or before `failedCutoffIso`.
   */
  dueForPurge(cutoffIso: string, failedCutoffIso?: string): string[];
  /** Deletes the answers, document and signature images, card fields and hall notes; the figures stay. */
  purgePersonalData(id: string, at: string): void;
}

export function createApplicationRepository(
  db: Db,
  cipher: FieldCipher,
  options: RepositoryOptions,
): ApplicationRepository {
  const now = () => new Date(options.clock.now()).toISOString();

  const nextLocalNumber = db.prepare(
    `INSERT INTO local_number_sequences (terminal_code, day, last) VALUES (?, ?, 1)
     ON CONFLICT (terminal_code, day) DO UPDATE SET last = last + 1 RETURNING last`,
  );
  const insertApplication = db.prepare(
    `INSERT INTO applications (id, local_number, terminal_id, service_code, created_at, state, helper_staff_id, on_behalf,
       consent_version, consent_at, signature_sha256, mark_witness_staff_id, remote_call_id, remote_officer_id,
       spoken_confirmed_at, spoken_witness_staff_id, parties_enc)
     VALUES (@id, @local_number, @terminal_id, @service_code, @created_at, 'queued', @helper_staff_id, @on_behalf,
       @consent_version, @consent_at, @signature_sha256, @mark_witness_staff_id, @remote_call_id, @remote_officer_id,
       @spoken_confirmed_at, @spoken_witness_staff_id, @parties_enc)`,
  );
  const insertAnswer = db.prepare(
    'INSERT INTO application_answers (application_id, question_id, value_enc) VALUES (?, ?, ?)',
  );
  const insertAttachment = db.prepare(
    `INSERT INTO attachments (application_id, sha256, role, label, mime, size, ordinal, content_enc)
     VALUES (@application_id, @sha256, @role, @label, @mime, @size, @ordinal, @content_enc) ON CONFLICT DO NOTHING`,
  );
  const selectRow = db.prepare('SELECT * FROM applications WHERE id = ?');

  const create = db.transaction((input: NewApplication, id: string, createdAt: string) => {
    const day = localDay(new Date(options.clock.now())).replace(/-/g, '');
    const { last } = nextLocalNumber.get(options.terminalCode, day) as { last: number };
    const localNumber = `${options.terminalCode}-${day}-${String(last).padStart(4, '0')}`;
    const signatureSha256 = sha256Hex(input.signature);
    const parties: Parties = { applicant: input.applicant };
    if (input.onBehalf) parties.representative = input.onBehalf.representative;
    if (input.helper?.name !== undefined) parties.helperName = input.helper.name;

    insertApplication.run({
      id,
      local_number: localNumber,
      terminal_id: options.terminalId,
      service_code: input.serviceCode,
      created_at: createdAt,
      helper_staff_id: input.helper?.staffId ?? null,
      on_behalf: input.onBehalf?.relationship ?? null,
      consent_version: input.consent.textVersion,
      consent_at: input.consent.at,
      signature_sha256: signatureSha256,
      mark_witness_staff_id: input.signatureMark?.witnessStaffId ?? null,
      remote_call_id: input.remoteAssistance?.callId ?? null,
      remote_officer_id: input.remoteAssistance?.officerId ?? null,
      spoken_confirmed_at: input.signatureSpoken?.confirmedAt ?? null,
      spoken_witness_staff_id: input.signatureSpoken?.witnessStaffId ?? null,
      parties_enc: cipher.encryptJson(parties, fieldContexts.parties(id)),
    });
    for (const [questionId, value] of Object.entries(input.answers)) {
      insertAnswer.run(id, questionId, cipher.encryptJson(value, fieldContexts.answer(id, questionId)));
    }
    const files = [
      ...input.attachments.map((a) => ({ ...a, role: 'document' as const })),
      { bytes: input.signature, mime: 'image/png', label: 'signature', role: 'signature' as const },
    ];
    const refs = files.map((file, ordinal) => {
      const sha256 = sha256Hex(file.bytes);
      insertAttachment.run({
        application_id: id,
        sha256,
        role: file.role,
        label: file.label,
        mime: file.mime,
        size: file.bytes.byteLength,
        ordinal,
        content_enc: cipher.encrypt(file.bytes, fieldContexts.attachment(id, sha256)),
      });
      return sha256;
    });
    options.outbox.enqueue(
      [
        ...refs.map((ref) => ({ kind: 'attachment' as const, applicationId: id, ref })),
        { kind: 'application', applicationId: id, ref: '' },
      ],
      createdAt,
    );
    return selectRow.get(id) as ApplicationRow;
  });

  const getSummary = (id: string) => {
    const row = selectRow.get(id) as ApplicationRow | undefined;
    return row ? toSummary(row) : undefined;
  };

  const getApplication = (id: string): Result<StoredApplication, ReadError> => {
    const row = selectRow.get(id) as ApplicationRow | undefined;
    if (!row) return err({ kind: 'not-found', id });
    if (row.personal_purged_at !== null || row.parties_enc === null)
      return err({ kind: 'purged', id, at: row.personal_purged_at ?? '' });
    const partiesJson = cipher.decryptJson(row.parties_enc, fieldContexts.parties(id));
    if (!partiesJson.ok) return err({ kind: 'decrypt-failed', id, error: partiesJson.error });
    const parties = partiesSchema.safeParse(partiesJson.value);
    if (!parties.success)
      return err({
        kind: 'decrypt-failed',
        id,
        error: { kind: 'malformed', reason: 'parties do not match the schema' },
      });
    const answers: Record<string, unknown> = {};
    for (const a of db
      .prepare('SELECT question_id, value_enc FROM application_answers WHERE application_id = ?')
      .all(id) as Array<{ question_id: string; value_enc: Buffer }>) {
      const value = cipher.decryptJson(a.value_enc, fieldContexts.answer(id, a.question_id));
      if (!value.ok) return err({ kind: 'decrypt-failed', id, error: value.error });
      answers[a.question_id] = value.value;
    }
    const attachments = db
      .prepare('SELECT sha256, role, label, mime, size FROM attachments WHERE application_id = ? ORDER BY ordinal')
      .all(id) as StoredAttachment[];
    return ok({
      ...toSummary(row),
      applicant: parties.data.applicant,
      representative: parties.data.representative ?? null,
      helperName: parties.data.helperName ?? null,
      answers,
      attachments,
      signatureSha256: row.signature_sha256,
      markWitnessStaffId: row.mark_witness_staff_id,
      remoteAssistance:
        row.remote_call_id === null || row.remote_officer_id === null
          ? null
          : { callId: row.remote_call_id, officerId: row.remote_officer_id },
      spokenSignature:
        row.spoken_confirmed_at === null
          ? null
          : { confirmedAt: row.spoken_confirmed_at, witnessStaffId: row.spoken_witness_staff_id },
      consent: { accepted: true, textVersion: row.consent_version, at: row.consent_at },
    });
  };

  const touch = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

  return {
    createApplication(input) {
      const parsed = newApplicationSchema.safeParse(input);
      if (!parsed.success)
        return err({ kind: 'invalid', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      try {
        return ok(toSummary(create(input, randomUUID(), now())));
      } catch (cause) {
        return err({
          kind: 'storage-failed',
          reason: cause instanceof Error ? cause.message : String(cause),
          full: isDiskFull(cause),
        });
      }
    },
    getSummary,
    findByLocalNumber(localNumber) {
      const row = db.prepare('SELECT * FROM applications WHERE local_number = ?').get(localNumber) as
        ApplicationRow | undefined;
      return row ? toSummary(row) : undefined;
    },
    listApplications(filter = {}) {
      const rows = (
        filter.state
          ? db
              .prepare('SELECT * FROM applications WHERE state = ? ORDER BY created_at DESC LIMIT ?')
              .all(filter.state, filter.limit ?? 100)
          : db.prepare('SELECT * FROM applications ORDER BY created_at DESC LIMIT ?').all(filter.limit ?? 100)
      ) as ApplicationRow[];
      return rows.map(toSummary);
    },
    listNeedingAttentionFirst(limit) {
      return (
        db
          .prepare(
            `SELECT * FROM applications
             ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, created_at DESC LIMIT ?`,
          )
          .all(limit) as ApplicationRow[]
      ).map(toSummary);
    },
    openCases({ applicationId, limit }) {
      const closed = [...closedCaseStatuses];
      const open = `case_number IS NOT NULL AND (case_status IS NULL OR case_status NOT IN (${closed.map(() => '?').join(', ')}))`;
      const rows = (
        applicationId === undefined
          ? db
              .prepare(`SELECT id FROM applications WHERE ${open} ORDER BY COALESCE(status_checked_at, '') LIMIT ?`)
              .all(...closed, limit)
          : db
              .prepare(`SELECT id FROM applications WHERE id = ? AND ${open} LIMIT ?`)
              .all(applicationId, ...closed, limit)
      ) as Array<{ id: string }>;
      return rows.map((r) => r.id);
    },
    countsByService(fromIso, toIso) {
      return db
        .prepare(
          `SELECT service_code AS serviceCode, COUNT(*) AS total,
                  COALESCE(SUM(state = 'submitted'), 0) AS submitted, COALESCE(SUM(state = 'queued'), 0) AS waiting,
                  COALESCE(SUM(state = 'failed'), 0) AS failed, COALESCE(SUM(helper_staff_id IS NOT NULL), 0) AS assisted
           FROM applications WHERE created_at >= ? AND created_at < ? GROUP BY service_code ORDER BY total DESC, service_code`,
        )
        .all(fromIso, toIso) as ServiceCounts[];
    },
    getApplication,
    readAttachment(id, sha256) {
      const row = db
        .prepare('SELECT mime, content_enc FROM attachments WHERE application_id = ? AND sha256 = ?')
        .get(id, sha256) as { mime: string; content_enc: Buffer | null } | undefined;
      if (!row) return err({ kind: 'not-found', id });
      if (row.content_enc === null) return err({ kind: 'purged', id, at: getSummary(id)?.personalPurgedAt ?? '' });
      const bytes = cipher.decrypt(row.content_enc, fieldContexts.attachment(id, sha256));
      if (!bytes.ok) return err({ kind: 'decrypt-failed', id, error: bytes.error });
      return ok({ bytes: bytes.value, mime: row.mime });
    },
    markSubmitted(id, caseNumber, caseStatus) {
      touch(
        `UPDATE applications SET state = 'submitted', case_number = ?, case_status = ?, final_error = NULL,
           acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?`,
        caseNumber,
        caseStatus,
        now(),
        id,
      );
    },
    markFailed(id, reason) {
      touch(
        `UPDATE applications SET state = 'failed', final_error = ? WHERE id = ? AND state != 'submitted'`,
        reason,
        id,
      );
    },
    requeue(id) {
      touch(`UPDATE applications SET state = 'queued', final_error = NULL WHERE id = ? AND state = 'failed'`, id);
    },
    recordCaseStatus(id, status, history) {
      db.transaction(() => {
        touch('UPDATE applications SET case_status = ?, status_checked_at = ? WHERE id = ?', status, now(), id);
        const insert = db.prepare(
          'INSERT INTO case_history (application_id, status, at, note) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        );
        for (const h of history) insert.run(id, h.status, h.at, h.note ?? null);
      })();
    },
    dueForPurge(cutoffIso, failedCutoffIso = '') {
      return (
        db
          .prepare(
            `SELECT id FROM applications WHERE personal_purged_at IS NULL
               AND ((acknowledged_at IS NOT NULL AND acknowledged_at <= ?) OR (state = 'failed' AND created_at <= ?))`,
          )
          .all(cutoffIso, failedCutoffIso) as Array<{ id: string }>
      ).map((r) => r.id);
    },
    purgePersonalData(id, at) {
      db.transaction(() => {
        touch('DELETE FROM application_answers WHERE application_id = ?', id);
        touch('UPDATE attachments SET content_enc = NULL WHERE application_id = ?', id);
        // Hall staff write notes in free text ("请补充…"); they may name the resident.
        touch('UPDATE case_history SET note = NULL WHERE application_id = ?', id);
        touch('UPDATE applications SET parties_enc = NULL, personal_purged_at = ? WHERE id = ?', at, id);
      })();
    },
    caseHistory(id) {
      return db
        .prepare('SELECT status, at, note FROM case_history WHERE application_id = ? ORDER BY at')
        .all(id) as Array<{
        status: CaseStatus;
        at: string;
        note: string | null;
      }>;
    },
  };
}
