import type { FailureAdvice, QueueItem } from '../../api/staff-contract';
import type { Db } from '../store/database';

/**
 * The staff queue: recent applications with their delivery state on this terminal and, for those
 * that failed or keep failing, the reason and what staff should do about it. Reads only
 * non-personal columns.
 */
export function adviceFor(reason: string | null, failed: boolean): FailureAdvice | null {
  if (reason === null) return null;
  const status = /^(\d{3}) /.exec(reason)?.[1];
  if (!failed) return 'check-network';
  // The terminal's key or enrolment is not accepted: only a technician can fix that.
  if (status === '401' || status === '403') return 'call-technician';
  // The platform judged the application itself: read its reason, correct with the hall, then retry.
  if (status !== undefined && status.startsWith('4')) return 'fix-and-retry';
  if (reason.startsWith('stored ')) return 'call-technician';
  return 'retry-later';
}

export function listQueue(db: Db, limit = 50): QueueItem[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.local_number, a.service_code, a.created_at, a.state, a.case_number, a.final_error, a.helper_staff_id,
              COALESCE(r.reprint_count, 0) AS reprints,
              (SELECT COUNT(*) FROM outbox o WHERE o.application_id = a.id AND o.state = 'sending') AS sending,
              (SELECT o.last_error FROM outbox o WHERE o.application_id = a.id AND o.kind != 'rating' AND o.last_error IS NOT NULL
                 ORDER BY o.updated_at DESC LIMIT 1) AS last_error
       FROM applications a LEFT JOIN receipts r ON r.application_id = a.id
       ORDER BY CASE a.state WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, a.created_at DESC
       LIMIT ?`,
    )
    .all(limit) as Array<{
    id: string;
    local_number: string;
    service_code: string;
    created_at: string;
    state: 'queued' | 'submitted' | 'failed';
    case_number: string | null;
    final_error: string | null;
    helper_staff_id: string | null;
    reprints: number;
    sending: number;
    last_error: string | null;
  }>;
  return rows.map((r) => {
    const failed = r.state === 'failed';
    const reason = failed ? (r.final_error ?? r.last_error) : r.state === 'queued' ? r.last_error : null;
    return {
      applicationId: r.id,
      localNumber: r.local_number,
      serviceCode: r.service_code,
      createdAt: r.created_at,
      state: failed ? 'failed' : r.state === 'submitted' ? 'submitted' : r.sending > 0 ? 'sending' : 'waiting',
      caseNumber: r.case_number,
      reason,
      advice: adviceFor(reason, failed),
      assisted: r.helper_staff_id !== null,
      reprints: r.reprints,
    };
  });
}
