import { err, ok, type Result } from '../../../foundation/result';
import type { Log } from '../../../foundation/log';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Refusal } from '../../api/failures';
import type { SiteSettingName, SiteSettings } from '../../api/staff-contract';
import { settingsRefusalOf, type SettingsRefusal } from './settings-problem';
import {
  applySiteConfig,
  buildSiteConfig,
  hasPreviousSiteConfig,
  readPreviousSiteConfig,
  readSiteConfig,
  rollbackSiteConfig,
  saveSiteConfig,
  type SiteConfigError,
  settingsOf,
  type SiteConfigFile,
} from './site-config';
import type { Actor } from './staff-guard';
import { readEnrolment, samePlatform } from '../platform-client/identity-store';

/**
 * The technician's on-site settings (`<data>/site-config.json` over the configuration file, hall
 * texts over the catalogue): showing them, saving with the previous file kept, rolling back, and
 * keeping device choices for the next start. Live-safe settings apply at once; the answer names
 * those that need a restart.
 */
export interface SiteSettingsDeps {
  /** The running configuration; live-safe settings are updated in place. */
  readonly config: KioskConfig;
  /** The configuration the kiosk started from before on-site settings (defaults + --config). */
  readonly baseConfig: KioskConfig;
  readonly baseCatalogue: Catalogue;
  /** The catalogue in use, replaced when hall texts change. */
  readonly setCatalogue: (catalogue: Catalogue) => void;
  readonly dataDir: string;
  readonly log: Log;
  readonly now?: () => Date;
}

type NotSaved = Refusal<{ kind: 'not-saved'; detail: string }>;
type InvalidSettings = Refusal<{ kind: 'invalid-settings'; detail: string } & SettingsRefusal>;

const invalidSettings = (error: SiteConfigError): InvalidSettings => ({
  kind: 'invalid-settings',
  detail: error.message.slice(0, 500),
  ...settingsRefusalOf(error.issue),
});
type EnrolFirst = Refusal<{ kind: 'enrol-first' }>;

export interface SiteSettingsService {
  get(): Result<
    { settings: SiteSettings; hasPrevious: boolean; savedAt: string | null; savedBy: string | null },
    never
  >;
  /** Refuses another platform address than the one the terminal is enrolled at (enrolment-service.ts moves both). */
  save(
    settings: SiteSettings,
    actor: Actor,
  ): Result<{ restartNeeded: SiteSettingName[] }, InvalidSettings | NotSaved | EnrolFirst>;
  rollback(
    actor: Actor,
  ): Result<
    { restartNeeded: SiteSettingName[] },
    Refusal<{ kind: 'nothing-to-roll-back' }> | Refusal<{ kind: 'not-rolled-back'; detail: string }> | EnrolFirst
  >;
  /**
   * The terminal was just enrolled at `url` and the link moved there: the on-site file names it too,
   * so the next start talks to the same platform.
   */
  keepPlatform(url: string, savedBy: string): Result<void, InvalidSettings | NotSaved>;
  /** Keeps device choices (links, paper width, camera) in the on-site file, so they survive a restart. */
  keepDeviceChoice(patch: Record<string, unknown>, actor: Actor): Result<void, InvalidSettings | NotSaved>;
  /** When the on-site file was last saved (the diagnostic bundle shows it). */
  savedAt(): string | null;
}

/** Settings that only take effect when the kiosk starts again (the store, platform link and retention timer read them once). */
function restartNeeded(before: KioskConfig, after: KioskConfig): SiteSettingName[] {
  const changed: SiteSettingName[] = [];
  if (before.terminal.code !== after.terminal.code) changed.push('terminalCode');
  if (before.platform.mode !== after.platform.mode || before.platform.url !== after.platform.url)
    changed.push('platformUrl');
  if (before.privacy.retentionDays !== after.privacy.retentionDays) changed.push('retentionDays');
  return changed;
}

export function createSiteSettingsService(deps: SiteSettingsDeps): SiteSettingsService {
  const { log } = deps;
  const now = deps.now ?? (() => new Date());
  /** What the kiosk actually runs with since it started: restart-only settings compare against it. */
  const startedWith = structuredClone(deps.config);

  /** Applies the live-safe part of a configuration to the running one. */
  function applyLive(next: KioskConfig, catalogue: Catalogue): SiteSettingName[] {
    Object.assign(deps.config.terminal, { name: next.terminal.name });
    Object.assign(deps.config.servicePoint, next.servicePoint);
    Object.assign(deps.config.ui, next.ui);
    // Asked afresh on every call (audio.privateListening): the next resident in the mode has it.
    deps.config.accessibility = next.accessibility;
    deps.config.devices.cameraLabel = next.devices.cameraLabel;
    deps.setCatalogue(catalogue);
    return restartNeeded(startedWith, next);
  }

  function currentFile(): SiteConfigFile | null {
    const file = readSiteConfig(deps.dataDir);
    return file.ok ? file.value : null;
  }

  function current(): { config: KioskConfig; catalogue: Catalogue } {
    const applied = applySiteConfig(deps.baseConfig, deps.baseCatalogue, currentFile());
    return applied.ok ? applied.value : { config: deps.baseConfig, catalogue: deps.baseCatalogue };
  }

  function currentSettings(): SiteSettings {
    const { config, catalogue } = current();
    return settingsOf(config, catalogue);
  }

  /**
   * The terminal's key and enrolment belong to one platform: an address may only change to the
   * platform the enrolment record names (the platform link sends nowhere else anyway).
   */
  function platformAllowed(next: KioskConfig): boolean {
    const { platform } = current().config;
    if (next.platform.mode === platform.mode && next.platform.url === platform.url) return true;
    const enrolled = readEnrolment(deps.dataDir);
    return (
      next.platform.mode === 'remote' &&
      next.platform.url !== undefined &&
      enrolled !== null &&
      samePlatform(enrolled.platformUrl, next.platform.url)
    );
  }

  function write(
    settings: SiteSettings,
    savedBy: string,
    extra: (file: SiteConfigFile) => SiteConfigFile = (f) => f,
  ): Result<SiteSettingName[], InvalidSettings | NotSaved> {
    const built = buildSiteConfig(deps.baseConfig, deps.baseCatalogue, settings, savedBy, now());
    if (!built.ok) return err(invalidSettings(built.error));
    const previous = currentFile();
    // Keep earlier on-site choices this form does not show (the camera label, and the terminal id
    // `kiosk provision` set: the id the platform enrolled).
    const earlierTerminal = previous?.config['terminal'] as { id?: unknown } | undefined;
    const terminal = built.value.file.config['terminal'] as Record<string, unknown>;
    const file = extra({
      ...built.value.file,
      config: {
        ...built.value.file.config,
        terminal: typeof earlierTerminal?.id === 'string' ? { ...terminal, id: earlierTerminal.id } : terminal,
        ...(previous?.config['devices'] === undefined ? {} : { devices: previous.config['devices'] }),
      },
    });
    const checked = applySiteConfig(deps.baseConfig, deps.baseCatalogue, file);
    if (!checked.ok) return err(invalidSettings(checked.error));
    const saved = saveSiteConfig(deps.dataDir, file);
    if (!saved.ok) return err({ kind: 'not-saved', detail: saved.error });
    return ok(applyLive(checked.value.config, checked.value.catalogue));
  }

  return {
    get() {
      const file = currentFile();
      return ok({
        settings: currentSettings(),
        hasPrevious: hasPreviousSiteConfig(deps.dataDir),
        savedAt: file?.savedAt ?? null,
        savedBy: file?.savedBy ?? null,
      });
    },
    save(settings, actor) {
      const before = currentSettings();
      const built = buildSiteConfig(deps.baseConfig, deps.baseCatalogue, settings, actor.session.actor, now());
      if (built.ok && !platformAllowed(built.value.config)) {
        actor.audit('tech.config-refused', { reason: 'platform address without enrolment' });
        log.warn({}, 'platform address change refused: enrol at the new platform first');
        return err({ kind: 'enrol-first' });
      }
      const saved = write(settings, actor.session.actor);
      if (!saved.ok) {
        actor.audit('tech.config-refused', { reason: saved.error.detail.slice(0, 200) });
        log.warn({ reason: saved.error.detail }, 'configuration change refused');
        return saved;
      }
      // Which settings, not their values: the audit says what was done, the file holds the values.
      const changed = (Object.keys(settings) as Array<keyof SiteSettings>).filter(
        (key) => JSON.stringify(settings[key]) !== JSON.stringify(before[key]),
      );
      actor.audit('tech.config-saved', { changed, restartNeeded: saved.value });
      log.info({ restartNeeded: saved.value.join(',') }, 'configuration saved');
      return ok({ restartNeeded: saved.value });
    },
    rollback(actor) {
      if (!hasPreviousSiteConfig(deps.dataDir)) return err({ kind: 'nothing-to-roll-back' });
      const previous = readPreviousSiteConfig(deps.dataDir);
      const wouldBe = previous.ok ? applySiteConfig(deps.baseConfig, deps.baseCatalogue, previous.value) : null;
      if (wouldBe?.ok === true && !platformAllowed(wouldBe.value.config)) {
        actor.audit('tech.config-refused', { reason: 'platform address without enrolment' });
        return err({ kind: 'enrol-first' });
      }
      const rolled = rollbackSiteConfig(deps.dataDir);
      if (!rolled.ok) return err({ kind: 'not-rolled-back', detail: rolled.error });
      const applied = applySiteConfig(deps.baseConfig, deps.baseCatalogue, rolled.value);
      if (!applied.ok) return err({ kind: 'not-rolled-back', detail: applied.error.message });
      const restart = applyLive(applied.value.config, applied.value.catalogue);
      actor.audit('tech.config-rolled-back', { restartNeeded: restart });
      log.info({}, 'configuration rolled back');
      return ok({ restartNeeded: restart });
    },
    keepPlatform(url, savedBy) {
      const kept = write({ ...currentSettings(), platformUrl: url }, savedBy);
      if (!kept.ok) return kept;
      // The link moved at once: the platform is no longer a setting waiting for a restart.
      startedWith.platform = { ...startedWith.platform, mode: 'remote', url };
      return ok();
    },
    keepDeviceChoice(patch, actor) {
      const kept = write(currentSettings(), actor.session.actor, (file) => {
        const devices = file.config['devices'];
        return {
          ...file,
          config: {
            ...file.config,
            devices: { ...(typeof devices === 'object' && devices !== null ? devices : {}), ...patch },
          },
        };
      });
      return kept.ok ? ok() : kept;
    },
    savedAt: () => currentFile()?.savedAt ?? null,
  };
}
