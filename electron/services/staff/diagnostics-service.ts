import { join } from 'node:path';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Refusal } from '../../api/failures';
import type { ResultOf } from '../../api/contract';
import { listFailedItems } from '../outbox/outbox-status';
import type { OutboxWorker } from '../outbox/outbox-worker';
import { readEnrolment, type StoredKeys } from '../platform-client/identity-store';
import { recentAudit } from '../store/audit-log';
import type { Store } from '../store/store';
import type { DeviceManagerPort } from './device-port';
import { buildDiagnosticsBundle, bundleFileName, removableFolders, writeBundleToFolder } from './diagnostics-bundle';
import type { LogLine, LogRing } from './log-ring';
import type { Actor } from './staff-guard';

/**
 * What the technician reads to find a fault: recent log lines, the diagnostic bundle (to a USB
 * stick, the data folder or a download; no personal data) and the audit log with its verdict.
 */
export interface DiagnosticsService {
  logs(filter: {
    source?: string | undefined;
    level?: LogLine['level'] | undefined;
  }): Result<{ sources: string[]; lines: LogLine[] }, never>;
  targets(): Result<{ folders: string[] }, never>;
  export(
    to: { to: 'folder'; folder: string } | { to: 'download' },
    actor: Actor,
  ): Result<
    ResultOf<'tech.diagnostics.export'>,
    Refusal<{ kind: 'folder-not-offered' }> | Refusal<{ kind: 'not-written'; detail: string }>
  >;
  audit(limit: number | undefined, actor: Actor): Result<ResultOf<'tech.audit'>, never>;
  /** The bundle's text as the export writes it (a fleet command uploads it to the platform). */
  bundle(source: 'console' | 'fleet', at?: Date): string;
}

export function createDiagnosticsService(deps: {
  readonly store: Pick<Store, 'db' | 'verifyAudit'>;
  readonly outbox: Pick<OutboxWorker, 'status'>;
  readonly devices: Pick<DeviceManagerPort, 'states'>;
  readonly config: KioskConfig;
  /** When the on-site settings were last saved. */
  readonly siteConfigSavedAt: () => string | null;
  readonly keys: StoredKeys;
  readonly platformUrl: string;
  readonly logs: LogRing;
  readonly dataDir: string;
  readonly kioskVersion: string;
  readonly log: Log;
  readonly now?: () => Date;
}): DiagnosticsService {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  // Only these folders: the console must not become a way to write anywhere on disk.
  const offeredFolders = () => [...removableFolders(), join(deps.dataDir, 'diagnostics')];
  const bundle = (source: 'console' | 'fleet', at = now()): string => {
    const enrolled = readEnrolment(deps.dataDir);
    return buildDiagnosticsBundle({
      kioskVersion: deps.kioskVersion,
      config: deps.config,
      siteConfigSavedAt: deps.siteConfigSavedAt(),
      devices: deps.devices.states(),
      logs: deps.logs.lines({ limit: 500 }),
      outbox: deps.outbox.status(),
      failedItems: listFailedItems(store.db, 50),
      audit: store.verifyAudit(),
      identity: {
        fingerprint: deps.keys.fingerprint,
        enrolledAt: enrolled?.enrolledAt ?? null,
        platformUrl: enrolled?.platformUrl ?? deps.platformUrl,
      },
      generatedAt: at,
      source,
    });
  };
  return {
    logs: (filter) =>
      ok({
        sources: deps.logs.sources(),
        lines: deps.logs.lines({
          ...(filter.source === undefined ? {} : { source: filter.source }),
          ...(filter.level === undefined ? {} : { level: filter.level }),
          limit: 200,
        }),
      }),
    targets: () => ok({ folders: offeredFolders() }),
    bundle,
    export(to, actor) {
      const at = now();
      const text = bundle('console', at);
      const name = bundleFileName(deps.config.terminal.id, at);
      if (to.to === 'download') {
        actor.audit('tech.diagnostics-exported', { to: 'download', bytes: text.length });
        return ok({ to: 'download', name, bundleJson: text });
      }
      if (!offeredFolders().includes(to.folder)) return err({ kind: 'folder-not-offered' });
      try {
        const path = writeBundleToFolder(to.folder, name, text);
        actor.audit('tech.diagnostics-exported', { to: 'folder', bytes: text.length });
        log.info({ bytes: text.length }, 'diagnostic bundle exported');
        return ok({ to: 'folder', name, path });
      } catch (error) {
        return err({ kind: 'not-written', detail: (error as NodeJS.ErrnoException).code ?? 'error' });
      }
    },
    audit(limit = 100, actor) {
      const verdict = store.verifyAudit();
      actor.audit('tech.audit-viewed', { verified: verdict.ok });
      return ok({
        rows: recentAudit(store.db, limit).map(({ seq, at, actor: who, action, details }) => ({
          seq,
          at,
          actor: who,
          action,
          details,
        })),
        verdict,
      });
    },
  };
}
