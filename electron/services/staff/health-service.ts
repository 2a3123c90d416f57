import { statfs } from 'node:fs/promises';
import { ok, type Result } from '../../../foundation/result';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { A4PrinterView, HealthProblem, StaffHealth } from '../../api/staff-contract';
import type { StandingHold } from '../outbox/outbox-status';
import type { StorageGuard } from '../store/storage-guard';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { DeviceRole } from '../../api/device-contract';
import { deviceStateView, type DeviceManagerPort, type DeviceState } from './device-port';

/**
 * Health at a glance for staff: devices, the platform, what waits to be sent, disk space, and the
 * problems among them in plain words with the next step (the renderer words them).
 */
const offlineStates = new Set(['no-device', 'error', 'offline', 'disconnected', 'unavailable', 'closed']);
/** The printer has problems of its own (paper, cover); the others are attached or not. */
const offlineProblem: Readonly<Record<DeviceRole, HealthProblem>> = {
  'id-reader': 'id-reader-offline',
  printer: 'printer-offline',
  scanner: 'scanner-offline',
  keypad: 'keypad-offline',
};
const diskLowBytes = 500 * 1024 * 1024;
const restoreShownMs = 7 * 86_400_000;

export function problemsOf(
  devices: readonly DeviceState[],
  facts: {
    reachable: boolean;
    failed: number;
    depth: number;
    oldestUnsentAt: string | null;
    freeBytes: number | null;
    /** New applications are refused for want of space (store/storage-guard.ts). */
    applicationsRefused?: boolean;
    now: number;
    hold?: StandingHold | null;
    /** When the database was last restored from a backup (shown for a week). */
    restoredAt?: string | null;
    a4Printer?: Pick<A4PrinterView, 'link' | 'state'> | null;
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
      problems.push(offlineProblem[device.role]);
    }
  }
  const a4 = facts.a4Printer;
  if (a4 != null && a4.link.kind !== 'none' && a4.state !== 'ready' && a4.state !== 'busy')
    problems.push('a4-printer-attention');
  // A platform that refuses this terminal's clock or key did answer: say that, not "unreachable".
  if (facts.hold?.kind === 'clock') problems.push('terminal-clock-off');
  else if (facts.hold?.kind === 'not-enrolled') problems.push('terminal-not-enrolled');
  else if (!facts.reachable) problems.push('platform-unreachable');
  if (facts.failed > 0) problems.push('outbox-failed');
  // Waiting more than an hour while the platform answers means something else is wrong.
  if (facts.depth > 0 && facts.oldestUnsentAt !== null && facts.now - Date.parse(facts.oldestUnsentAt) > 3_600_000)
    problems.push('outbox-backlog');
  // Refusing residents outranks the early warning: one line, the one that says what residents meet.
  if (facts.applicationsRefused === true) problems.push('storage-full');
  else if (facts.freeBytes !== null && facts.freeBytes < diskLowBytes) problems.push('disk-low');
  if (facts.restoredAt != null && facts.now - Date.parse(facts.restoredAt) < restoreShownMs)
    problems.push('database-restored');
  return problems;
}

/** Whole minutes (at least 1), for "the terminal clock is off by N minutes"; null without a measured clock hold. */
export function clockOffMinutes(hold: StandingHold | null): number | null {
  if (hold?.kind !== 'clock' || hold.offsetMs === null) return null;
  return Math.max(1, Math.round(Math.abs(hold.offsetMs) / 60_000));
}

/**
 * A slow probe's answer, kept for 15 s of elapsed time (with the wall clock, one set back would keep
 * it for hours); callers meanwhile share the asking in flight.
 */
function keptAnswer<T>(
  now: () => Date,
  probe: () => Promise<T>,
  keepMs = 15_000,
): () => Promise<{ readonly value: T; readonly checkedAt: Date }> {
  let kept: { at: number; answer: Promise<{ value: T; checkedAt: Date }> } | null = null;
  return () => {
    const at = performance.now();
    if (kept === null || at - kept.at >= keepMs) {
      const answer = probe().then((value) => ({ value, checkedAt: now() }));
      kept = { at, answer };
      // A probe that failed is asked again next time, not kept.
      answer.catch(() => {
        if (kept?.answer === answer) kept = null;
      });
    }
    return kept.answer;
  };
}

export interface HealthService {
  health(): Promise<Result<StaffHealth, never>>;
}

export function createHealthService(deps: {
  readonly config: KioskConfig;
  readonly devices: Pick<DeviceManagerPort, 'states'>;
  readonly outbox: Pick<OutboxWorker, 'status'>;
  /** A signed call to the platform (the heartbeat); true when it answered. */
  readonly pingPlatform: () => Promise<boolean>;
  readonly restoredAt?: () => string | null;
  /** The A4 printer for proofs, asked over IPP (a4-printer-admin.ts). */
  readonly a4Printer: () => Promise<A4PrinterView>;
  readonly dataDir: string;
  /** Whether new applications are taken (store/storage-guard.ts). */
  readonly storage: Pick<StorageGuard, 'state'>;
  readonly now?: () => Date;
}): HealthService {
  const now = deps.now ?? (() => new Date());
  // Asked at most every 15 s, however often staff health is read (each asking may take seconds).
  const platform = keptAnswer(now, () =>
    Promise.race([
      deps.pingPlatform().catch(() => false),
      new Promise<boolean>((done) => setTimeout(() => done(false), 4000)),
    ]),
  );
  const a4 = keptAnswer(now, deps.a4Printer);

  return {
    async health() {
      const devices = deps.devices.states();
      const outbox = deps.outbox.status();
      let disk: StaffHealth['disk'] = null;
      try {
        const stats = await statfs(deps.dataDir);
        disk = { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
      } catch {
        disk = null;
      }
      const [reach, { value: a4Printer }] = await Promise.all([platform(), a4()]);
      const reachable = reach.value;
      const at = now();
      return ok({
        devices: devices.map(deviceStateView),
        a4Printer,
        platform: {
          reachable,
          mode: deps.config.platform.mode,
          checkedAt: reach.checkedAt.toISOString(),
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
          applicationsRefused: !deps.storage.state().accepting,
          now: at.getTime(),
          hold: outbox.hold,
          restoredAt: deps.restoredAt?.() ?? null,
          a4Printer,
        }),
        clockOffMinutes: clockOffMinutes(outbox.hold),
      });
    },
  };
}
