import { err, ok, type Result } from '../../../foundation/result';
import type { Refusal } from '../../api/failures';
import type { PrintOutcome } from '../../api/journey-contract';
import type { FailureAdvice, QueueItem } from '../../api/staff-contract';
import { readPlatformHold, type StandingHold } from '../outbox/outbox-status';
import { refusedFields } from '../outbox/platform-port';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { ReceiptService } from '../receipt/receipt-service';
import type { Store } from '../store/store';
import type { Actor } from './staff-guard';

/**
 * The staff queue: recent applications with their delivery state on this terminal and, for those
 * that failed or keep failing, the reason and what staff should do about it; sending one again
 * and reprinting its receipt (补打). Reads only summaries (no personal data), each table through
 * its owner.
 */
export function adviceFor(
  reason: string | null,
  failed: boolean,
  hold: StandingHold['kind'] | null = null,
): FailureAdvice | null {
  if (reason === null) return null;
  const status = /^(\d{3}) /.exec(reason)?.[1];
  if (!failed && status === '401' && hold !== null)
    return hold === 'clock' ? 'terminal-clock-off' : 'terminal-not-enrolled';
  if (!failed) return 'check-network';
  // The terminal's key or enrolment is not accepted: only a technician can fix that.
  if (status === '401' || status === '403') return 'call-technician';
  // The platform judged the application itself: read its reason, correct with the hall, then retry.
  if (status !== undefined && status.startsWith('4')) return 'fix-and-retry';
  if (reason.startsWith('stored ')) return 'call-technician';
  return 'retry-later';
}

export function listQueue(store: Pick<Store, 'db' | 'applications' | 'receipts' | 'outbox'>, limit = 50): QueueItem[] {
  const hold = readPlatformHold(store.db)?.kind ?? null;
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
      advice: adviceFor(reason, failed, hold),
      refusedFields:
        failed && reason !== null
          ? refusedFields(reason)
              .slice(0, 20)
              .map((f) => ({ field: f.field.slice(0, 200), detail: f.detail.slice(0, 500) }))
          : [],
      assisted: a.helperStaffId !== null,
      reprints: store.receipts.reprintCount(a.id),
      receipt: store.receipts.paperState(a.id),
    };
  });
}

type NotFound = Refusal<{ kind: 'not-found' }>;

export interface SendQueue {
  list(): Result<{ items: QueueItem[] }, never>;
  retry(applicationId: string, actor: Actor): Result<{ requeued: number }, NotFound>;
  reprint(applicationId: string, actor: Actor): Promise<Result<{ outcome: PrintOutcome }, NotFound>>;
}

export function createSendQueue(deps: {
  readonly store: Pick<Store, 'db' | 'applications' | 'receipts' | 'outbox'>;
  readonly outbox: Pick<OutboxWorker, 'retryNow'>;
  readonly receipts: Pick<ReceiptService, 'print'>;
}): SendQueue {
  const { store } = deps;
  return {
    list: () => ok({ items: listQueue(store) }),
    retry(applicationId, actor) {
      if (store.applications.getSummary(applicationId) === undefined)
        return err({ kind: 'not-found', message: 'unknown application' });
      // The worker writes the audit row (outbox.retry) in the same transaction as the requeue.
      return ok({ requeued: deps.outbox.retryNow(applicationId, actor.session.actor) });
    },
    async reprint(applicationId, actor) {
      const printed = await deps.receipts.print(applicationId, { reprint: true, actor: actor.session.actor });
      // A reprint that came out is audited by the receipt service (receipt.reprinted); one that did not is audited here.
      if (printed.ok && printed.value.outcome !== 'printed')
        actor.audit('staff.reprint-failed', { applicationId, outcome: printed.value.outcome });
      return printed;
    },
  };
}
