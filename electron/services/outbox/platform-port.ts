/**
 * The one seam between the kiosk's outbox and an online platform. The outbox worker only ever talks
 * to this interface; electron/services/platform-client/ implements it over the reference HTTP
 * contract (docs/platform-contract.md), tests use an in-memory fake. Expected failures are values: a failure says
 * whether a retry can help ('retryable') or not ('final'), so the worker needs no HTTP knowledge.
 */
import type { z } from 'zod';
import { assertNever, type Result } from '../../../foundation/result';
import {
  applicationSubmissionSchema,
  cardFieldsSchema,
  caseStatusSchema,
} from '../../../platform/contract/api-schemas';

/**
 * Why the platform refuses this terminal itself (not the application): its clock is off (offset =
 * terminal minus platform, when the answer carried a Date), or its key is not enrolled there. The
 * application is fine and waits; it goes once the cause is gone.
 */
export type PlatformHold = { kind: 'clock'; offsetMs: number | null } | { kind: 'not-enrolled' };

export type PortFailure =
  | { kind: 'retryable'; reason: string; retryAfterMs?: number } // 5xx, 408, 429 (+Retry-After), network errors, timeouts
  | { kind: 'held'; hold: PlatformHold; reason: string } // 401 for the terminal's clock or enrolment: retried, never final
  | { kind: 'final'; status: number; reason: string; fieldErrors?: Record<string, string> }; // other 4xx

/** One line for logs and replies: the reason, and the status and field errors of a refusal. */
export function describePortFailure(failure: PortFailure): string {
  switch (failure.kind) {
    case 'retryable':
    case 'held':
      return failure.reason;
    case 'final': {
      const fields = failure.fieldErrors ? Object.entries(failure.fieldErrors).map(([k, v]) => `${k}: ${v}`) : [];
      return [`${failure.status} ${failure.reason}`, ...fields].join('; ');
    }
    default:
      return assertNever(failure, 'port failure');
  }
}

/**
 * The fields a refusal named, read back from its one line (describePortFailure's format: `422 Reason;
 * field: detail; …`), so staff can be told which answer the platform did not accept. Empty for any
 * other line.
 */
export function refusedFields(line: string): Array<{ field: string; detail: string }> {
  const [head, ...rest] = line.split('; ');
  if (head === undefined || !/^4\d\d /.test(head)) return [];
  return rest.flatMap((part) => {
    const at = part.indexOf(': ');
    return at <= 0 ? [] : [{ field: part.slice(0, at), detail: part.slice(at + 2) }];
  });
}

export type CaseStatus = 'submitted' | 'accepted' | 'needs-material' | 'completed' | 'rejected';
// The union is spelled out for readers of this interface; the compiler holds it equal to the contract's enum.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const caseStatusMatchesContract: Same<CaseStatus, z.infer<typeof caseStatusSchema>> = true;
void caseStatusMatchesContract;

// The wire shapes live in the platform contract, shared with the reference server; re-exported here
// so outbox code and the store name one place.
export { applicationSubmissionSchema, cardFieldsSchema, caseStatusSchema };

/** A case that reached one of these will not change again: no more status polling. */
export const closedCaseStatuses: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['completed', 'rejected']);

/** Text fields of an identity card as read by the ID reader (docs/devices/id-card-reader.md). Dates are YYYYMMDD; validUntil may be '长期'. */
export type CardFields = z.infer<typeof cardFieldsSchema>;

/** What the resident agreed to on screen, and when; the text version lets the platform show the exact wording. */
export const consentSchema = applicationSubmissionSchema.shape.consent;
export type Consent = z.infer<typeof consentSchema>;

/**
 * { id (UUID v4, also the Idempotency-Key), localNumber, terminalId, serviceCode, createdAt, applicant,
 * answers, attachments [{sha256, mime, size, label}] (uploaded first), signatureSha256 (uploaded too),
 * helper?, onBehalf?, consent }
 */
export type ApplicationSubmission = z.infer<typeof applicationSubmissionSchema>;

export type RatingLevel = 1 | 2 | 3 | 4 | 5;

export interface PlatformPort {
  uploadAttachment(
    applicationId: string,
    sha256: string,
    mime: string,
    bytes: Uint8Array,
  ): Promise<Result<void, PortFailure>>;
  submitApplication(
    submission: ApplicationSubmission,
    idempotencyKey: string,
  ): Promise<
    Result<
      {
        caseNumber: string;
        status: string;
        duplicate: boolean;
        /** Only for a submission claiming remote help: whether the platform recorded that claim. */
        remoteAssistance?: 'recorded' | 'not-recorded';
      },
      PortFailure
    >
  >;
  getApplicationStatus(
    applicationId: string,
  ): Promise<
    Result<
      { status: CaseStatus; caseNumber: string; history: Array<{ status: CaseStatus; at: string; note?: string }> },
      PortFailure
    >
  >;
  submitRating(rating: {
    applicationId: string;
    caseNumber?: string;
    level: RatingLevel;
    reasons?: string[];
    comment?: string;
  }): Promise<Result<void, PortFailure>>;
  /** The terminal's diagnostic bundle (no personal data), on a fleet command. */
  uploadDiagnostics(bundle: string): Promise<Result<{ sha256: string; size: number }, PortFailure>>;
  heartbeat(beat: {
    version: string;
    devices: Record<string, string>;
    outboxDepth: number;
    oldestUnsentAt: string | null;
    /** The audit chain's newest row: the platform keeps it, so a log rewritten later no longer matches. */
    auditHead?: { sequence: number; hash: string };
  }): Promise<Result<void, PortFailure>>;
  fetchCatalog(
    etag: string | null,
  ): Promise<Result<{ notModified: true } | { notModified: false; etag: string; body: unknown }, PortFailure>>;
}

/** HTTP status → failure kind, per docs/platform-contract.md: 4xx other than 408/429 is final, everything else is retried. */
export function isFinalStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
