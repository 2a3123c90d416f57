/**
 * Which alert conditions hold, from what the terminal observes (pure). The fleet agent compares
 * this with the alerts open in its store and records a `raised` or `cleared` event for each change.
 */
import type { AlertCode } from '../../../fleet/contract/fleet-payloads';

export interface Observation {
  /** Configured devices only (a role set to `none` is not watched). */
  readonly devices: Readonly<Record<string, { state: string; detail?: string }>>;
  readonly outbox: { readonly depth: number; readonly oldestUnsentAt: string | null };
  readonly diskFreeBytes: number | null;
  /** The terminal refuses new applications for want of space, whatever the fleet's own threshold says. */
  readonly applicationsRefused: boolean;
  readonly clockOffsetMs: number | null;
  readonly now: number;
}

export interface AlertThresholds {
  readonly outboxStuckMs: number;
  readonly diskLowBytes: number;
  readonly clockSkewMs: number;
  /** A device must stay unplugged this long before it is reported (start-up and reconnects flap). */
  readonly unpluggedSettleMs: number;
}

export const defaultThresholds: AlertThresholds = {
  outboxStuckMs: 30 * 60_000,
  diskLowBytes: 500 * 1024 * 1024,
  clockSkewMs: 2 * 60_000,
  unpluggedSettleMs: 5000,
};

/** Conditions holding now, with a short detail; unplugged ones carry `settle` (they wait before being raised). */
export function conditionsOf(
  observation: Observation,
  thresholds: AlertThresholds,
): Map<AlertCode, { detail?: string; settle: boolean }> {
  const found = new Map<AlertCode, { detail?: string; settle: boolean }>();
  const add = (code: AlertCode, detail?: string, settle = false) =>
    found.set(code, { ...(detail === undefined ? {} : { detail }), settle });
  for (const [role, status] of Object.entries(observation.devices)) {
    const unplugged = status.state === 'no-device';
    const fault = status.state === 'error' || status.state === 'cover-open';
    switch (role) {
      case 'printer':
        if (status.state === 'paper-out') add('printer-paper-out');
        else if (status.state === 'paper-near-end') add('printer-paper-near-end');
        else if (unplugged) add('printer-unplugged', status.detail, true);
        else if (fault) add('printer-fault', status.detail ?? status.state);
        break;
      case 'id-reader':
        if (unplugged) add('id-reader-unplugged', status.detail, true);
        else if (fault) add('id-reader-fault', status.detail ?? status.state);
        break;
      case 'scanner':
        if (unplugged) add('scanner-unplugged', status.detail, true);
        break;
      default:
        break;
    }
  }
  const oldest = observation.outbox.oldestUnsentAt;
  if (oldest !== null && observation.now - Date.parse(oldest) > thresholds.outboxStuckMs)
    add('outbox-stuck', `${observation.outbox.depth} waiting since ${oldest}`);
  const free = observation.diskFreeBytes;
  const freeText = free === null ? 'free space unknown' : `${Math.floor(free / 1024 / 1024)} MB free`;
  if (observation.applicationsRefused) add('disk-low', `${freeText}; new applications refused`);
  else if (free !== null && free < thresholds.diskLowBytes) add('disk-low', freeText);
  if (observation.clockOffsetMs !== null && Math.abs(observation.clockOffsetMs) > thresholds.clockSkewMs)
    add('clock-skew', `${Math.round(observation.clockOffsetMs / 1000)} s`);
  return found;
}
