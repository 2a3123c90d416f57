import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedCatalogue } from '../../../kiosk-config/catalogue';
import { defaultConfig } from '../../../kiosk-config/default-config';
import {
  applySiteConfig,
  buildSiteConfig,
  readSiteConfig,
  rollbackSiteConfig,
  saveSiteConfig,
  settingsOf,
  siteConfigPaths,
} from './site-config';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'site-config-'));
  dirs.push(dir);
  return dir;
};
const now = new Date('2026-11-24T08:00:00Z');
const settings = () => settingsOf(defaultConfig, embeddedCatalogue);

describe('on-site settings', () => {
  it('round-trips the form: the defaults give back the same configuration and catalogue', () => {
    const built = buildSiteConfig(defaultConfig, embeddedCatalogue, settings(), 'technician', now);
    expect(built.ok && built.value.config).toEqual(defaultConfig);
    expect(built.ok && built.value.catalogue).toEqual(embeddedCatalogue);
  });

  it('keeps the village’s own groups (村民小组), trimmed, in the order given', () => {
    const built = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), villageGroups: [' 柳溪一组', '柳溪二组 ', '', '河西组'] },
      'technician',
      now,
    );
    expect(built.ok && built.value.config.servicePoint.villageGroups).toEqual(['柳溪一组', '柳溪二组', '河西组']);
    expect(built.ok && settingsOf(built.value.config, built.value.catalogue).villageGroups).toEqual([
      '柳溪一组',
      '柳溪二组',
      '河西组',
    ]);
  });

  it('sets the headphones where the sound card cannot tell (the audio keypad mode), detect by default', () => {
    expect(settings().headphones).toBe('detect');
    const built = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), headphones: 'always' },
      'technician',
      now,
    );
    expect(built.ok && built.value.config.accessibility).toEqual({ headphones: 'always' });
    expect(built.ok && settingsOf(built.value.config, built.value.catalogue).headphones).toBe('always');
    const bad = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), headphones: 'sometimes' as never },
      'technician',
      now,
    );
    expect(bad.ok).toBe(false);
  });

  it('refuses values the configuration schema refuses, naming the field', () => {
    const tooShort = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), idleTimeoutSeconds: 5 },
      'technician',
      now,
    );
    expect(tooShort).toMatchObject({ ok: false });
    expect(!tooShort.ok && tooShort.error.message).toMatch(/^on-site settings: ui\.idleTimeoutSeconds: /);
    const badCode = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), terminalCode: 'lower' },
      'technician',
      now,
    );
    expect(!badCode.ok && badCode.error.message).toMatch(/terminal\.code: 2–8 capital letters or digits/);
    const noHours = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), halls: settings().halls.map((h) => ({ ...h, hours: { 'zh-CN': ' ', en: 'x' } })) },
      'technician',
      now,
    );
    expect(!noHours.ok && noHours.error.message).toMatch(/halls\.0\.hours\.zh-CN/);
    const remote = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), platformUrl: 'not a url' },
      'technician',
      now,
    );
    expect(remote.ok).toBe(false);
  });

  it('overrides hall address and hours, and the platform URL switches to remote mode', () => {
    const hall = settings().halls[0];
    if (hall === undefined) throw new Error('no hall');
    const built = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      {
        ...settings(),
        platformUrl: 'https://gov.example.cn/kiosk',
        halls: [{ ...hall, hours: { 'zh-CN': '周一至周六 9:00–17:00', en: 'Mon–Sat 9:00–17:00' } }],
      },
      'technician',
      now,
    );
    expect(built.ok && built.value.config.platform).toEqual({
      mode: 'remote',
      url: 'https://gov.example.cn/kiosk',
      requestTimeoutSeconds: 15,
    });
    expect(built.ok && built.value.catalogue.halls[0]?.hours['zh-CN']).toBe('周一至周六 9:00–17:00');
  });

  it('keeps the previous file, rolls back to it, and rolls back the rollback; "none" means no file', () => {
    const dir = tempDir();
    expect(rollbackSiteConfig(dir)).toEqual({ ok: false, error: 'there is no previous configuration to go back to' });
    const first = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), terminalName: '第一台' },
      'technician',
      now,
    );
    const second = buildSiteConfig(
      defaultConfig,
      embeddedCatalogue,
      { ...settings(), terminalName: '第二台' },
      'technician',
      now,
    );
    if (!first.ok || !second.ok) throw new Error('build failed');
    expect(saveSiteConfig(dir, first.value.file).ok).toBe(true);
    expect(saveSiteConfig(dir, second.value.file).ok).toBe(true);
    const nameNow = () => {
      const file = readSiteConfig(dir);
      const applied = file.ok ? applySiteConfig(defaultConfig, embeddedCatalogue, file.value) : file;
      return applied.ok ? applied.value.config.terminal.name : applied.error;
    };
    expect(nameNow()).toBe('第二台');
    expect(rollbackSiteConfig(dir).ok).toBe(true);
    expect(nameNow()).toBe('第一台');
    expect(rollbackSiteConfig(dir).ok).toBe(true);
    expect(nameNow()).toBe('第二台');
    // Back to before the first save: the previous of the first file is "none".
    rmSync(siteConfigPaths(dir).previous);
    const fresh = tempDir();
    saveSiteConfig(fresh, first.value.file);
    expect(JSON.parse(readFileSync(siteConfigPaths(fresh).previous, 'utf8'))).toBeNull();
    expect(rollbackSiteConfig(fresh)).toEqual({ ok: true, value: null });
    expect(readSiteConfig(fresh)).toEqual({ ok: true, value: null });
  });
});
