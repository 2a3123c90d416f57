import { isDiskFull, type StorageGuard } from '../store/storage-guard';
import type { TerminalUpdateReport } from '../../../platform/contract/api-schemas';
/**
 * Store and forward: sends what the outbox table holds to the platform, through the PlatformPort.
 * Attachments go first, then the application with its UUID as Idempotency-Key, then ratings.
 * Retryable failures back off (full jitter, Retry-After honoured); final failures stop retrying and
 * show the reason to staff. Everything the worker knows is in SQLite, so it resumes after a restart.
 * Beside the queue it follows open cases' status, sends heartbeats and refreshes the catalogue.
 */
import { backoffDelay, type BackoffPolicy } from '../../../foundation/backoff';
import type { Log } from '../../../foundation/log';
import { assertNever, err, ok, type Result } from '../../../foundation/result';
import { createListeners } from '../../../foundation/listeners';
import { readCachedCatalogue, writeCachedCatalogue } from '../store/catalogue-cache';
import type { Clock, Timers } from '../../../foundation/clock';
import { setSetting, settingKeys } from '../store/settings';
import type { Store } from '../store/store';
import type { OutboxItem } from './outbox-queue';
import { clearPlatformHold, readOutboxStatus, recordPlatformHold, type OutboxStatus } from './outbox-status';
import {
  caseStatusSchema,
  describePortFailure,
  type CaseStatus,
  type PlatformPort,
  type PortFailure,
} from './platform-port';
import { buildSubmission } from './submission';

export type OutboxEvent =
  | { kind: 'application-submitted'; applicationId: string; caseNumber: string; duplicate: boolean }
  | { kind: 'application-failed'; applicationId: string; reason: string }
  /** A send for the application failed for now (unreachable, or the terminal refused): it waits in the queue. */
  | { kind: 'application-waiting'; applicationId: string }
  | { kind: 'case-status'; applicationId: string; status: CaseStatus }
  | { kind: 'catalogue-updated'; etag: string };

export interface OutboxWorkerOptions {
  /** The queue, the records it sends, and the database for its transactions and settings. */
  readonly store: Pick<Store, 'db' | 'applications' | 'ratings' | 'outbox' | 'audit'>;
  readonly port: PlatformPort;
  readonly log: Log;
  readonly clock: Clock;
  readonly timers: Timers;
  /** [0, 1), like Math.random; injectable for deterministic tests. */
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** A platform's Retry-After is honoured up to this bound (a broken header must not park us for days). */
  readonly maxRetryAfterMs?: number;
  /** How many sends may be in flight at once (across different applications). */
  readonly concurrency?: number;
  /** Look for due items at least this often even without a kick. */
  readonly idleCheckMs?: number;
  readonly statusPollIntervalMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly catalogueIntervalMs?: number;
  readonly heartbeat: {
    readonly version: string;
    devices(): Record<string, string>;
    /** False while another channel reports the terminal's health (the fleet broker): the HTTP heartbeat is the fallback. */
    wanted?(): boolean;
    /** The update agent's last report, when there is one. */
    update?(): TerminalUpdateReport | undefined;
    /** The audit chain's head, when the log has rows. */
    auditHead?(): { sequence: number; hash: string } | undefined;
  };
  /**
   * Told when a write of the queue found the disk full, so the reserve is released and what was sent can
   * be recorded (store/storage-guard.ts); absent where no disk can fill (in-memory tests).
   */
  readonly storage?: Pick<StorageGuard, 'reportFull'>;
  /** Checks a fetched catalogue before it replaces the cached one; a bad one is not cached. */
  readonly validateCatalogue?: (body: unknown) => Result<unknown, string>;
}

export type CatalogueRefresh = 'updated' | 'not-modified' | 'rejected' | 'failed';

export interface OutboxWorker {
  /** Resets interrupted sends and starts the loops. */
  start(): void;
  /** Stops the loops and waits for sends in flight. */
  stop(): Promise<void>;
  /** Something was queued: look now instead of at the next wake-up. */
  kick(): void;
  /** Sends everything due now (and what becomes eligible meanwhile); resolves when nothing due is left. */
  drain(): Promise<number>;
  /** Staff: send this application's failed or waiting items now. Returns how many were re-queued. */
  retryNow(applicationId: string, actor?: string): number;
  /** Asks the platform for open cases' status (all, oldest-checked first; or just `applicationId`). */
  pollStatuses(applicationId?: string): Promise<number>;
  sendHeartbeat(): Promise<boolean>;
  refreshCatalogue(): Promise<CatalogueRefresh>;
  status(): OutboxStatus;
  /**
   * Whether the platform is expected to answer a send now: false once the last contact failed (or the
   * platform refused this terminal) until one succeeds. A resident is not kept waiting for it then.
   */
  answersExpected(): boolean;
  /** Submissions, final failures, case status changes and catalogue updates, as they happen. */
  subscribe(listener: (event: OutboxEvent) => void): () => void;
}

/** 2 s doubling to 10 min, full jitter: a fleet of terminals that lost the network together does not return in step. */
export const outboxBackoff: BackoffPolicy = { baseMs: 2_000, capMs: 10 * 60_000, jitter: 1 };
const defaultMaxRetryAfterMs = 60 * 60_000;

/** The backoff delay, or the platform's Retry-After (bounded by `maxRetryAfterMs`) when that is longer. */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number,
): number {
  const jittered = backoffDelay(attempt, policy, random);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(Math.max(0, retryAfterMs), maxRetryAfterMs));
}

type SendOutcome = Result<void, PortFailure>;

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { port, clock, timers } = options;
  const { db, applications, ratings, outbox: queue } = options.store;
  const log = options.log.child({ module: 'outbox' });
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? outboxBackoff;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? defaultMaxRetryAfterMs;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  /** No item waits longer than this: the backoff's cap or the longest Retry-After honoured. */
  const longestWaitMs = Math.max(policy.capMs, maxRetryAfterMs);
  const idleCheckMs = options.idleCheckMs ?? 10_000;
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  const events = createListeners<OutboxEvent>((error) =>
    log.error({ error: error instanceof Error ? error.message : String(error) }, 'outbox: event listener failed'),
  );
  const emit = (event: OutboxEvent) => events.emit(event);

  /** applicationId → the send in flight for it. */
  const inflight = new Map<string, { readonly itemId: number; readonly send: Promise<void> }>();
  const sends = () => [...inflight.values()].map((s) => s.send);
  /**
   * Items staff asked to retry while they were being sent: a `sending` item is not reset by the retry,
   * so should this send fail for now it is due at once rather than after its backoff (up to the cap:
   * "retry now" must not become "retry in ten minutes").
   */
  const retryAsked = new Set<number>();
  let running = false;
  /** After stop(), sends that finish must not start new ones. */
  let stopped = false;
  let wakeTimer: unknown;
  const loopTimers = new Map<string, unknown>();
  let processed = 0;
  let lastContact: 'none' | 'answered' | 'unreachable' | 'refused' = 'none';

  /**
   * A final failure is an answer from the platform too: it was reachable and accepted this
   * terminal's signature, so no hold stands. A held one names what keeps the terminal refused.
   */
  const noteContact = (outcome: Result<unknown, PortFailure>) => {
    lastContact = outcome.ok
      ? 'answered'
      : outcome.error.kind === 'final'
        ? 'answered'
        : outcome.error.kind === 'held'
          ? 'refused'
          : 'unreachable';
    if (outcome.ok || outcome.error.kind === 'final') {
      setSetting(db, settingKeys.lastSuccessfulContactAt, iso());
      clearPlatformHold(db);
    } else if (outcome.error.kind === 'held') recordPlatformHold(db, outcome.error.hold, iso());
  };

  async function sendItem(item: OutboxItem): Promise<SendOutcome> {
    switch (item.kind) {
      case 'attachment': {
        const file = applications.readAttachment(item.applicationId, item.ref);
        if (!file.ok)
          return err({ kind: 'final', status: 0, reason: `stored attachment unreadable: ${file.error.kind}` });
        return port.uploadAttachment(item.applicationId, item.ref, file.value.mime, file.value.bytes);
      }
      case 'application': {
        const stored = applications.getApplication(item.applicationId);
        if (!stored.ok)
          return err({ kind: 'final', status: 0, reason: `stored application unreadable: ${stored.error.kind}` });
        const answer = await port.submitApplication(buildSubmission(stored.value), item.applicationId);
        if (!answer.ok) return answer;
        const parsed = caseStatusSchema.safeParse(answer.value.status);
        const status: CaseStatus = parsed.success ? parsed.data : 'submitted';
        // The platform took the application but could not verify the remote help it claimed (the
        // call unknown there, or another officer's): the application counts, the claim is on record
        // here only. Staff see it in the audit view; nothing is sent again.
        const claimDropped = answer.value.remoteAssistance === 'not-recorded';
        db.transaction(() => {
          applications.markSubmitted(item.applicationId, answer.value.caseNumber, status);
          queue.done(item.id, iso());
          if (claimDropped)
            options.store.audit({
              actor: 'system',
              action: 'outbox.remote-assistance-not-recorded',
              details: { applicationId: item.applicationId, caseNumber: answer.value.caseNumber },
            });
        })();
        if (claimDropped)
          log.warn(
            { applicationId: item.applicationId, caseNumber: answer.value.caseNumber },
            'outbox: the platform did not record the remote help this application claimed',
          );
        log.info(
          { applicationId: item.applicationId, caseNumber: answer.value.caseNumber, duplicate: answer.value.duplicate },
          'outbox: application submitted',
        );
        emit({
          kind: 'application-submitted',
          applicationId: item.applicationId,
          caseNumber: answer.value.caseNumber,
          duplicate: answer.value.duplicate,
        });
        return ok();
      }
      case 'rating': {
        const rating = ratings.getRating(item.ref);
        if (!rating.ok)
          return err({ kind: 'final', status: 0, reason: `stored rating unreadable: ${rating.error.kind}` });
        const r = rating.value;
        const caseNumber = applications.getSummary(r.applicationId)?.caseNumber ?? undefined;
        return port.submitRating({
          applicationId: r.applicationId,
          ...(caseNumber ? { caseNumber } : {}),
          level: r.level,
          ...(r.reasons.length > 0 ? { reasons: r.reasons } : {}),
          ...(r.comment !== null ? { comment: r.comment } : {}),
        });
      }
      default:
        return assertNever(item.kind, 'outbox kind');
    }
  }

  async function process(item: OutboxItem): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await sendItem(item);
    } catch (cause) {
      // A port must return failures as values; if one throws anyway, treat it as transient.
      outcome = err({
        kind: 'retryable',
        reason: `unexpected: ${cause instanceof Error ? cause.message : String(cause)}`,
      });
    }
    processed += 1;
    noteContact(outcome);
    const now = iso();
    const asked = retryAsked.delete(item.id);
    // The wait before the next try: none when staff asked for one during this send (once: it cannot spin).
    const waitFor = (backoff: () => number) => (asked ? 0 : Math.max(1, backoff()));
    if (outcome.ok) {
      if (item.kind !== 'application') queue.done(item.id, now);
      log.debug({ item: item.id, kind: item.kind, applicationId: item.applicationId }, 'outbox: item sent');
      return;
    }
    const failure = outcome.error;
    const reason = describePortFailure(failure);
    switch (failure.kind) {
      case 'retryable': {
        // At least 1 ms: a retry is never due in the same instant it failed (drain() would spin).
        const delay = waitFor(() => retryDelay(item.attempts, policy, random, failure.retryAfterMs, maxRetryAfterMs));
        queue.retryLater(item.id, now, iso(clock.now() + delay), reason);
        log.warn(
          {
            item: item.id,
            kind: item.kind,
            applicationId: item.applicationId,
            attempts: item.attempts + 1,
            delayMs: delay,
            reason,
          },
          'outbox: will retry',
        );
        if (item.kind !== 'rating') emit({ kind: 'application-waiting', applicationId: item.applicationId });
        return;
      }
      case 'held': {
        // The application is fine; the terminal is not (clock, enrolment). It waits, never fails,
        // and goes once the cause is gone (a corrected clock makes the next try pass).
        const delay = waitFor(() => retryDelay(item.attempts, policy, random, undefined, maxRetryAfterMs));
        queue.retryLater(item.id, now, iso(clock.now() + delay), reason);
        log.warn(
          { item: item.id, kind: item.kind, applicationId: item.applicationId, hold: failure.hold, delayMs: delay },
          'outbox: held, the platform refuses this terminal; will retry',
        );
        if (item.kind !== 'rating') emit({ kind: 'application-waiting', applicationId: item.applicationId });
        return;
      }
      case 'final': {
        db.transaction(() => {
          queue.fail(item.id, now, reason);
          if (item.kind !== 'rating') {
            // Without this document (or this application) nothing else of the application can go.
            queue.failDependents(item.applicationId, now, `${item.kind} failed: ${reason}`);
            applications.markFailed(item.applicationId, reason);
          }
          options.store.audit({
            actor: 'system',
            action: 'outbox.failed',
            details: { applicationId: item.applicationId, kind: item.kind, status: failure.status },
          });
        })();
        log.error(
          { item: item.id, kind: item.kind, applicationId: item.applicationId, status: failure.status, reason },
          'outbox: failed, needs staff',
        );
        if (item.kind !== 'rating') emit({ kind: 'application-failed', applicationId: item.applicationId, reason });
        return;
      }
      default:
        assertNever(failure, 'port failure');
    }
  }

  /**
   * Sends whose outcome could not be written (a failed database write: disk full, I/O error) are
   * still `sending` in the table, where nothing would pick them up before a restart. They go back
   * to the queue at the next wake-up that can write; until then they stay here.
   */
  const interrupted = new Map<number, { readonly item: OutboxItem; readonly reason: string }>();

  function requeueInterrupted(): void {
    for (const [id, { item, reason }] of interrupted) {
      const delay = Math.max(1, retryDelay(item.attempts, policy, random, undefined, maxRetryAfterMs));
      queue.release(id, iso(), iso(clock.now() + delay), `interrupted: ${reason}`);
      interrupted.delete(id);
      log.warn(
        { item: id, kind: item.kind, applicationId: item.applicationId, delayMs: delay },
        'outbox: a send whose outcome could not be saved is queued again',
      );
    }
  }

  function pump(): void {
    if (stopped) return;
    let next: string | undefined;
    try {
      requeueInterrupted();
      const free = concurrency - inflight.size;
      if (free > 0) {
        const now = iso();
        for (const item of queue.due(now, free, new Set(inflight.keys()))) {
          if (!queue.claim(item.id, now)) continue;
          const send = process(item)
            .catch((cause: unknown) => {
              if (isDiskFull(cause)) options.storage?.reportFull('outbox');
              const reason = cause instanceof Error ? cause.message : String(cause);
              interrupted.set(item.id, { item, reason });
              log.error({ item: item.id, error: reason }, 'outbox: send crashed; it will be queued again');
            })
            .finally(() => {
              inflight.delete(item.applicationId);
              pump();
            });
          inflight.set(item.applicationId, { itemId: item.id, send });
        }
      }
      next = queue.nextDueAfter(iso());
      // Due times are wall times: a clock set back by hours must not park the queue for hours. Only
      // written when the next due time lies beyond any wait the worker gives (no write on every pump).
      const latest = clock.now() + longestWaitMs;
      if (next !== undefined && Date.parse(next) > latest) {
        const limited = queue.limitWait(iso(latest), iso());
        log.warn({ items: limited }, 'outbox: retries due beyond the longest wait (clock set back?) moved closer');
        next = iso(latest);
      }
    } catch (cause) {
      // The database refuses reads or writes for now: look again at the next wake-up, never crash the loop.
      if (isDiskFull(cause)) options.storage?.reportFull('outbox');
      log.error(
        { error: cause instanceof Error ? cause.message : String(cause), interrupted: interrupted.size },
        'outbox: the queue cannot be read or written; trying again later',
      );
    }
    scheduleWake(next);
  }

  function scheduleWake(next: string | undefined): void {
    if (!running) return;
    if (wakeTimer !== undefined) timers.clearTimeout(wakeTimer);
    const untilNext = next === undefined ? idleCheckMs : Date.parse(next) - clock.now();
    const delay = Math.min(Math.max(1, untilNext), idleCheckMs);
    wakeTimer = timers.setTimeout(() => {
      wakeTimer = undefined;
      pump();
    }, delay);
  }

  function every(name: string, intervalMs: number | undefined, task: () => Promise<unknown>): void {
    if (intervalMs === undefined || intervalMs <= 0) return;
    const run = () => {
      task()
        .catch((cause: unknown) =>
          log.error(
            { task: name, error: cause instanceof Error ? cause.message : String(cause) },
            'outbox: periodic task crashed',
          ),
        )
        .finally(() => {
          if (running) loopTimers.set(name, timers.setTimeout(run, intervalMs));
        });
    };
    loopTimers.set(name, timers.setTimeout(run, 0));
  }

  const worker: OutboxWorker = {
    start() {
      if (running) return;
      running = true;
      stopped = false;
      const reset = queue.resetInterrupted(iso());
      log.info({ resumed: reset, ...readOutboxStatus(db, queue) }, 'outbox: started');
      pump();
      every('status', options.statusPollIntervalMs ?? 10 * 60_000, () => worker.pollStatuses());
      every('heartbeat', options.heartbeatIntervalMs ?? 60_000, async () =>
        options.heartbeat.wanted?.() === false ? undefined : worker.sendHeartbeat(),
      );
      every('catalogue', options.catalogueIntervalMs ?? 15 * 60_000, () => worker.refreshCatalogue());
    },
    async stop() {
      running = false;
      stopped = true;
      if (wakeTimer !== undefined) timers.clearTimeout(wakeTimer);
      wakeTimer = undefined;
      for (const handle of loopTimers.values()) timers.clearTimeout(handle);
      loopTimers.clear();
      await Promise.all(sends());
      log.info({}, 'outbox: stopped');
    },
    kick: () => pump(),
    async drain() {
      const before = processed;
      for (;;) {
        pump();
        if (inflight.size === 0) return processed - before;
        await Promise.all(sends());
      }
    },
    retryNow(applicationId, actor = 'staff') {
      const count = db.transaction(() => {
        // Its personal data is gone (retention of failed applications): nothing is left to send.
        if ((applications.getSummary(applicationId)?.personalPurgedAt ?? null) !== null) return 0;
        const n = queue.retryApplication(applicationId, iso());
        const sending = inflight.get(applicationId);
        if (sending !== undefined) retryAsked.add(sending.itemId);
        if (n > 0) {
          applications.requeue(applicationId);
          options.store.audit({ actor, action: 'outbox.retry', details: { applicationId, items: n } });
        }
        return n;
      })();
      log.info({ applicationId, items: count }, 'outbox: retry requested');
      pump();
      return count;
    },
    async pollStatuses(applicationId) {
      // A resident asking about one case (progress lookup) waits for that case only.
      const open = applications.openCases(applicationId === undefined ? { limit: 50 } : { applicationId, limit: 1 });
      let updated = 0;
      for (const id of open) {
        const answer = await port.getApplicationStatus(id);
        noteContact(answer);
        if (!answer.ok) {
          log.warn({ applicationId: id, reason: describePortFailure(answer.error) }, 'outbox: status check failed');
          // Unreachable, or refusing this terminal: try all again next time.
          if (answer.error.kind !== 'final') break;
          continue;
        }
        const before = applications.getSummary(id)?.caseStatus ?? null;
        applications.recordCaseStatus(id, answer.value.status, answer.value.history);
        if (before !== answer.value.status) {
          updated += 1;
          log.info({ applicationId: id, from: before, to: answer.value.status }, 'outbox: case status changed');
          emit({ kind: 'case-status', applicationId: id, status: answer.value.status });
        }
      }
      return updated;
    },
    async sendHeartbeat() {
      const status = readOutboxStatus(db, queue);
      const answer = await port.heartbeat({
        version: options.heartbeat.version,
        devices: options.heartbeat.devices(),
        outboxDepth: status.depth,
        oldestUnsentAt: status.oldestUnsentAt,
        ...(() => {
          const update = options.heartbeat.update?.();
          return update === undefined ? {} : { update };
        })(),
        ...(() => {
          const auditHead = options.heartbeat.auditHead?.();
          return auditHead === undefined ? {} : { auditHead };
        })(),
      });
      noteContact(answer);
      if (answer.ok) setSetting(db, settingKeys.lastHeartbeatAt, iso());
      else log.warn({ reason: describePortFailure(answer.error) }, 'outbox: heartbeat failed');
      return answer.ok;
    },
    async refreshCatalogue() {
      const cached = readCachedCatalogue(db);
      const answer = await port.fetchCatalog(cached?.etag ?? null);
      noteContact(answer);
      if (!answer.ok) {
        log.warn(
          { reason: describePortFailure(answer.error) },
          'outbox: catalogue fetch failed; keeping the cached copy',
        );
        return 'failed';
      }
      setSetting(db, settingKeys.lastCatalogueCheckAt, iso());
      if (answer.value.notModified) return 'not-modified';
      const checked = options.validateCatalogue ? options.validateCatalogue(answer.value.body) : ok(answer.value.body);
      if (!checked.ok) {
        log.error(
          { etag: answer.value.etag, reason: checked.error },
          'outbox: platform sent an invalid catalogue; keeping the cached copy',
        );
        return 'rejected';
      }
      writeCachedCatalogue(db, answer.value.etag, checked.value, iso());
      log.info({ etag: answer.value.etag }, 'outbox: catalogue updated');
      emit({ kind: 'catalogue-updated', etag: answer.value.etag });
      return 'updated';
    },
    status: () => readOutboxStatus(db, queue),
    answersExpected: () => lastContact === 'none' || lastContact === 'answered',
    subscribe: (listener) => events.subscribe(listener),
  };
  return worker;
}
