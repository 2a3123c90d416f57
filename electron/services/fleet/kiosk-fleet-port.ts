/**
 * The FleetTerminalPort filled from the kiosk's running services: what the composition root hands
 * the fleet agent. Reads only non-personal facts (device states, counts, times, hashes).
 */
import { statfs } from 'node:fs/promises';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { EventSink } from '../../api/rpc-server';
import type { DeviceManager } from '../devices/device-manager';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { PlatformClock } from '../platform-client/platform-clock';
import type { SessionService } from '../session/session-service';
import { auditHeadOf } from '../store/audit-log';
import type { Store } from '../store/store';
import type { StorageGuard } from '../store/storage-guard';
import { kioskVersion } from '../version';
import type { FleetTerminalPort } from './fleet-port';

export function fleetPortFor(deps: {
  readonly config: KioskConfig;
  readonly dataDir: string;
  readonly startedAt: number;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly devices: DeviceManager;
  readonly sessions: SessionService;
  readonly events: EventSink;
  /** Terminal clock minus the platform's, measured from the platform's answers. */
  readonly platformClock: Pick<PlatformClock, 'offsetMs'>;
  readonly storage: Pick<StorageGuard, 'state'>;
  readonly uploadDiagnostics?: () => Promise<{ ok: boolean; message: string }>;
}): FleetTerminalPort {
  let lastActivity: string | null = null;
  deps.sessions.onEnded(() => {
    lastActivity = new Date().toISOString();
  });
  return {
    identity: () => ({
      name: deps.config.terminal.name,
      village: deps.config.servicePoint.name,
      version: kioskVersion,
      startedAt: new Date(deps.startedAt).toISOString(),
    }),
    devices: () =>
      Object.fromEntries(
        deps.devices
          .states()
          .filter((d) => d.link.kind !== 'none')
          .map((d) => [
            d.role,
            d.status.detail === undefined
              ? { state: d.status.state }
              : { ...d.status, detail: d.status.detail.slice(0, 200) },
          ]),
      ),
    outbox: () => {
      const status = deps.outbox.status();
      return { depth: status.depth, oldestUnsentAt: status.oldestUnsentAt };
    },
    async diskFreeBytes() {
      try {
        const stats = await statfs(deps.dataDir);
        return stats.bavail * stats.bsize;
      } catch {
        return null;
      }
    },
    applicationsRefused: () => !deps.storage.state().accepting,
    // Null until an answer from the platform carried a Date header.
    clockOffsetMs: () => deps.platformClock.offsetMs(),
    lastResidentActivityAt: () => (deps.sessions.current === null ? lastActivity : new Date().toISOString()),
    auditHead: () => auditHeadOf(deps.store.db)?.hash ?? null,
    actions: {
      async refreshCatalogue() {
        const outcome = await deps.outbox.refreshCatalogue();
        return { ok: outcome === 'updated' || outcome === 'not-modified', message: `catalogue ${outcome}` };
      },
      uploadDiagnostics:
        deps.uploadDiagnostics ??
        (() => Promise.resolve({ ok: false, message: 'diagnostics upload is not available on this terminal' })),
      async selfTest(device) {
        const result = await deps.devices.selfTest(device);
        if (result.ok) return { ok: true, message: result.value.slice(0, 300) };
        switch (result.error.kind) {
          case 'no-device':
            return { ok: false, message: 'no device attached' };
          case 'self-test-failed':
            return { ok: false, message: result.error.detail.slice(0, 300) };
        }
      },
      showNotice(notice) {
        deps.events.emit('notice.changed', { notice });
      },
    },
  };
}
