/**
 * One-time enrolment codes, always bound to one terminal id. A `rekey` code is an admin's explicit
 * permission to replace the key of a terminal already enrolled; every code issued is audited.
 * Used by the hall's admin page, `npm run platform -- terminal code|rekey` and the embedded setup.
 */
import { err, ok, type Result } from '../../foundation/result';
import { terminalIdSchema } from '../contract/api-schemas';
import { newEnrolmentCode, normalizeEnrolmentCode, type EnrolmentCodePurpose, type PlatformStore } from './platform-db';

export interface EnrolmentCodeRequest {
  readonly terminalId: string;
  readonly purpose: EnrolmentCodePurpose;
  /** Who allowed it, for the audit log: an admin's account name, `cli:<user>`, or the embedded setup. */
  readonly issuedBy: string;
  /** Use this code (e.g. agreed in advance) instead of a random one. */
  readonly code?: string;
  readonly ttlMs?: number;
}

export const defaultCodeTtlMs = 24 * 3600_000;

export function issueEnrolmentCode(
  store: PlatformStore,
  now: Date,
  request: EnrolmentCodeRequest,
): Result<string, string> {
  if (!terminalIdSchema.safeParse(request.terminalId).success)
    return err(`terminal id "${request.terminalId}": letters, digits and dashes, 3–40 characters`);
  const enrolled = store.terminal(request.terminalId) !== undefined;
  if (request.purpose === 'enrol' && enrolled)
    return err(`terminal ${request.terminalId} is already enrolled: a new key needs a re-key code`);
  let code = newEnrolmentCode();
  if (request.code !== undefined) {
    const normalized = normalizeEnrolmentCode(request.code);
    if (!/^[0-9A-Z]{8}$/.test(normalized)) return err('an enrolment code is 8 letters or digits, such as K7QP-M2XD');
    code = `${normalized.slice(0, 4)}-${normalized.slice(4)}`;
  }
  store.addEnrolmentCode(
    code,
    now,
    request.ttlMs ?? defaultCodeTtlMs,
    request.terminalId,
    request.purpose,
    request.issuedBy,
  );
  store.audit(
    {
      actor: request.issuedBy,
      action: 'terminal.code-issued',
      terminalId: request.terminalId,
      detail: request.purpose,
    },
    now,
  );
  return ok(code);
}
