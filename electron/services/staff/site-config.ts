import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { catalogueSchema, type Catalogue, type Localized } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import { err, ok, type Result } from '../../../foundation/result';
import type { SiteSettings } from '../../api/staff-contract';
import { describeIssue, mergeOverDefaults, validateConfig } from '../config/config-loader';

/**
 * Settings a technician changes on site, kept in `<data>/site-config.json` and laid over the
 * configuration (embedded defaults and `--config` file) at every start. Hall address and hours live
 * in the service catalogue, not the configuration, so the same file carries a `halls` section that
 * overrides those two texts per hall. Saving keeps the file it replaces as
 * `site-config.previous.json`, so one bad change can be rolled back from the console.
 */
export interface SiteConfigFile {
  readonly savedAt: string;
  readonly savedBy: string;
  /** Merged over the configuration the kiosk started with (same shape, partial). */
  readonly config: Record<string, unknown>;
  readonly halls: Record<string, { address: Localized; hours: Localized }>;
}

export function siteConfigPaths(dataDir: string): { current: string; previous: string } {
  return { current: join(dataDir, 'site-config.json'), previous: join(dataDir, 'site-config.previous.json') };
}

/** null: no on-site settings (the file is absent, or the previous state was "none"). */
function readFile(path: string): Result<SiteConfigFile | null, string> {
  if (!existsSync(path)) return ok(null);
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as SiteConfigFile | null;
    if (
      value !== null &&
      (typeof value !== 'object' || typeof value.config !== 'object' || typeof value.halls !== 'object')
    )
      return err(`${path}: not an on-site settings file`);
    return ok(value);
  } catch (error) {
    return err(`${path}: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
}

export function readSiteConfig(dataDir: string): Result<SiteConfigFile | null, string> {
  return readFile(siteConfigPaths(dataDir).current);
}

/** What a rollback would bring back. */
export function readPreviousSiteConfig(dataDir: string): Result<SiteConfigFile | null, string> {
  return readFile(siteConfigPaths(dataDir).previous);
}

export function hasPreviousSiteConfig(dataDir: string): boolean {
  return existsSync(siteConfigPaths(dataDir).previous);
}

/** Why on-site settings were refused: one English line (logs, CLI) and the schema's complaint, if any. */
export interface SiteConfigError {
  readonly message: string;
  readonly issue: z.core.$ZodIssue | null;
}

/** The base configuration and catalogue with the on-site file applied, validated by both schemas. */
export function applySiteConfig(
  base: KioskConfig,
  catalogue: Catalogue,
  file: SiteConfigFile | null,
): Result<{ config: KioskConfig; catalogue: Catalogue }, SiteConfigError> {
  if (file === null) return ok({ config: base, catalogue });
  const config = validateConfig(mergeOverDefaults(base, file.config), 'on-site settings');
  if (!config.ok) return err({ message: config.error.message, issue: config.error.issue ?? null });
  const halls = catalogue.halls.map((hall) => {
    const override = file.halls[hall.id];
    return override === undefined ? hall : { ...hall, address: override.address, hours: override.hours };
  });
  const checked = catalogueSchema.safeParse({ ...catalogue, halls });
  if (!checked.success) {
    const first = checked.error.issues[0];
    return err({
      message: `on-site settings: catalogue.${first === undefined ? 'halls' : describeIssue(first)}`,
      issue: first ?? null,
    });
  }
  return ok({ config: config.value, catalogue: checked.data });
}

/** What the console's form shows. */
export function settingsOf(config: KioskConfig, catalogue: Catalogue): SiteSettings {
  return {
    terminalName: config.terminal.name,
    terminalCode: config.terminal.code,
    servicePointName: config.servicePoint.name,
    servicePointAddress: config.servicePoint.address,
    servicePointPhone: config.servicePoint.phone,
    villageGroups: [...config.servicePoint.villageGroups],
    platformUrl: config.platform.mode === 'remote' ? (config.platform.url ?? '') : '',
    idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
    languages: [...config.ui.languages],
    defaultLanguage: config.ui.defaultLanguage,
    largeTextByDefault: config.ui.largeTextByDefault,
    voiceByDefault: config.ui.voiceByDefault,
    headphones: config.accessibility?.headphones ?? 'detect',
    retentionDays: config.privacy.retentionDays,
    halls: catalogue.halls.map((h) => ({ id: h.id, name: h.name, address: h.address, hours: h.hours })),
  };
}

/** The form's values as an on-site file, checked against the configuration and catalogue schemas. */
export function buildSiteConfig(
  base: KioskConfig,
  catalogue: Catalogue,
  settings: SiteSettings,
  savedBy: string,
  now: Date,
): Result<{ file: SiteConfigFile; config: KioskConfig; catalogue: Catalogue }, SiteConfigError> {
  const url = settings.platformUrl.trim();
  const file: SiteConfigFile = {
    savedAt: now.toISOString(),
    savedBy,
    config: {
      terminal: { name: settings.terminalName.trim(), code: settings.terminalCode.trim() },
      servicePoint: {
        name: settings.servicePointName.trim(),
        address: settings.servicePointAddress.trim(),
        phone: settings.servicePointPhone.trim(),
        villageGroups: settings.villageGroups.map((group) => group.trim()).filter((group) => group !== ''),
      },
      platform: url === '' ? { mode: 'embedded' } : { mode: 'remote', url },
      ui: {
        idleTimeoutSeconds: settings.idleTimeoutSeconds,
        languages: settings.languages,
        defaultLanguage: settings.defaultLanguage,
        largeTextByDefault: settings.largeTextByDefault,
        voiceByDefault: settings.voiceByDefault,
      },
      privacy: { retentionDays: settings.retentionDays },
      accessibility: { headphones: settings.headphones },
    },
    halls: Object.fromEntries(
      settings.halls.map((h) => [h.id, { address: trimmed(h.address), hours: trimmed(h.hours) }]),
    ),
  };
  const unknownHall = settings.halls.find((h) => !catalogue.halls.some((c) => c.id === h.id));
  if (unknownHall !== undefined)
    return err({ message: `on-site settings: halls: unknown hall ${unknownHall.id}`, issue: null });
  const applied = applySiteConfig(base, catalogue, file);
  return applied.ok ? ok({ file, ...applied.value }) : applied;
}

function trimmed(text: Localized): Localized {
  return { 'zh-CN': text['zh-CN'].trim(), en: text.en.trim() };
}

function writeAtomically(path: string, value: SiteConfigFile | null): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Saves a new on-site file; what it replaces (or "none") becomes the previous one. */
export function saveSiteConfig(dataDir: string, file: SiteConfigFile): Result<void, string> {
  const paths = siteConfigPaths(dataDir);
  const current = readFile(paths.current);
  try {
    writeAtomically(paths.previous, current.ok ? current.value : null);
    writeAtomically(paths.current, file);
    return ok();
  } catch (error) {
    return err(`cannot save the on-site settings (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Swaps in the previous file (so a rollback can itself be undone); "none" removes the current one. */
export function rollbackSiteConfig(dataDir: string): Result<SiteConfigFile | null, string> {
  const paths = siteConfigPaths(dataDir);
  const previous = readFile(paths.previous);
  if (!existsSync(paths.previous)) return err('there is no previous configuration to go back to');
  if (!previous.ok) return err(previous.error);
  const current = readFile(paths.current);
  try {
    writeAtomically(paths.previous, current.ok ? current.value : null);
    if (previous.value === null) rmSync(paths.current, { force: true });
    else writeAtomically(paths.current, previous.value);
    return ok(previous.value);
  } catch (error) {
    return err(`cannot roll back (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
