import { statfs } from 'node:fs/promises';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import { localDateTime, localDay } from '../../../foundation/local-time';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { ServiceFailure } from '../../api/contract';
import type { PrintOutcome } from '../../api/journey-contract';
import type { DailySummary, HealthProblem, QueueItem, StaffHealth } from '../../api/staff-contract';
import type { ReceiptService } from '../receipt/receipt-service';
import type { ReceiptPrinter } from '../receipt/receipt-printer';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { SessionService } from '../session/session-service';
import type { Store } from '../store/store';
import { dailySummary, summaryDocument } from './daily-summary';
import type { DeviceManagerPort, DeviceStateView } from './device-port';
import type { StaffAuth } from './staff-auth';
import { listQueue } from './staff-queue';

/**
 * Staff mode on the service side: helping a resident (帮办代办), the send queue with retry and
 * reprint, health at a glance and the daily summary. Every call checks the staff session and
 * every action goes to the audit log under the staff member's actor id.
 */
export interface StaffServiceDeps {
  readonly auth: StaffAuth;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly receipts: Pick<ReceiptService, 'print'>;
  readonly sessions: SessionService;
  readonly config: KioskConfig;
  readonly catalogue: () => Catalogue;
  readonly devices: DeviceManagerPort;
  readonly printer: ReceiptPrinter;
  /** A signed call to the platform (the heartbeat); true when it answered. */
  readonly pingPlatform: () => Promise<boolean>;
  readonly dataDir: string;
  readonly log: Log;
  readonly now?: () => Date;
}

export interface StaffService {
  startAssist(): Result<Record<string, never>, ServiceFailure>;
  cancelAssist(): Result<Record<string, never>, ServiceFailure>;
  assisting(): boolean;
  /** The helper for the resident application being submitted now, if staff started it. */
  helperForSubmission(): { staffId: string } | undefined;
  /** The application was saved: the assisted application is done. */
  submitted(): void;
  queue(): Result<{ items: QueueItem[] }, ServiceFailure>;
  retry(applicationId: string): Result<{ requeued: number }, ServiceFailure>;
  reprint(applicationId: string): Promise<Result<{ outcome: PrintOutcome }, ServiceFailure>>;
  health(): Promise<Result<StaffHealth, ServiceFailure>>;
  summary(day?: string): Result<DailySummary, ServiceFailure>;
  printSummary(day?: string): Promise<Result<{ outcome: PrintOutcome }, ServiceFailure>>;
}

const offlineStates = new Set(['no-device', 'error', 'offline', 'disconnected', 'unavailable', 'closed']);
const diskLowBytes = 500 * 1024 * 1024;
const assistMaxMs = 30 * 60_000;

export function problemsOf(
  devices: readonly DeviceStateView[],
  facts: {
    reachable: boolean;
    failed: number;
    depth: number;
    oldestUnsentAt: string | null;
    freeBytes: number | null;
    defaultPin: boolean;
    now: number;
  },
): HealthProblem[] {
  const problems: HealthProblem[] = [];
  for (const device of devices) {
    if (device.link.kind === 'none') continue;
    const state = device.status.state;
    if (device.role === 'printer') {
      if (state === 'paper-out') problems.push('printer-paper-out');
      else if (state === 'paper-near-end') problems.push('printer-paper-low');
      else if (state === 'cover-open') problems.push('printer-cover-open');
      else if (offlineStates.has(state)) problems.push('printer-offline');
    } else if (offlineStates.has(state)) {
      problems.push(device.role === 'id-reader' ? 'id-reader-offline' : 'scanner-offline');
    }
  }
  if (!facts.reachable) problems.push('platform-unreachable');
  if (facts.failed > 0) problems.push('outbox-failed');
  // Waiting more than an hour while the platform answers means something else is wrong.
  if (facts.depth > 0 && facts.oldestUnsentAt !== null && facts.now - Date.parse(facts.oldestUnsentAt) > 3_600_000)
    problems.push('outbox-backlog');
  if (facts.freeBytes !== null && facts.freeBytes < diskLowBytes) problems.push('disk-low');
  if (facts.defaultPin) problems.push('default-pin');
  return problems;
}

export function createStaffService(deps: StaffServiceDeps): StaffService {
  const { auth, store, log } = deps;
  const now = deps.now ?? (() => new Date());
  let assist: { staffId: string; actor: string; since: number } | null = null;
  let reach: { at: number; reachable: boolean } | null = null;

  // A resident session that ends without a submission ends the assistance too.
  deps.sessions.onEnded(() => {
    if (assist === null) return;
    store.audit({ actor: assist.actor, action: 'staff.assist-ended', details: { submitted: false } });
    assist = null;
  });

  const staff = () => auth.require('staff');

  async function platformReachable(): Promise<boolean> {
    const at = now().getTime();
    if (reach !== null && at - reach.at < 15_000) return reach.reachable;
    const reachable = await Promise.race([
      deps.pingPlatform().catch(() => false),
      new Promise<boolean>((done) => setTimeout(() => done(false), 4000)),
    ]);
    reach = { at, reachable };
    return reachable;
  }

  return {
    startAssist() {
      const session = staff();
      if (!session.ok) return session;
      // The resident starts fresh: whoever was at the screen is gone.
      deps.sessions.end('cancelled');
      assist = { staffId: session.value.staffId, actor: session.value.actor, since: now().getTime() };
      store.audit({ actor: session.value.actor, action: 'staff.assist-started', details: {} });
      log.info({ role: session.value.role }, 'assisted application started');
      // Staff hand the screen to the resident; staff mode itself ends.
      auth.signOut('signed-out');
      return ok({});
    },
    cancelAssist() {
      if (assist === null) return ok({});
      store.audit({ actor: assist.actor, action: 'staff.assist-cancelled', details: {} });
      assist = null;
      return ok({});
    },
    assisting: () => assist !== null && now().getTime() - assist.since < assistMaxMs,
    helperForSubmission() {
      if (assist === null || now().getTime() - assist.since >= assistMaxMs) return undefined;
      return { staffId: assist.staffId };
    },
    submitted() {
      if (assist === null) return;
      store.audit({ actor: assist.actor, action: 'staff.assist-ended', details: { submitted: true } });
      assist = null;
    },
    queue() {
      const session = staff();
      if (!session.ok) return session;
      return ok({ items: listQueue(store) });
    },
    retry(applicationId) {
      const session = staff();
      if (!session.ok) return session;
      if (store.applications.getSummary(applicationId) === undefined)
        return err({ kind: 'not-found', message: 'unknown application' });
      // The worker writes the audit row (outbox.retry) in the same transaction as the requeue.
      return ok({ requeued: deps.outbox.retryNow(applicationId, session.value.actor) });
    },
    async reprint(applicationId) {
      const session = staff();
      if (!session.ok) return session;
      const printed = await deps.receipts.print(applicationId, { reprint: true, actor: session.value.actor });
      // A reprint that came out is audited by the receipt service (receipt.reprinted); one that did not is audited here.
      if (printed.ok && printed.value.outcome !== 'printed')
        store.audit({
          actor: session.value.actor,
          action: 'staff.reprint-failed',
          details: { applicationId, outcome: printed.value.outcome },
        });
      return printed;
    },
    async health() {
      const session = staff();
      if (!session.ok) return session;
      const devices = deps.devices.states();
      const outbox = deps.outbox.status();
      let disk: StaffHealth['disk'] = null;
      try {
        const stats = await statfs(deps.dataDir);
        disk = { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
      } catch {
        disk = null;
      }
      const reachable = await platformReachable();
      const at = now();
      return ok({
        devices: devices.map((d) => ({
          role: d.role,
          link: d.link,
          state: d.status.state,
          ...(d.status.detail === undefined ? {} : { detail: d.status.detail }),
        })),
        platform: {
          reachable,
          mode: deps.config.platform.mode,
          checkedAt: new Date(reach?.at ?? at.getTime()).toISOString(),
        },
        lastSync: outbox.lastSuccessfulContactAt,
        outbox: {
          depth: outbox.depth,
          failed: outbox.failed,
          sending: outbox.sending,
          oldestUnsentAt: outbox.oldestUnsentAt,
        },
        disk,
        problems: problemsOf(devices, {
          reachable,
          failed: outbox.failed,
          depth: outbox.depth,
          oldestUnsentAt: outbox.oldestUnsentAt,
          freeBytes: disk?.freeBytes ?? null,
          defaultPin: auth.pinIsDefault('staff') || auth.pinIsDefault('technician'),
          now: at.getTime(),
        }),
      });
    },
    summary(day) {
      const session = staff();
      if (!session.ok) return session;
      return ok(dailySummary(store, day ?? localDay(now())));
    },
    async printSummary(day) {
      const session = staff();
      if (!session.ok) return session;
      const summary = dailySummary(store, day ?? localDay(now()));
      const outcome = await deps.printer.print(
        {
          id: `summary:${summary.date}:${now().getTime()}`,
          document: summaryDocument(summary, deps.config, deps.catalogue(), localDateTime(now())),
        },
        { reprint: false },
      );
      store.audit({
        actor: session.value.actor,
        action: 'staff.summary-printed',
        details: { date: summary.date, outcome },
      });
      return ok({ outcome });
    },
  };
}
