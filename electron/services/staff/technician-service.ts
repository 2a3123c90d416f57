import { join } from 'node:path';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { DeviceLink, KioskConfig } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { ServiceFailure } from '../../api/contract';
import type { SiteSettings } from '../../api/staff-contract';
import { enrol } from '../platform-client/http-platform-client';
import { readEnrolment, writeEnrolment, type StoredKeys } from '../platform-client/identity-store';
import { listFailedItems } from '../outbox/outbox-status';
import type { OutboxWorker } from '../outbox/outbox-worker';
import { recentAudit, verifyAuditChain, type AuditVerdict } from '../store/audit-log';
import type { Store } from '../store/store';
import type { DeviceManagerPort, DeviceRole, DiscoveredDevices, DeviceStateView } from './device-port';
import { buildDiagnosticsBundle, bundleFileName, removableFolders, writeBundleToFolder } from './diagnostics-bundle';
import type { LogLine, LogRing } from './log-ring';
import {
  applySiteConfig,
  buildSiteConfig,
  hasPreviousSiteConfig,
  readSiteConfig,
  rollbackSiteConfig,
  saveSiteConfig,
  settingsOf,
  type SiteConfigFile,
} from './site-config';
import type { StaffAuth, StaffRole } from './staff-auth';

/**
 * The technician console on the service side: devices, on-site configuration with rollback,
 * enrolment, logs, the diagnostic bundle, PINs and staff cards, and the audit log. Every call needs
 * a technician session; every change is audited.
 */
export interface TechnicianDeps {
  readonly auth: StaffAuth;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  /** The running configuration; live-safe settings are updated in place. */
  readonly config: KioskConfig;
  /** The configuration the kiosk started from before on-site settings (defaults + --config). */
  readonly baseConfig: KioskConfig;
  readonly baseCatalogue: Catalogue;
  /** The catalogue in use, replaced when hall texts change. */
  readonly setCatalogue: (catalogue: Catalogue) => void;
  readonly devices: () => DeviceManagerPort | null;
  readonly keys: StoredKeys;
  readonly platformUrl: string;
  readonly logs: LogRing;
  readonly dataDir: string;
  readonly kioskVersion: string;
  readonly log: Log;
  readonly now?: () => Date;
}

type Outcome = { ok: boolean; message: string };

const configKeyOf: Readonly<Record<DeviceRole, 'idReader' | 'printer' | 'scanner'>> = {
  'id-reader': 'idReader',
  printer: 'printer',
  scanner: 'scanner',
};

export interface TechnicianService {
  devices(): Result<{ devices: DeviceStateView[] }, ServiceFailure>;
  discover(): Promise<Result<DiscoveredDevices, ServiceFailure>>;
  assign(role: DeviceRole, link: DeviceLink, paperWidth?: 58 | 80): Promise<Result<Outcome, ServiceFailure>>;
  selfTest(role: DeviceRole): Promise<Result<Outcome, ServiceFailure>>;
  setCamera(label: string): Result<Outcome, ServiceFailure>;
  getConfig(): Result<
    { settings: SiteSettings; hasPrevious: boolean; savedAt: string | null; savedBy: string | null },
    ServiceFailure
  >;
  saveConfig(
    settings: SiteSettings,
  ): Result<{ saved: true; restartNeeded: string[] } | { saved: false; error: string }, ServiceFailure>;
  rollbackConfig(): Result<
    { rolledBack: true; restartNeeded: string[] } | { rolledBack: false; error: string },
    ServiceFailure
  >;
  identity(): Result<
    {
      terminalId: string;
      fingerprint: string;
      platformUrl: string;
      enrolledAt: string | null;
      mode: 'embedded' | 'remote';
    },
    ServiceFailure
  >;
  enrol(platformUrl: string, code: string): Promise<Result<Outcome, ServiceFailure>>;
  logs(filter: {
    source?: string | undefined;
    level?: LogLine['level'] | undefined;
  }): Result<{ sources: string[]; lines: LogLine[] }, ServiceFailure>;
  diagnosticsTargets(): Result<{ folders: string[] }, ServiceFailure>;
  exportDiagnostics(
    to: { to: 'folder'; folder: string } | { to: 'download' },
  ): Result<{ ok: boolean; message: string; path: string | null; bundleJson: string | null }, ServiceFailure>;
  audit(
    limit?: number,
  ): Result<
    { rows: Array<{ seq: number; at: string; actor: string; action: string; details: string }>; verdict: AuditVerdict },
    ServiceFailure
  >;
  setPin(role: StaffRole, pin: string): Promise<Result<Outcome, ServiceFailure>>;
  cards(): Result<
    { cards: Array<{ staffId: string; registeredAt: string }>; outcome: ReturnType<StaffAuth['cardOutcome']> },
    ServiceFailure
  >;
  registerCard(staffId: string): Result<Outcome, ServiceFailure>;
  removeCard(staffId: string): Result<Outcome, ServiceFailure>;
}

/** Settings that only take effect when the kiosk starts again (the store, platform link and retention timer read them once). */
function restartNeeded(before: KioskConfig, after: KioskConfig): string[] {
  const changed: string[] = [];
  if (before.terminal.code !== after.terminal.code) changed.push('terminal.code');
  if (before.platform.mode !== after.platform.mode || before.platform.url !== after.platform.url)
    changed.push('platform.url');
  if (before.privacy.retentionDays !== after.privacy.retentionDays) changed.push('privacy.retentionDays');
  return changed;
}

export function createTechnicianService(deps: TechnicianDeps): TechnicianService {
  const { auth, store, log } = deps;
  const now = deps.now ?? (() => new Date());
  /** What the kiosk actually runs with since it started: restart-only settings compare against it. */
  const startedWith = structuredClone(deps.config);
  const tech = () => auth.require('technician');
  const noDevices: ServiceFailure = { kind: 'device-unavailable', message: 'the device manager is not running' };

  /** Applies the live-safe part of a configuration to the running one. */
  function applyLive(next: KioskConfig, catalogue: Catalogue): string[] {
    Object.assign(deps.config.terminal, { name: next.terminal.name });
    Object.assign(deps.config.servicePoint, next.servicePoint);
    Object.assign(deps.config.ui, next.ui);
    deps.config.devices.cameraLabel = next.devices.cameraLabel;
    deps.setCatalogue(catalogue);
    return restartNeeded(startedWith, next);
  }

  function currentFile(): SiteConfigFile | null {
    const file = readSiteConfig(deps.dataDir);
    return file.ok ? file.value : null;
  }

  function currentCatalogueAndConfig(): { config: KioskConfig; catalogue: Catalogue } {
    const applied = applySiteConfig(deps.baseConfig, deps.baseCatalogue, currentFile());
    return applied.ok ? applied.value : { config: deps.baseConfig, catalogue: deps.baseCatalogue };
  }

  function save(settings: SiteSettings, actor: string, extra: (file: SiteConfigFile) => SiteConfigFile = (f) => f) {
    const built = buildSiteConfig(deps.baseConfig, deps.baseCatalogue, settings, actor, now());
    if (!built.ok) return built;
    const previous = currentFile();
    // Keep earlier on-site choices this form does not show (the camera label).
    const file = extra({
      ...built.value.file,
      config: {
        ...built.value.file.config,
        ...(previous?.config['devices'] === undefined ? {} : { devices: previous.config['devices'] }),
      },
    });
    const checked = applySiteConfig(deps.baseConfig, deps.baseCatalogue, file);
    if (!checked.ok) return checked;
    const saved = saveSiteConfig(deps.dataDir, file);
    if (!saved.ok) return saved;
    return ok(applyLive(checked.value.config, checked.value.catalogue));
  }

  function getCurrentSettings(): SiteSettings {
    const current = currentCatalogueAndConfig();
    return settingsOf(current.config, current.catalogue);
  }

  /** Keeps device choices in the on-site file too, so they survive a restart. */
  function saveDevices(actor: string, patch: Record<string, unknown>): Result<string[], string> {
    const current = currentCatalogueAndConfig();
    return save(settingsOf(current.config, current.catalogue), actor, (file) => {
      const devices = file.config['devices'];
      return {
        ...file,
        config: {
          ...file.config,
          devices: { ...(typeof devices === 'object' && devices !== null ? devices : {}), ...patch },
        },
      };
    });
  }

  return {
    devices() {
      const session = tech();
      if (!session.ok) return session;
      const devices = deps.devices();
      return devices === null ? err(noDevices) : ok({ devices: devices.states() });
    },
    async discover() {
      const session = tech();
      if (!session.ok) return session;
      const devices = deps.devices();
      if (devices === null) return err(noDevices);
      const found = await devices.discover();
      store.audit({
        actor: session.value.actor,
        action: 'tech.devices-discovered',
        details: { serial: found.serial.length, hid: found.hid.length },
      });
      return ok(found);
    },
    async assign(role, link, paperWidth) {
      const session = tech();
      if (!session.ok) return session;
      const devices = deps.devices();
      if (devices === null) return err(noDevices);
      const result = await devices.assign(role, link, paperWidth === undefined ? {} : { paperWidth });
      store.audit({
        actor: session.value.actor,
        action: 'tech.device-assigned',
        details: { role, link: link.kind, path: 'path' in link ? link.path : null, ok: result.ok },
      });
      log.info({ role, link: link.kind, ok: result.ok }, 'device assigned');
      if (!result.ok) return ok({ ok: false, message: result.error.message });
      const kept = saveDevices(session.value.actor, {
        [configKeyOf[role]]: link,
        ...(role === 'printer' && paperWidth !== undefined ? { printerPaperWidth: paperWidth } : {}),
      });
      return ok(
        kept.ok
          ? { ok: true, message: 'assigned' }
          : { ok: true, message: `assigned, but not kept for the next start: ${kept.error}` },
      );
    },
    async selfTest(role) {
      const session = tech();
      if (!session.ok) return session;
      const devices = deps.devices();
      if (devices === null) return err(noDevices);
      const result = await devices.selfTest(role);
      store.audit({ actor: session.value.actor, action: 'tech.self-test', details: { role, ok: result.ok } });
      return ok(result);
    },
    setCamera(label) {
      const session = tech();
      if (!session.ok) return session;
      const saved = saveDevices(session.value.actor, { cameraLabel: label });
      if (!saved.ok) return ok({ ok: false, message: saved.error });
      store.audit({ actor: session.value.actor, action: 'tech.camera-set', details: { labelLength: label.length } });
      return ok({ ok: true, message: 'saved' });
    },
    getConfig() {
      const session = tech();
      if (!session.ok) return session;
      const file = currentFile();
      const current = currentCatalogueAndConfig();
      return ok({
        settings: settingsOf(current.config, current.catalogue),
        hasPrevious: hasPreviousSiteConfig(deps.dataDir),
        savedAt: file?.savedAt ?? null,
        savedBy: file?.savedBy ?? null,
      });
    },
    saveConfig(settings) {
      const session = tech();
      if (!session.ok) return session;
      const before = getCurrentSettings();
      const saved = save(settings, session.value.actor);
      if (!saved.ok) {
        store.audit({
          actor: session.value.actor,
          action: 'tech.config-refused',
          details: { reason: saved.error.slice(0, 200) },
        });
        log.warn({ reason: saved.error }, 'configuration change refused');
        return ok({ saved: false as const, error: saved.error });
      }
      // Which settings, not their values: the audit says what was done, the file holds the values.
      const changed = (Object.keys(settings) as Array<keyof SiteSettings>).filter(
        (key) => JSON.stringify(settings[key]) !== JSON.stringify(before[key]),
      );
      store.audit({
        actor: session.value.actor,
        action: 'tech.config-saved',
        details: { changed, restartNeeded: saved.value },
      });
      log.info({ restartNeeded: saved.value.join(',') }, 'configuration saved');
      return ok({ saved: true as const, restartNeeded: saved.value });
    },
    rollbackConfig() {
      const session = tech();
      if (!session.ok) return session;
      const rolled = rollbackSiteConfig(deps.dataDir);
      if (!rolled.ok) return ok({ rolledBack: false as const, error: rolled.error });
      const applied = applySiteConfig(deps.baseConfig, deps.baseCatalogue, rolled.value);
      if (!applied.ok) return ok({ rolledBack: false as const, error: applied.error });
      const restart = applyLive(applied.value.config, applied.value.catalogue);
      store.audit({
        actor: session.value.actor,
        action: 'tech.config-rolled-back',
        details: { restartNeeded: restart },
      });
      log.info({}, 'configuration rolled back');
      return ok({ rolledBack: true as const, restartNeeded: restart });
    },
    identity() {
      const session = tech();
      if (!session.ok) return session;
      const enrolled = readEnrolment(deps.dataDir);
      return ok({
        terminalId: deps.config.terminal.id,
        fingerprint: deps.keys.fingerprint,
        platformUrl: enrolled?.platformUrl ?? deps.platformUrl,
        enrolledAt: enrolled?.enrolledAt ?? null,
        mode: deps.config.platform.mode,
      });
    },
    async enrol(platformUrl, code) {
      const session = tech();
      if (!session.ok) return session;
      let url: string;
      try {
        url = new URL(platformUrl.trim() === '' ? deps.platformUrl : platformUrl.trim()).toString();
      } catch {
        return ok({ ok: false, message: 'not a URL' });
      }
      const result = await enrol(
        url,
        code,
        { terminalId: deps.config.terminal.id, privateKey: deps.keys.privateKey, publicKey: deps.keys.publicKey },
        { timeoutMs: deps.config.platform.requestTimeoutSeconds * 1000, log },
      );
      store.audit({
        actor: session.value.actor,
        action: 'tech.enrol',
        details: { ok: result.ok, status: result.ok ? 200 : result.error.kind === 'final' ? result.error.status : 0 },
      });
      if (!result.ok)
        return ok({
          ok: false,
          message:
            result.error.kind === 'final'
              ? `${result.error.status} ${result.error.reason}`
              : `cannot reach the platform: ${result.error.reason}`,
        });
      writeEnrolment(deps.dataDir, {
        terminalId: deps.config.terminal.id,
        platformUrl: url.replace(/\/$/, ''),
        fingerprint: deps.keys.fingerprint,
        enrolledAt: now().toISOString(),
        ...(result.value.fleet === undefined ? {} : { fleet: result.value.fleet }),
      });
      log.info({ fingerprint: deps.keys.fingerprint }, 'terminal enrolled by technician');
      deps.outbox.kick();
      return ok({ ok: true, message: 'enrolled' });
    },
    logs(filter) {
      const session = tech();
      if (!session.ok) return session;
      return ok({
        sources: deps.logs.sources(),
        lines: deps.logs.lines({
          ...(filter.source === undefined ? {} : { source: filter.source }),
          ...(filter.level === undefined ? {} : { level: filter.level }),
          limit: 200,
        }),
      });
    },
    diagnosticsTargets() {
      const session = tech();
      if (!session.ok) return session;
      return ok({ folders: [...removableFolders(), join(deps.dataDir, 'diagnostics')] });
    },
    exportDiagnostics(to) {
      const session = tech();
      if (!session.ok) return session;
      const at = now();
      const enrolled = readEnrolment(deps.dataDir);
      const text = buildDiagnosticsBundle({
        kioskVersion: deps.kioskVersion,
        config: deps.config,
        siteConfigSavedAt: currentFile()?.savedAt ?? null,
        devices: deps.devices()?.states() ?? null,
        logs: deps.logs.lines({ limit: 500 }),
        outbox: deps.outbox.status(),
        failedItems: listFailedItems(store.db, 50),
        audit: verifyAuditChain(store.db),
        identity: {
          fingerprint: deps.keys.fingerprint,
          enrolledAt: enrolled?.enrolledAt ?? null,
          platformUrl: enrolled?.platformUrl ?? deps.platformUrl,
        },
        generatedAt: at,
        source: 'console',
      });
      const name = bundleFileName(deps.config.terminal.id, at);
      if (to.to === 'download') {
        store.audit({
          actor: session.value.actor,
          action: 'tech.diagnostics-exported',
          details: { to: 'download', bytes: text.length },
        });
        return ok({ ok: true, message: name, path: null, bundleJson: text });
      }
      // Only the offered folders: the console must not become a way to write anywhere on disk.
      const allowed = [...removableFolders(), join(deps.dataDir, 'diagnostics')];
      if (!allowed.includes(to.folder))
        return ok({ ok: false, message: 'not an offered folder', path: null, bundleJson: null });
      try {
        const path = writeBundleToFolder(to.folder, name, text);
        store.audit({
          actor: session.value.actor,
          action: 'tech.diagnostics-exported',
          details: { to: 'folder', bytes: text.length },
        });
        log.info({ bytes: text.length }, 'diagnostic bundle exported');
        return ok({ ok: true, message: name, path, bundleJson: null });
      } catch (error) {
        return ok({
          ok: false,
          message: `cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          path: null,
          bundleJson: null,
        });
      }
    },
    audit(limit = 100) {
      const session = tech();
      if (!session.ok) return session;
      const verdict = verifyAuditChain(store.db);
      store.audit({ actor: session.value.actor, action: 'tech.audit-viewed', details: { verified: verdict.ok } });
      return ok({
        rows: recentAudit(store.db, limit).map(({ seq, at, actor, action, details }) => ({
          seq,
          at,
          actor,
          action,
          details,
        })),
        verdict,
      });
    },
    async setPin(role, pin) {
      const session = tech();
      if (!session.ok) return session;
      const result = await auth.setPin(role, pin, session.value.actor);
      return ok(result.ok ? { ok: true, message: 'changed' } : { ok: false, message: result.error.message });
    },
    cards() {
      const session = tech();
      if (!session.ok) return session;
      return ok({ cards: auth.registeredCards(), outcome: auth.cardOutcome() });
    },
    registerCard(staffId) {
      const session = tech();
      if (!session.ok) return session;
      const waiting = auth.awaitCardRegistration(staffId, session.value.actor);
      return ok(
        waiting.ok ? { ok: true, message: 'waiting for the card' } : { ok: false, message: waiting.error.message },
      );
    },
    removeCard(staffId) {
      const session = tech();
      if (!session.ok) return session;
      return ok(
        auth.removeCard(staffId, session.value.actor)
          ? { ok: true, message: 'removed' }
          : { ok: false, message: 'no such card' },
      );
    },
  };
}
