/**
 * Wire shapes of the reference platform contract, version 1 (docs/platform-contract.md). Both the
 * kiosk's HTTP client and the reference server parse with these, so neither can drift alone.
 * Errors are RFC 9457 problem details with an optional `fieldErrors` extension member.
 */
import { z } from 'zod';
import { remoteAssistanceSchema } from './remote-help';
import { cardTypes, genders } from '../../foundation/id-card-vocabulary';
import { documentTypes, type DocumentType } from '../../foundation/document-types';

const isoDateTime = z.iso.datetime({ offset: true });
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
export const terminalIdSchema = z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'letters, digits and dashes, 3–40 characters');

// ---------------------------------------------------------------- problem details (RFC 9457)

export const problemDetailsSchema = z.looseObject({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.int().min(100).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** Extension: field path (dot-separated) → what is wrong, for 422 responses. */
  fieldErrors: z.record(z.string(), z.string()).optional(),
  /** Extension: a machine-readable refusal reason (the signature failure kind of a 401). */
  reason: z.string().optional(),
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;
export const problemContentType = 'application/problem+json';

// ---------------------------------------------------------------- enrolment

export const enrolmentCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/, 'an enrolment code such as K7QP-M2XD');
export const enrolRequestSchema = z.strictObject({
  code: enrolmentCodeSchema,
  terminalId: terminalIdSchema,
  /** Raw Ed25519 public key, base64url (43 characters). The request is signed with its private half. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;
/** The terminal's own account at the county's fleet broker, issued at enrolment when the platform runs one (docs/fleet.md). */
export const fleetCredentialsSchema = z.strictObject({
  username: terminalIdSchema,
  password: z.string().min(16).max(200),
});
export type FleetCredentials = z.infer<typeof fleetCredentialsSchema>;

export const enrolResponseSchema = z.strictObject({
  terminalId: terminalIdSchema,
  fingerprint: z.string(),
  enrolledAt: isoDateTime,
  fleet: fleetCredentialsSchema.optional(),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

// ---------------------------------------------------------------- applications

export const caseStatusSchema = z.enum(['submitted', 'accepted', 'needs-material', 'completed', 'rejected']);
export type WireCaseStatus = z.infer<typeof caseStatusSchema>;

/** Text fields of an identity card as the ID reader gives them (docs/devices/id-card-reader.md). */
export const cardFieldsSchema = z.strictObject({
  // The same names as the ID-card driver and `kiosk id-card read --json`.
  cardType: z.enum(cardTypes),
  name: z.string().min(1),
  englishName: z.string().optional(),
  gender: z.enum(genders),
  nation: z.string().optional(),
  nationality: z.string().optional(),
  birthDate: z.string().regex(/^\d{8}$/),
  address: z.string().optional(),
  idNumber: z.string().min(1),
  issuingAuthority: z.string().optional(),
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
  passNumber: z.string().optional(),
});
export type CardFields = z.infer<typeof cardFieldsSchema>;

export const applicationSubmissionSchema = z
  .strictObject({
    /** UUID made on the terminal; also the Idempotency-Key. */
    id: z.uuid(),
    localNumber: z.string().min(1),
    terminalId: z.string().min(1),
    serviceCode: z.string().min(1),
    createdAt: isoDateTime,
    applicant: cardFieldsSchema,
    answers: z.record(z.string(), z.unknown()),
    attachments: z.array(
      z.strictObject({
        sha256: sha256HexSchema,
        mime: z.string().min(1),
        size: z.int().nonnegative(),
        label: z.string(),
      }),
    ),
    signatureSha256: sha256HexSchema,
    /**
     * Present when the resident could not write (不会写字) and drew a mark instead of a name: the
     * member of staff who confirmed it on the spot. Absent: the resident wrote their name.
     */
    signatureMark: z.strictObject({ witnessStaffId: z.string().min(1).max(40) }).optional(),
    /**
     * Present when the resident could not see and used the terminal's audio keypad mode: instead of
     * signing they heard the confirmation and pressed the enter key (the signature image then shows
     * the words they confirmed); a member of staff may have witnessed it. Never together with a mark.
     */
    signatureSpoken: z
      .strictObject({ confirmedAt: isoDateTime, witnessStaffId: z.string().min(1).max(40).optional() })
      .optional(),
    helper: z.strictObject({ staffId: z.string().min(1), name: z.string().optional() }).optional(),
    /**
     * Present when an officer helped by video (远程帮办) and the resident accepted an answer the
     * officer proposed: the platform checks the call was this terminal's and answered by that officer.
     */
    remoteAssistance: remoteAssistanceSchema.optional(),
    onBehalf: z.strictObject({ relationship: z.string().min(1), representative: cardFieldsSchema }).optional(),
    consent: z.strictObject({ accepted: z.literal(true), textVersion: z.string().min(1), at: isoDateTime }),
  })
  .refine((s) => s.signatureMark === undefined || s.signatureSpoken === undefined, {
    message: 'a signature is a mark or a spoken confirmation, not both',
    path: ['signatureSpoken'],
  });
export type WireApplicationSubmission = z.infer<typeof applicationSubmissionSchema>;

/** Body of 201 (first submission) and 200 (a repeat, with the original result). */
export const applicationAcceptedSchema = z.strictObject({
  applicationId: z.uuid(),
  caseNumber: z.string().min(1),
  status: caseStatusSchema,
  receivedAt: isoDateTime,
  duplicate: z.boolean(),
  /**
   * Only when the submission claimed `remoteAssistance`: whether the platform recorded it. A claim it
   * cannot verify (not a call of this terminal answered by that officer) is dropped and audited; the
   * application is accepted all the same.
   */
  remoteAssistance: z.enum(['recorded', 'not-recorded']).optional(),
});
export type ApplicationAccepted = z.infer<typeof applicationAcceptedSchema>;

export const statusEventSchema = z.strictObject({
  status: caseStatusSchema,
  at: isoDateTime,
  note: z.string().optional(),
});
export const applicationStatusSchema = z.strictObject({
  applicationId: z.uuid(),
  caseNumber: z.string().min(1),
  serviceCode: z.string(),
  status: caseStatusSchema,
  history: z.array(statusEventSchema),
});
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

export const attachmentStoredSchema = z.strictObject({
  sha256: sha256HexSchema,
  size: z.int().nonnegative(),
  duplicate: z.boolean(),
});
/** Largest document image the platform takes (a 1080p JPEG is well under 1 MiB). */
export const maxAttachmentBytes = 8 * 1024 * 1024;

// ---------------------------------------------------------------- diagnostics

/** A terminal's diagnostic bundle (the technician's export: 200 log lines and figures, ~50 KiB). */
export const maxDiagnosticsBytes = 1024 * 1024;
export const diagnosticsStoredSchema = z.strictObject({ sha256: sha256HexSchema, size: z.int().nonnegative() });

// ---------------------------------------------------------------- ratings and heartbeats

export const ratingRequestSchema = z.strictObject({
  applicationId: z.uuid(),
  caseNumber: z.string().min(1).optional(),
  /** 5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意 */
  level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  reasons: z.array(z.string().min(1).max(40)).max(10).optional(),
  comment: z.string().max(500).optional(),
});
export type RatingRequest = z.infer<typeof ratingRequestSchema>;
export const ratingStoredSchema = z.strictObject({
  applicationId: z.uuid(),
  level: z.int().min(1).max(5),
  duplicate: z.boolean(),
});

/** The terminal update agent's last outcome (installed, rolled back, refused …) and why; no personal data. */
export const terminalUpdateReportSchema = z.strictObject({
  outcome: z.enum(['up-to-date', 'deferred', 'installed', 'rolled-back', 'refused', 'failed']),
  at: z.string().max(40),
  installedVersion: z.string().max(60),
  targetVersion: z.string().max(60).nullable(),
  reason: z.string().max(300),
});
export type TerminalUpdateReport = z.infer<typeof terminalUpdateReportSchema>;

export const heartbeatRequestSchema = z.strictObject({
  version: z.string().min(1).max(40),
  devices: z.record(z.string().max(40), z.string().max(200)),
  outboxDepth: z.int().nonnegative(),
  oldestUnsentAt: isoDateTime.nullable(),
  /**
   * The newest entry of the terminal's hash-chained audit log. The platform keeps every head it
   * is sent, so a log later cut back or rewritten on the terminal no longer matches.
   */
  auditHead: z.strictObject({ sequence: z.int().nonnegative(), hash: sha256HexSchema }).optional(),
  update: terminalUpdateReportSchema.optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

// ---------------------------------------------------------------- receipts

export const receiptVerifyRequestSchema = z.union([
  z.strictObject({ payload: z.string().min(1).max(2000) }),
  /** Manual entry at the hall: the printed case or local number and the ten-digit verification code. */
  z.strictObject({ number: z.string().min(1).max(40), verificationCode: z.string().regex(/^[\d\s-]{10,14}$/) }),
]);
export type ReceiptVerifyRequest = z.infer<typeof receiptVerifyRequestSchema>;

/**
 * The answer to anyone holding a receipt: exactly what the paper already shows, and whether it is
 * genuine. The application itself (documents, history) is for signed-in hall officers only.
 */
export const receiptVerifyResponseSchema = z.discriminatedUnion('valid', [
  z.strictObject({
    valid: z.literal(true),
    /** Null when the receipt was printed offline and the application has not reached the platform yet. */
    caseNumber: z.string().nullable(),
    localNumber: z.string(),
    serviceCode: z.string(),
    maskedName: z.string(),
    /** Null while the application has not reached the platform. */
    status: caseStatusSchema.nullable(),
  }),
  z.strictObject({ valid: z.literal(false), reason: z.string() }),
]);
export type ReceiptVerifyResponse = z.infer<typeof receiptVerifyResponseSchema>;

/** Zod issues → the `fieldErrors` member of a 422: `attachments.0.sha256` → message (first issue per path). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return fields;
}

// ---------------------------------------------------------------- documents (查询打印, docs/platform-contract.md)

export const documentTypeSchema = z.enum(documentTypes);
export type { DocumentType };

export const documentRequestSchema = z.strictObject({
  type: documentTypeSchema,
  applicant: cardFieldsSchema,
  /** The last N months, for records (ignored by proofs that state a current fact). */
  months: z.int().min(1).max(36),
});
export type DocumentRequest = z.infer<typeof documentRequestSchema>;

/** Largest PDF the platform sends: 36 months of records with a seal is well under 200 KiB. */
export const maxDocumentBytes = 2 * 1024 * 1024;

export const documentResponseSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('issued'),
    documentNumber: z.string().min(1).max(40),
    issuedAt: isoDateTime,
    issuingOffice: z.string().min(1),
    pageCount: z.int().positive(),
    sha256: sha256HexSchema,
    /** The PDF itself, base64. */
    pdf: z.base64().max(Math.ceil((maxDocumentBytes * 4) / 3) + 4),
  }),
  /** The platform holds no record of that person for that document: said plainly, never an empty table. */
  z.strictObject({ outcome: z.literal('no-record'), message: z.string().min(1) }),
]);
export type DocumentResponse = z.infer<typeof documentResponseSchema>;

/**
 * What anyone holding the paper learns at the public verification: that a document with this number
 * and hash was issued to this masked person on this date, with the platform's Ed25519 signature over
 * that record (checkable offline with the published key), and nothing more.
 */
export const documentVerifyResponseSchema = z.discriminatedUnion('valid', [
  z.strictObject({
    valid: z.literal(true),
    documentNumber: z.string(),
    title: z.string(),
    sha256: sha256HexSchema,
    maskedName: z.string(),
    issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    signature: z.string(),
    publicKey: z.string(),
  }),
  z.strictObject({ valid: z.literal(false), reason: z.string() }),
]);
export type DocumentVerifyResponse = z.infer<typeof documentVerifyResponseSchema>;
