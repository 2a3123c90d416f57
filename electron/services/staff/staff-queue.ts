import type { FailureAdvice, QueueItem } from '../../api/staff-contract';
import type { Store } from '../store/store';

/**
 * The staff queue: recent applications with their delivery state on this terminal and, for those
 * that failed or keep failing, the reason and what staff should do about it. Reads only
 * summaries (no personal data), each table through its owner.
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

export function listQueue(store: Pick<Store, 'applications' | 'receipts' | 'outbox'>, limit = 50): QueueItem[] {
  return store.applications.listNeedingAttentionFirst(limit).map((a) => {
    const failed = a.state === 'failed';
    const delivery = store.outbox.delivery(a.id);
    const reason = failed ? (a.finalError ?? delivery.lastError) : a.state === 'queued' ? delivery.lastError : null;
    return {
      applicationId: a.id,
      localNumber: a.localNumber,
      serviceCode: a.serviceCode,
      createdAt: a.createdAt,
      state: failed ? 'failed' : a.state === 'submitted' ? 'submitted' : delivery.sending ? 'sending' : 'waiting',
      caseNumber: a.caseNumber,
      reason,
      advice: adviceFor(reason, failed),
      assisted: a.helperStaffId !== null,
      reprints: store.receipts.reprintCount(a.id),
    };
  });
}
