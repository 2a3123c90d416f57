/**
 * Faults that are not the application's: the terminal's clock is 10 minutes off, or the terminal is
 * not (yet) enrolled at the platform. The platform refuses its signature either way; the attack (or
 * accident) must not turn into lost or failed applications. They stay queued with a plain status for
 * staff, the terminal corrects its signing time from the platform's Date header, and everything is
 * delivered once the cause is gone.
 */
import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, type Timers } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { createOutboxWorker } from '../../electron/services/outbox/outbox-worker';
import { createHttpPlatformClient, enrol } from '../../electron/services/platform-client/http-platform-client';
import { createPlatformClock } from '../../electron/services/platform-client/platform-clock';
import { clockOffMinutes } from '../../electron/services/staff/health-service';
import { listQueue } from '../../electron/services/staff/staff-queue';
import { openTestStore, sampleApplication } from '../../electron/services/store/test-fixtures';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

const inertTimers: Timers = { setTimeout: () => 0, clearTimeout: () => {} };

/** A terminal (store, outbox, signed HTTP client) whose own clock runs `skew.ms` ahead of the real one. */
function terminal(terminalId: string, privateKey: KeyObject, skew = { ms: 0 }, maxCorrectionMs?: number) {
  const schedule = manualClock(Date.now());
  const { store } = openTestStore(':memory:', schedule, terminalId);
  const localNow = () => Date.now() + skew.ms;
  const clock = createPlatformClock({ localNow, ...(maxCorrectionMs === undefined ? {} : { maxCorrectionMs }) });
  const port = createHttpPlatformClient({
    baseUrl: fx.platform.url,
    terminalId,
    privateKey,
    clock,
    now: () => new Date(localNow()),
    timeoutMs: 5000,
  });
  const worker = createOutboxWorker({
    store,
    port,
    log: silentLog,
    clock: schedule,
    timers: inertTimers,
    random: () => 0.5,
    heartbeat: { version: '0.1.0', devices: () => ({}) },
  });
  const made = store.applications.createApplication(sampleApplication({ serviceCode: 'PENSION-CERT' }));
  if (!made.ok) throw new Error('application not stored');
  const refusals = () =>
    store.outbox.items(made.value.id).filter((item) => item.lastError?.startsWith('401 ') === true).length;
  /** Once the cause is gone: the next retry (within the hour) delivers it and clears the hold. */
  const expectDeliveredOnRetry = async () => {
    schedule.advance(60 * 60_000);
    await worker.drain();
    expect(store.applications.getSummary(made.value.id)).toMatchObject({ finalError: null, state: 'submitted' });
    expect(worker.status()).toMatchObject({ depth: 0, failed: 0, hold: null });
  };
  return { store, worker, clock, schedule, refusals, expectDeliveredOnRetry, applicationId: made.value.id };
}

describe('a terminal the platform refuses for its clock or its enrolment', () => {
  it('clock off by 10 minutes: the refused item stays queued, the signing time is corrected, all is delivered', async () => {
    const t = terminal(fx.terminalId, fx.keys.privateKey, { ms: 10 * 60_000 });
    await t.worker.drain();
    // The first signed request was refused as dated in the future; nothing failed, and the rest
    // already went at the platform's time.
    expect(t.refusals()).toBe(1);
    expect(t.store.applications.getSummary(t.applicationId)).toMatchObject({ state: 'queued', finalError: null });
    expect(t.worker.status()).toMatchObject({ failed: 0 });
    // The offset the fleet reports: terminal minus platform, about +10 minutes.
    expect(Math.abs((t.clock.offsetMs() ?? 0) - 600_000)).toBeLessThan(5_000);

    t.schedule.advance(60_000);
    await t.worker.drain();
    expect(t.store.applications.getSummary(t.applicationId)).toMatchObject({ finalError: null, state: 'submitted' });
    expect(t.worker.status()).toMatchObject({ depth: 0, failed: 0, hold: null });
  });

  it('clock off beyond what the terminal corrects: staff see by how much; delivered once the clock is set', async () => {
    const skew = { ms: -10 * 60_000 };
    const t = terminal(fx.terminalId, fx.keys.privateKey, skew, 5 * 60_000);
    for (let i = 0; i < 3; i += 1) {
      await t.worker.drain();
      t.schedule.advance(10 * 60_000);
    }
    expect(t.store.applications.getSummary(t.applicationId)).toMatchObject({ state: 'queued', finalError: null });
    const status = t.worker.status();
    expect(status).toMatchObject({ failed: 0, hold: { kind: 'clock' } });
    expect(clockOffMinutes(status.hold)).toBe(10);
    expect(listQueue(t.store)[0]).toMatchObject({ state: 'waiting', advice: 'terminal-clock-off' });

    skew.ms = 0; // a technician sets the clock
    await t.expectDeliveredOnRetry();
  });

  it('unenrolled terminal: keeps the application queued until it is enrolled, then delivers', async () => {
    const terminalId = 'QS-LX-0420';
    const keys = generateTerminalKeys();
    const t = terminal(terminalId, keys.privateKey);
    await t.worker.drain();
    t.schedule.advance(10 * 60_000);
    await t.worker.drain();
    expect(t.store.applications.getSummary(t.applicationId)).toMatchObject({ state: 'queued', finalError: null });
    expect(t.worker.status()).toMatchObject({ failed: 0, hold: { kind: 'not-enrolled' } });
    expect(listQueue(t.store)[0]).toMatchObject({ state: 'waiting', advice: 'terminal-not-enrolled' });

    const enrolled = await enrol(fx.platform.url, fx.platform.createEnrolmentCode({ terminalId }), {
      terminalId,
      ...keys,
    });
    expect(enrolled.ok).toBe(true);
    await t.expectDeliveredOnRetry();
  });

  it('enrols a new terminal whose clock is 10 minutes slow', async () => {
    const terminalId = 'QS-LX-0421';
    const enrolled = await enrol(
      fx.platform.url,
      fx.platform.createEnrolmentCode({ terminalId }),
      { terminalId, ...generateTerminalKeys() },
      { now: () => new Date(Date.now() - 10 * 60_000) },
    );
    expect(enrolled.ok).toBe(true);
  });
});
