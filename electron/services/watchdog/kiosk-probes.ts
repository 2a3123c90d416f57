import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import type { Db } from '../store/database';
import type { DeviceManager } from '../devices/device-manager';
import type { HealthProbe } from './service-watchdog';

/**
 * What "healthy" means for the kiosk's services, beyond a running event loop: the database answers
 * a query, and the device manager is not stuck opening a device. A device that is unplugged or out
 * of paper is NOT unhealthy — restarting would not fix it; staff see it in the health view.
 */
export const deviceOperationLimitMs = 60_000;

export function kioskProbes(deps: { db: Db; devices: DeviceManager; monotonic?: MonotonicClock }): HealthProbe[] {
  // busySince is on the monotonic clock: a wall clock set forward must not make a device start look stuck.
  const now = () => (deps.monotonic ?? monotonicClock).elapsedMs();
  return [
    {
      name: 'database',
      check: () => {
        if (!deps.db.open) return { ok: false, reason: 'closed' };
        const row = deps.db.prepare('SELECT 1 AS one').get() as { one: number } | undefined;
        return row?.one === 1 ? { ok: true } : { ok: false, reason: 'no answer to SELECT 1' };
      },
    },
    {
      name: 'device manager',
      check: () => {
        const since = deps.devices.busySince();
        if (since !== null && now() - since > deviceOperationLimitMs)
          return { ok: false, reason: `a device start has not returned for ${Math.round((now() - since) / 1000)} s` };
        deps.devices.states();
        return { ok: true };
      },
    },
  ];
}
