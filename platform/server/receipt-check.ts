/**
 * Checks a receipt for the hall: a scanned payload against the issuing terminal's enrolled key,
 * or a typed number with its verification code against the platform's record. Used by both
 * POST /v1/receipts/verify and the hall page.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ReceiptApplication, ReceiptVerifyRequest, ReceiptVerifyResponse } from '../contract/api-schemas';
import {
  describeReceiptFailure,
  normalizeVerificationCode,
  parseReceiptPayload,
  verificationCode,
  verifyReceiptPayload,
} from '../contract/receipt-payload';
import { parsePublicKey } from '../contract/terminal-identity';
import type { PlatformContext } from './platform-context';
import type { ApplicationRow } from './platform-db';

export function receiptApplication(ctx: PlatformContext, row: ApplicationRow): ReceiptApplication {
  const body = JSON.parse(row.body) as {
    attachments: Array<{ sha256: string; label: string; mime: string; size: number }>;
  };
  return {
    applicationId: row.application_id,
    caseNumber: row.case_number,
    localNumber: row.local_number,
    terminalId: row.terminal_id,
    serviceCode: row.service_code,
    status: row.status,
    receivedAt: row.received_at,
    applicant: { maskedName: row.masked_name, maskedIdNumber: row.masked_id_number },
    documents: body.attachments.map(({ sha256, label, mime, size }) => ({ sha256, label, mime, size })),
    history: ctx.store
      .history(row.application_id)
      .map((e) => (e.note === null ? { status: e.status, at: e.at } : { status: e.status, at: e.at, note: e.note })),
  };
}

export function checkReceipt(ctx: PlatformContext, request: ReceiptVerifyRequest): ReceiptVerifyResponse {
  if ('payload' in request) {
    const payload = request.payload.trim(); // scanners end lines with CR/LF
    const parsed = parseReceiptPayload(payload);
    if (!parsed.ok) return { valid: false, reason: describeReceiptFailure(parsed.error) };
    const terminal = ctx.store.terminal(parsed.value.contents.terminalId);
    if (terminal === undefined)
      return { valid: false, reason: `terminal ${parsed.value.contents.terminalId} is not enrolled here` };
    const key = parsePublicKey(terminal.public_key);
    if (!key.ok) return { valid: false, reason: 'the terminal key on record is unreadable' };
    const verified = verifyReceiptPayload(payload, key.value);
    if (!verified.ok) return { valid: false, reason: describeReceiptFailure(verified.error) };
    const receipt = verified.value;
    const row = ctx.store.application(receipt.applicationId);
    if (
      row !== undefined &&
      (row.terminal_id !== receipt.terminalId ||
        row.local_number !== receipt.localNumber ||
        (receipt.caseNumber !== null && receipt.caseNumber !== row.case_number))
    ) {
      return { valid: false, reason: 'the receipt is signed but does not match the application on record' };
    }
    return {
      valid: true,
      receipt,
      verificationCode: verificationCode(receipt),
      application: row === undefined ? null : receiptApplication(ctx, row),
    };
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
  return { valid: true, receipt: null, verificationCode: expected, application: receiptApplication(ctx, row) };
}
