/**
 * Checks a receipt: a scanned payload against the issuing terminal's keys (the current one, or a
 * retired one for receipts issued before it was retired), or a typed number with its verification
 * code against the platform's record. The hall (signed in) sees the case; anyone else learns only
 * what the paper already shows (`publicAnswer`).
 */
import { timingSafeEqual } from 'node:crypto';
import type {
  ReceiptVerifyRequest,
  ReceiptVerifyResponse,
  WireApplicationSubmission,
  WireCaseStatus,
} from '../contract/api-schemas';
import {
  describeReceiptFailure,
  normalizeVerificationCode,
  parseReceiptPayload,
  verificationCode,
  verifyReceiptPayload,
  type ReceiptContents,
} from '../contract/receipt-payload';
import { parsePublicKey } from '../contract/terminal-identity';
import type { PlatformContext } from './platform-context';
import type { ApplicationRow } from './platform-db';

export type ReceiptCheck =
  | { readonly valid: false; readonly reason: string }
  | {
      readonly valid: true;
      /** The signed contents; null for a typed number and code, which carry no payload. */
      readonly receipt: ReceiptContents | null;
      readonly verificationCode: string;
      /** Null when the receipt is genuine but the application has not arrived (printed offline). */
      readonly row: ApplicationRow | null;
    };

/** A case as a signed-in hall officer sees it: the applicant masked, documents listed, history. */
export interface HallCase {
  readonly applicationId: string;
  readonly caseNumber: string;
  readonly localNumber: string;
  readonly terminalId: string;
  readonly serviceCode: string;
  readonly status: WireCaseStatus;
  readonly receivedAt: string;
  readonly applicant: { readonly maskedName: string; readonly maskedIdNumber: string };
  /** Null once retention deleted the documents. */
  readonly documents: ReadonlyArray<{ sha256: string; label: string; mime: string; size: number }> | null;
  /** How the resident signed: their name, or a mark (不会写字) a member of staff witnessed; null once retention deleted the body. */
  readonly signature:
    | { kind: 'name' }
    | { kind: 'mark'; witnessStaffId: string }
    /** Confirmed with the keypad's enter key in the audio keypad mode; a witness when staff saw it. */
    | { kind: 'spoken'; confirmedAt: string; witnessStaffId: string | null }
    | null;
  /** The hall officer who helped by video (远程帮办), checked when the application arrived; null once retention deleted the body. */
  readonly remoteAssistance: { officerId: string; callId: string } | null;
  readonly history: ReadonlyArray<{ status: WireCaseStatus; at: string; note?: string }>;
}

export function hallCase(ctx: PlatformContext, row: ApplicationRow): HallCase {
  const body = ctx.store.applicationBody(row.application_id);
  // The body was checked against applicationSubmissionSchema when it arrived.
  const submission = body === null ? null : (JSON.parse(body) as WireApplicationSubmission);
  const attachments = submission?.attachments ?? null;
  const mark = submission?.signatureMark;
  const spoken = submission?.signatureSpoken;
  return {
    applicationId: row.application_id,
    caseNumber: row.case_number,
    localNumber: row.local_number,
    terminalId: row.terminal_id,
    serviceCode: row.service_code,
    status: row.status,
    receivedAt: row.received_at,
    applicant: { maskedName: row.masked_name, maskedIdNumber: row.masked_id_number },
    documents: attachments?.map(({ sha256, label, mime, size }) => ({ sha256, label, mime, size })) ?? null,
    signature:
      submission === null
        ? null
        : spoken !== undefined
          ? { kind: 'spoken', confirmedAt: spoken.confirmedAt, witnessStaffId: spoken.witnessStaffId ?? null }
          : mark === undefined
            ? { kind: 'name' }
            : { kind: 'mark', witnessStaffId: mark.witnessStaffId },
    remoteAssistance:
      submission?.remoteAssistance === undefined
        ? null
        : { officerId: submission.remoteAssistance.officerId, callId: submission.remoteAssistance.callId },
    history: ctx.store
      .history(row.application_id)
      .map((e) => (e.note === null ? { status: e.status, at: e.at } : { status: e.status, at: e.at, note: e.note })),
  };
}

/** What anyone holding the paper may learn: it is genuine, and what the paper itself says. */
export function publicAnswer(check: ReceiptCheck): ReceiptVerifyResponse {
  if (!check.valid) return { valid: false, reason: check.reason };
  const { receipt, row } = check;
  return {
    valid: true,
    caseNumber: row?.case_number ?? receipt?.caseNumber ?? null,
    localNumber: row?.local_number ?? receipt?.localNumber ?? '',
    serviceCode: row?.service_code ?? receipt?.serviceCode ?? '',
    maskedName: row?.masked_name ?? receipt?.applicant.maskedName ?? '',
    status: row?.status ?? null,
  };
}

function verifyWithKeysOnRecord(ctx: PlatformContext, payload: string, contents: ReceiptContents) {
  const keys = ctx.store.terminalKeys(contents.terminalId);
  if (keys.length === 0) return { ok: false as const, reason: `terminal ${contents.terminalId} is not enrolled here` };
  // A retired key still vouches for what it signed before an admin replaced it, and for nothing after.
  const issued = Date.parse(contents.issuedAt);
  let failure = 'the receipt was not signed by that terminal';
  for (const row of keys) {
    if (row.retired_at !== null && issued >= Date.parse(row.retired_at)) continue;
    const key = parsePublicKey(row.public_key);
    if (!key.ok) continue;
    const verified = verifyReceiptPayload(payload, key.value);
    if (verified.ok) return { ok: true as const, contents: verified.value };
    failure = describeReceiptFailure(verified.error);
  }
  return { ok: false as const, reason: failure };
}

export function checkReceipt(ctx: PlatformContext, request: ReceiptVerifyRequest): ReceiptCheck {
  if ('payload' in request) {
    const payload = request.payload.trim(); // scanners end lines with CR/LF
    const parsed = parseReceiptPayload(payload);
    if (!parsed.ok) return { valid: false, reason: describeReceiptFailure(parsed.error) };
    const verified = verifyWithKeysOnRecord(ctx, payload, parsed.value.contents);
    if (!verified.ok) return { valid: false, reason: verified.reason };
    const receipt = verified.contents;
    const row = ctx.store.application(receipt.applicationId);
    if (
      row !== undefined &&
      (row.terminal_id !== receipt.terminalId ||
        row.local_number !== receipt.localNumber ||
        (receipt.caseNumber !== null && receipt.caseNumber !== row.case_number))
    ) {
      return { valid: false, reason: 'the receipt is signed but does not match the application on record' };
    }
    return { valid: true, receipt, verificationCode: verificationCode(receipt), row: row ?? null };
  }
  const code = normalizeVerificationCode(request.verificationCode);
  const row = ctx.store.applicationByNumber(request.number.trim());
  if (code === null || row === undefined) return { valid: false, reason: 'no application with that number and code' };
  const expected = verificationCode({
    terminalId: row.terminal_id,
    applicationId: row.application_id,
    localNumber: row.local_number,
  });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(code)))
    return { valid: false, reason: 'no application with that number and code' };
  return { valid: true, receipt: null, verificationCode: expected, row };
}
