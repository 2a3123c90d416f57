import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { err, ok } from '../../../foundation/result';
import { manualClock, systemClock, systemTimers, type Clock, type Timers } from '../../../foundation/clock';
import { readCachedCatalogue } from '../store/catalogue-cache';
import { openTestStore, personalStrings, sampleApplication } from '../store/test-fixtures';
import fc from 'fast-check';
import { backoffCeiling, backoffDelay, type BackoffPolicy } from '../../../foundation/backoff';
import { FakePlatformPort } from './fake-platform-port';
import { createOutboxWorker, retryDelay, type OutboxEvent, type OutboxWorkerOptions } from './outbox-worker';

const policy: BackoffPolicy = { baseMs: 1000, capMs: 60_000, jitter: 1 };
/** Timers that never fire: these tests drive the worker with drain() and a manual clock. */
const inertTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} };

function setup(overrides: Partial<OutboxWorkerOptions> = {}, storeClock?: Clock) {
  const clock = manualClock();
  const { store } = openTestStore(':memory:', storeClock ?? clock);
  const port = new FakePlatformPort();
  const log = recordingLog();
  const events: OutboxEvent[] = [];
  const worker = createOutboxWorker({
    store,
    port,
    log,
    clock,
    timers: inertTimers,
    random: () => 0.5,
    backoff: policy,
    maxRetryAfterMs: 600_000,
    heartbeat: { version: '0.1.0', devices: () => ({ printer: 'ok' }) },
    ...overrides,
  });
  worker.subscribe((e) => events.push(e));
  const create = () => {
    const made = store.applications.createApplication(sampleApplication());
    if (!made.ok) throw new Error('create');
    return made.value.id;
  };
  return { store, clock, port, log, events, worker, create };
}

describe('outbox worker', () => {
  it('uploads the documents first, then submits the application with its id as Idempotency-Key', async () => {
    const { store, port, worker, create, events } = setup();
    const id = create();
    expect(await worker.drain()).toBe(4);
    expect(port.calls.map((c) => c.method)).toEqual([
      'uploadAttachment',
      'uploadAttachment',
      'uploadAttachment',
      'submitApplication',
    ]);
    expect(port.calls.at(-1)).toEqual({ method: 'submitApplication', applicationId: id, key: id });
    expect(store.applications.getSummary(id)).toMatchObject({
      state: 'submitted',
      caseNumber: 'CASE-000001',
      caseStatus: 'submitted',
    });
    expect(events).toEqual([
      { kind: 'application-submitted', applicationId: id, caseNumber: 'CASE-000001', duplicate: false },
    ]);
    expect(worker.status()).toEqual({
      depth: 0,
      oldestUnsentAt: null,
      lastSuccessfulContactAt: '2026-11-24T08:00:00.000Z',
      failed: 0,
      sending: 0,
      hold: null,
    });
  });

  it('keeps an application the platform holds for the terminal (clock, enrolment) queued, and sends it once that passes', async () => {
    const { store, clock, port, worker, create, events } = setup();
    const id = create();
    const held = (hold: { kind: 'clock'; offsetMs: number } | { kind: 'not-enrolled' }) => ({
      failure: { kind: 'held' as const, hold, reason: '401 Request signature refused' },
    });
    port.failNext('submitApplication', held({ kind: 'not-enrolled' }), held({ kind: 'clock', offsetMs: 600_000 }));
    await worker.drain();
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'queued', finalError: null });
    expect(worker.status()).toMatchObject({
      failed: 0,
      hold: { kind: 'not-enrolled', since: '2026-11-24T08:00:00.000Z' },
    });
    clock.advance(60_000);
    await worker.drain();
    expect(worker.status()).toMatchObject({
      failed: 0,
      hold: { kind: 'clock', offsetMs: 600_000, since: '2026-11-24T08:01:00.000Z' },
    });
    // Each held try says the application waits (a resident at the screen is told "saved" at once).
    expect(events).toEqual([
      { kind: 'application-waiting', applicationId: id },
      { kind: 'application-waiting', applicationId: id },
    ]);
    expect(worker.answersExpected()).toBe(false);
    clock.advance(60_000);
    await worker.drain();
    expect(worker.answersExpected()).toBe(true);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'submitted' });
    expect(worker.status()).toMatchObject({ depth: 0, failed: 0, hold: null });
  });

  it('backs off after a retryable failure, honours Retry-After, and succeeds later', async () => {
    const { store, clock, port, worker, create } = setup();
    const id = create();
    port.failNext(
      'submitApplication',
      { failure: { kind: 'retryable', reason: '503 Service Unavailable' } },
      { failure: { kind: 'retryable', reason: '429', retryAfterMs: 30_000 } },
    );
    await worker.drain();
    const item = () =>
      store.db
        .prepare(`SELECT attempts, next_attempt_at, last_error, state FROM outbox WHERE kind = 'application'`)
        .get() as { attempts: number; next_attempt_at: string; last_error: string; state: string };
    expect(item()).toMatchObject({ attempts: 1, state: 'pending', last_error: '503 Service Unavailable' });
    // random() = 0.5 → half of the first ceiling.
    expect(Date.parse(item().next_attempt_at) - clock.now()).toBe(backoffCeiling(0, policy) / 2);
    expect(worker.status()).toMatchObject({ depth: 1, oldestUnsentAt: '2026-11-24T08:00:00.000Z' });

    // Not due yet: nothing is sent.
    clock.advance(499);
    expect(await worker.drain()).toBe(0);
    clock.advance(1);
    await worker.drain();
    expect(item()).toMatchObject({ attempts: 2, state: 'pending', last_error: '429' });
    expect(Date.parse(item().next_attempt_at) - clock.now()).toBe(30_000);

    clock.advance(30_000);
    await worker.drain();
    expect(item()).toMatchObject({ attempts: 3, state: 'done' });
    expect(store.applications.getSummary(id)?.state).toBe('submitted');
  });

  it('stops on a final failure, shows the reason, and sends again only when staff ask', async () => {
    const { store, clock, port, worker, create, events } = setup();
    const id = create();
    port.failNext('submitApplication', {
      failure: { kind: 'final', status: 422, reason: 'Unprocessable Content', fieldErrors: { phone: '号码无效' } },
    });
    await worker.drain();
    expect(store.applications.getSummary(id)).toMatchObject({
      state: 'failed',
      finalError: '422 Unprocessable Content; phone: 号码无效',
    });
    expect(worker.status()).toMatchObject({ depth: 1, failed: 1, sending: 0 });
    expect(events.at(-1)).toMatchObject({ kind: 'application-failed', applicationId: id });

    clock.advance(24 * 3_600_000);
    expect(await worker.drain()).toBe(0);
    expect(port.calls.filter((c) => c.method === 'submitApplication')).toHaveLength(1);

    expect(worker.retryNow(id, 'staff:S-07')).toBe(1);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'queued', finalError: null });
    await worker.drain();
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'submitted', caseNumber: 'CASE-000001' });
    const audit = store.db.prepare('SELECT actor, action FROM audit_log ORDER BY seq').all();
    expect(audit).toEqual([
      { actor: 'system', action: 'outbox.failed' },
      { actor: 'staff:S-07', action: 'outbox.retry' },
    ]);
    expect(store.verifyAudit().ok).toBe(true);
  });

  it('sends again at once when staff ask for a retry while a send for the application is under way', async () => {
    const { store, port, worker, create } = setup();
    const id = create();
    port.failNext('submitApplication', { failure: { kind: 'retryable', reason: 'network error: ECONNREFUSED' } });
    port.delayMs = 100;
    const first = worker.drain();
    // The submission (after the documents) is inside the port, its item `sending`, when staff press retry.
    await vi.waitFor(
      () => {
        expect(port.calls.at(-1)?.method).toBe('submitApplication');
        expect(port.active.get(id)).toBe(1);
      },
      { interval: 1 },
    );
    worker.retryNow(id, 'staff:S-07');
    await first;
    // No time has passed on the worker's clock: without the request the item would wait out its backoff.
    await worker.drain();
    expect(port.calls.filter((c) => c.method === 'submitApplication')).toHaveLength(2);
    expect(store.applications.getSummary(id)?.state).toBe('submitted');
  });

  it('takes an application whose remote help the platform did not record as submitted, audited, never sent again', async () => {
    const { store, port, worker, clock, log } = setup();
    const remoteAssistance = { callId: '5b0c1d2e-3f40-4152-8364-758697a8b9cb', officerId: 'li.na' };
    const made = store.applications.createApplication({ ...sampleApplication(), remoteAssistance });
    if (!made.ok) throw new Error('create');
    const recorded = store.applications.createApplication({
      ...sampleApplication(),
      remoteAssistance: { ...remoteAssistance, callId: '6c1d2e3f-4051-4263-8475-8697a8b9cadb' },
    });
    if (!recorded.ok) throw new Error('create');
    port.answeredCalls.set('6c1d2e3f-4051-4263-8475-8697a8b9cadb', 'li.na');
    await worker.drain();
    expect(store.applications.getSummary(made.value.id)).toMatchObject({
      state: 'submitted',
      caseNumber: 'CASE-000001',
    });
    expect(store.applications.getSummary(recorded.value.id)).toMatchObject({ state: 'submitted' });
    const audit = store.db.prepare('SELECT actor, action FROM audit_log ORDER BY seq').all();
    expect(audit).toEqual([{ actor: 'system', action: 'outbox.remote-assistance-not-recorded' }]);
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('did not record the remote help'))).toBe(
      true,
    );
    clock.advance(24 * 3_600_000);
    expect(await worker.drain()).toBe(0);
    expect(port.calls.filter((c) => c.method === 'submitApplication')).toHaveLength(2);
    expect(worker.status()).toMatchObject({ depth: 0, failed: 0 });
  });

  it('does not retry a failed application whose personal data retention deleted', async () => {
    const { store, port, worker, create } = setup();
    const id = create();
    port.failNext('submitApplication', { failure: { kind: 'final', status: 422, reason: 'bad' } });
    await worker.drain();
    store.applications.purgePersonalData(id, new Date().toISOString());
    expect(worker.retryNow(id)).toBe(0);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'failed' });
    expect(await worker.drain()).toBe(0);
  });

  it('fails the application when one of its documents is refused, without submitting it', async () => {
    const { store, port, worker, create } = setup();
    const id = create();
    port.failNext('uploadAttachment', { failure: { kind: 'final', status: 413, reason: 'Content Too Large' } });
    await worker.drain();
    expect(port.calls.some((c) => c.method === 'submitApplication')).toBe(false);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'failed', finalError: '413 Content Too Large' });
    expect(worker.status().failed).toBe(4);
  });

  it('creates exactly one case when the platform committed but the answer was lost', async () => {
    const { store, clock, port, worker, create } = setup();
    const id = create();
    port.failNext('submitApplication', { failure: { kind: 'retryable', reason: 'socket hang up' }, afterCommit: true });
    await worker.drain();
    expect(port.cases.size).toBe(1);
    expect(store.applications.getSummary(id)?.state).toBe('queued');
    clock.advance(policy.capMs);
    await worker.drain();
    const submits = port.calls.filter((c) => c.method === 'submitApplication');
    expect(submits.map((c) => c.key)).toEqual([id, id]);
    expect(port.cases.size).toBe(1);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'submitted', caseNumber: 'CASE-000001' });
  });

  it('respects the concurrency limit and never sends for one application twice at once', async () => {
    const { store, port, worker, create } = setup({ concurrency: 2 });
    port.delayMs = 3;
    const ids = [create(), create(), create(), create(), create()];
    expect(await worker.drain()).toBe(20);
    expect(port.maxActive).toBe(2);
    expect(port.maxActivePerApplication).toBe(1);
    expect(ids.map((id) => store.applications.getSummary(id)?.state)).toEqual(Array(5).fill('submitted'));
    expect(new Set(ids.map((id) => store.applications.getSummary(id)?.caseNumber)).size).toBe(5);
  });

  it('treats a port that throws as a retryable failure', async () => {
    const { store, worker, create } = setup({
      port: Object.assign(new FakePlatformPort(), {
        uploadAttachment: () => Promise.reject(new Error('bug in adapter')),
      }),
    });
    create();
    await worker.drain();
    expect(store.db.prepare(`SELECT DISTINCT state, last_error FROM outbox WHERE kind = 'attachment'`).all()).toEqual([
      { state: 'pending', last_error: 'unexpected: bug in adapter' },
    ]);
  });

  it('queues again, without a restart, a send whose outcome a failed database write lost', async () => {
    const { store, clock, port, worker, create, log } = setup();
    const id = create();
    // A real failed write: SQLite refuses to record any outcome, as with a full disk.
    store.db.exec(`CREATE TEMP TRIGGER disk_full BEFORE UPDATE OF state ON outbox WHEN OLD.state = 'sending'
                   BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    await worker.drain();
    expect(port.calls.map((c) => c.method)).toEqual(['uploadAttachment']);
    expect(worker.status()).toMatchObject({ sending: 1 });
    clock.advance(60_000);
    await worker.drain();
    expect(port.calls).toHaveLength(1);
    expect(log.lines.map((l) => l.message)).toContain(
      'outbox: the queue cannot be read or written; trying again later',
    );

    store.db.exec('DROP TRIGGER disk_full');
    await worker.drain();
    expect(worker.status()).toMatchObject({ sending: 0 });
    clock.advance(60_000);
    await worker.drain();
    expect(port.calls.map((c) => c.method)).toEqual([
      'uploadAttachment',
      'uploadAttachment',
      'uploadAttachment',
      'uploadAttachment',
      'submitApplication',
    ]);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'submitted' });
    expect(worker.status()).toMatchObject({ depth: 0, sending: 0, failed: 0 });
  });

  it('wakes when a document waiting behind a failure is due, not at the next idle check', async () => {
    // Timers that only remember what is set: the wake-up the worker asks for is the one left.
    const active = new Map<number, number>();
    let handles = 0;
    const recordingTimers: Timers = {
      setTimeout: (_fn, ms) => (active.set(++handles, ms), handles),
      clearTimeout: (handle) => active.delete(handle as number),
    };
    const { port, worker, create } = setup({ timers: recordingTimers, idleCheckMs: 10_000 });
    create();
    port.failNext('uploadAttachment', { failure: { kind: 'retryable', reason: '503' } });
    worker.start();
    await worker.drain();
    // The application is due but blocked by the document that failed, which is due in 500 ms.
    expect(port.calls.map((c) => c.method)).toEqual(['uploadAttachment', 'uploadAttachment', 'uploadAttachment']);
    expect([...active.values()].filter((ms) => ms > 0)).toEqual([500]);
    await worker.stop();
  });

  it('retries within the longest wait after the wall clock was set back by hours', async () => {
    const { store, clock, port, worker, create } = setup();
    const id = create();
    port.failNext('uploadAttachment', { failure: { kind: 'retryable', reason: '503' } });
    await worker.drain();
    // Someone sets the clock back three hours: the retry's due time now lies three hours ahead.
    clock.advance(-3 * 3_600_000);
    await worker.drain();
    // policy cap 60 s, maxRetryAfterMs 600 s: within ten minutes it goes, not in three hours.
    clock.advance(600_000);
    await worker.drain();
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'submitted' });
  });

  it('sends a rating after its application, with the case number', async () => {
    const { store, port, worker, create } = setup();
    const id = create();
    store.ratings.addRating({ applicationId: id, level: 4, reasons: ['friendly'], comment: '很好' });
    port.failNext('submitApplication', { failure: { kind: 'retryable', reason: 'timeout' } });
    await worker.drain();
    expect(port.ratings).toEqual([]);
    store.db.prepare(`UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'pending'`).run();
    await worker.drain();
    expect(port.ratings).toEqual([
      { applicationId: id, caseNumber: 'CASE-000001', level: 4, reasons: ['friendly'], comment: '很好' },
    ]);
    expect(worker.status().depth).toBe(0);
  });

  it('follows open cases until they close, storing their history', async () => {
    const { store, port, worker, create, events } = setup();
    const id = create();
    await worker.drain();
    port.moveCase(id, 'accepted', '2026-11-24T09:00:00Z', '已受理');
    expect(await worker.pollStatuses()).toBe(1);
    expect(store.applications.getSummary(id)?.caseStatus).toBe('accepted');
    expect(await worker.pollStatuses()).toBe(0);
    port.moveCase(id, 'completed', '2026-11-25T09:00:00Z');
    await worker.pollStatuses();
    expect(store.applications.caseHistory(id).map((h) => h.status)).toEqual(['submitted', 'accepted', 'completed']);
    expect(events.filter((e) => e.kind === 'case-status')).toHaveLength(2);
    const before = port.calls.length;
    await worker.pollStatuses();
    expect(port.calls.length).toBe(before);
  });

  it('checks just one case when asked about it (a progress lookup)', async () => {
    const { port, worker, create } = setup();
    const first = create();
    const second = create();
    await worker.drain();
    port.moveCase(second, 'accepted', '2026-11-24T09:00:00Z');
    const before = port.calls.length;
    expect(await worker.pollStatuses(second)).toBe(1);
    expect(port.calls.slice(before)).toEqual([{ method: 'getApplicationStatus', applicationId: second }]);
    expect(first).not.toBe(second);
  });

  it('reports health in the heartbeat', async () => {
    const { port, worker, create } = setup();
    create();
    expect(await worker.sendHeartbeat()).toBe(true);
    expect(port.heartbeats).toEqual([
      { version: '0.1.0', devices: { printer: 'ok' }, outboxDepth: 4, oldestUnsentAt: '2026-11-24T08:00:00.000Z' },
    ]);
    port.failNext('heartbeat', { failure: { kind: 'retryable', reason: 'offline' } });
    expect(await worker.sendHeartbeat()).toBe(false);
  });

  it('caches the catalogue by ETag and keeps the old copy when a new one is invalid', async () => {
    const { store, port, worker } = setup({
      validateCatalogue: (body) => ((body as { version?: string }).version === 'bad' ? err('no services') : ok(body)),
    });
    expect(await worker.refreshCatalogue()).toBe('updated');
    expect(readCachedCatalogue(store.db)).toMatchObject({ etag: '"v1"', body: { version: 'v1' } });
    expect(await worker.refreshCatalogue()).toBe('not-modified');
    expect(port.calls.filter((c) => c.method === 'fetchCatalog')).toHaveLength(2);
    port.catalogue = { etag: '"v2"', body: { version: 'bad' } };
    expect(await worker.refreshCatalogue()).toBe('rejected');
    expect(readCachedCatalogue(store.db)?.etag).toBe('"v1"');
    port.failNext('fetchCatalog', { failure: { kind: 'retryable', reason: 'offline' } });
    expect(await worker.refreshCatalogue()).toBe('failed');
  });

  it('runs on its own timers once started, and stops cleanly', async () => {
    const { store, worker, create, port } = setup(
      {
        clock: systemClock,
        timers: systemTimers,
        idleCheckMs: 20,
        backoff: { baseMs: 5, capMs: 20, jitter: 1 },
        maxRetryAfterMs: 50,
      },
      systemClock,
    );
    const id = create();
    port.failNext('uploadAttachment', { failure: { kind: 'retryable', reason: 'offline' } });
    worker.start();
    // Real timers on purpose (the default wiring); waited for by condition, never by a guessed pause.
    await vi.waitFor(() => expect(store.applications.getSummary(id)?.state).toBe('submitted'), { timeout: 10_000 });
    await worker.stop();
    expect(store.applications.getSummary(id)?.state).toBe('submitted');
    expect(port.heartbeats.length).toBeGreaterThanOrEqual(1);
  });

  it('never logs personal data', async () => {
    const { log, port, worker, create } = setup();
    const id = create();
    port.failNext('submitApplication', { failure: { kind: 'final', status: 422, reason: 'bad' } });
    await worker.drain();
    worker.retryNow(id);
    await worker.drain();
    await worker.pollStatuses();
    const text = JSON.stringify(log.lines);
    for (const s of personalStrings) expect(text).not.toContain(s);
    expect(log.lines.length).toBeGreaterThan(2);
  });
});

describe('outbox worker with unlucky jitter', () => {
  it('does not retry within the same instant even when the jitter draws zero', async () => {
    const { store, clock, port, worker, create } = setup({ random: () => 0 });
    create();
    port.failNext('uploadAttachment', { failure: { kind: 'retryable', reason: 'offline' } });
    await worker.drain();
    expect(port.calls.filter((c) => c.method === 'uploadAttachment')).toHaveLength(3);
    const first = store.db.prepare(`SELECT attempts, next_attempt_at FROM outbox WHERE attempts = 1`).get() as {
      next_attempt_at: string;
    };
    expect(Date.parse(first.next_attempt_at)).toBe(clock.now() + 1);
    clock.advance(1);
    await worker.drain();
    expect(worker.status().depth).toBe(0);
  });
});

describe('retryDelay', () => {
  it('honours Retry-After, bounded by maxRetryAfterMs, never shortening the jittered delay (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: -1000, max: 100_000_000 }),
        fc.integer({ min: 0, max: 7_200_000 }),
        (baseMs, attempt, r, retryAfter, maxRetryAfterMs) => {
          const p: BackoffPolicy = { baseMs, capMs: baseMs * 100, jitter: 1 };
          const delay = retryDelay(attempt, p, () => r, retryAfter, maxRetryAfterMs);
          expect(delay).toBeGreaterThanOrEqual(backoffDelay(attempt, p, () => r));
          expect(delay).toBeGreaterThanOrEqual(Math.min(Math.max(0, retryAfter), maxRetryAfterMs));
          expect(delay).toBeLessThanOrEqual(Math.max(p.capMs, maxRetryAfterMs));
        },
      ),
    );
  });
});
