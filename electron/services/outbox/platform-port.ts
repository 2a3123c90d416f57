/**
 * The one seam between the kiosk's outbox and an online platform. The outbox worker only ever talks
 * to this interface; electron/services/platform-client/ implements it over the reference HTTP
 * contract (PLATFORM.md), tests use an in-memory fake. Expected failures are values: a failure says
 * whether a retry can help ('retryable') or not ('final'), so the worker needs no HTTP knowledge.
 */
import { z } from 'zod';
import type { Result } from '../../../drivers/result';

export type PortFailure =
  | { kind: 'retryable'; reason: string; retryAfterMs?: number } // 5xx, 408, 429 (+Retry-After), network errors, timeouts
  | { kind: 'final'; status: number; reason: string; fieldErrors?: Record<string, string> }; // other 4xx

export type CaseStatus = 'submitted' | 'accepted' | 'needs-material' | 'completed' | 'rejected';
export const caseStatusSchema = z.enum(['submitted', 'accepted', 'needs-material', 'completed', 'rejected']);

/** A case that reached one of these will not change again: no more status polling. */
export const closedCaseStatuses: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['completed', 'rejected']);

const isoDateTime = z.iso.datetime({ offset: true });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');

/**
 * Text fields of an identity card as read by the ID reader (DEVICES.md §1). Resident cards and
 * HK/Macau/Taiwan permits fill the Chinese fields; the foreigner's permanent residence card adds the
 * English name and nationality. Dates are YYYYMMDD as on the card; validUntil may be '长期'.
 */
export const cardFieldsSchema = z.strictObject({
  cardType: z.enum(['resident', 'foreigner-permanent', 'hmt-residence']),
  name: z.string().min(1),
  englishName: z.string().optional(),
  gender: z.enum(['male', 'female', 'unknown', 'unspecified']),
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

/** What the resident agreed to on screen, and when; the text version lets the platform show the exact wording. */
export const consentSchema = z.strictObject({
  accepted: z.literal(true),
  textVersion: z.string().min(1),
  at: isoDateTime,
});
export type Consent = z.infer<typeof consentSchema>;

export const applicationSubmissionSchema = z.strictObject({
  /** UUID v4 made on the terminal; also the Idempotency-Key. */
  id: z.uuid(),
  /** Human-readable number printed on the receipt: TERMINALCODE-YYYYMMDD-NNNN. */
  localNumber: z.string().min(1),
  terminalId: z.string().min(1),
  serviceCode: z.string().min(1),
  createdAt: isoDateTime,
  applicant: cardFieldsSchema,
  answers: z.record(z.string(), z.unknown()),
  /** Uploaded beforehand with uploadAttachment; referenced here by content hash. */
  attachments: z.array(
    z.strictObject({
      sha256: sha256Hex,
      mime: z.string().min(1),
      size: z.int().nonnegative(),
      label: z.string(),
    }),
  ),
  /** The signature PNG is uploaded as an attachment too; this names it. */
  signatureSha256: sha256Hex,
  helper: z.strictObject({ staffId: z.string().min(1), name: z.string().optional() }).optional(),
  onBehalf: z.strictObject({ relationship: z.string().min(1), representative: cardFieldsSchema }).optional(),
  consent: consentSchema,
});
export type ApplicationSubmission = z.infer<typeof applicationSubmissionSchema>;

export type RatingLevel = 1 | 2 | 3 | 4 | 5;

export interface PlatformPort {
  uploadAttachment(applicationId: string, sha256: string, mime: string, bytes: Uint8Array): Promise<Result<void, PortFailure>>;
  submitApplication(
    submission: ApplicationSubmission,
    idempotencyKey: string,
  ): Promise<Result<{ caseNumber: string; status: string; duplicate: boolean }, PortFailure>>;
  getApplicationStatus(
    applicationId: string,
  ): Promise<Result<{ status: CaseStatus; caseNumber: string; history: Array<{ status: CaseStatus; at: string; note?: string }> }, PortFailure>>;
  submitRating(rating: {
    applicationId: string;
    caseNumber?: string;
    level: RatingLevel;
    reasons?: string[];
    comment?: string;
  }): Promise<Result<void, PortFailure>>;
  heartbeat(beat: {
    version: string;
    devices: Record<string, string>;
    outboxDepth: number;
    oldestUnsentAt: string | null;
  }): Promise<Result<void, PortFailure>>;
  fetchCatalog(etag: string | null): Promise<Result<{ notModified: true } | { notModified: false; etag: string; body: unknown }, PortFailure>>;
}

/** HTTP status → failure kind, per PLATFORM.md: 4xx other than 408/429 is final, everything else is retried. */
export function isFinalStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
