import { describe, expect, it } from 'vitest';
import { embeddedCatalogue } from '../../../kiosk-config/catalogue';
import { defaultConfig } from '../../../kiosk-config/default-config';
import type { SiteSettings } from '../../api/staff-contract';
import { settingsRefusalOf } from './settings-problem';
import { buildSiteConfig, settingsOf } from './site-config';

const now = new Date('2026-12-03T08:00:00Z');
const defaults = settingsOf(defaultConfig, embeddedCatalogue);

/** What the console would be told about a form with `change` applied. */
function refusalOf(change: Partial<SiteSettings>) {
  const built = buildSiteConfig(defaultConfig, embeddedCatalogue, { ...defaults, ...change }, 'technician', now);
  if (built.ok) throw new Error(`accepted: ${JSON.stringify(change)}`);
  return settingsRefusalOf(built.error.issue);
}

describe('a refused on-site setting, as the form names it', () => {
  it.each<[Partial<SiteSettings>, ReturnType<typeof settingsRefusalOf>]>([
    [{ idleTimeoutSeconds: 5 }, { setting: 'idleTimeoutSeconds', problem: { kind: 'too-small', limit: 30 } }],
    [{ idleTimeoutSeconds: 99_999 }, { setting: 'idleTimeoutSeconds', problem: { kind: 'too-big', limit: 1800 } }],
    [{ idleTimeoutSeconds: 90.5 }, { setting: 'idleTimeoutSeconds', problem: { kind: 'not-whole-number' } }],
    // What the form sends for letters typed into a number field.
    [{ idleTimeoutSeconds: Number('abc') }, { setting: 'idleTimeoutSeconds', problem: { kind: 'not-a-number' } }],
    [{ retentionDays: 365 }, { setting: 'retentionDays', problem: { kind: 'too-big', limit: 90 } }],
    [{ terminalName: '' }, { setting: 'terminalName', problem: { kind: 'empty' } }],
    [{ terminalName: '村'.repeat(61) }, { setting: 'terminalName', problem: { kind: 'too-long', limit: 60 } }],
    [{ servicePointName: '' }, { setting: 'servicePointName', problem: { kind: 'empty' } }],
    [{ terminalCode: 'qs-01' }, { setting: 'terminalCode', problem: { kind: 'bad-format' } }],
    [{ servicePointPhone: '请打 110' }, { setting: 'servicePointPhone', problem: { kind: 'bad-format' } }],
    [{ villageGroups: [] }, { setting: 'villageGroups', problem: { kind: 'empty' } }],
    [{ villageGroups: ['一组', '二组', '一组'] }, { setting: 'villageGroups', problem: { kind: 'bad-format' } }],
    [
      { villageGroups: Array.from({ length: 17 }, (_, i) => `${i + 1}组`) },
      { setting: 'villageGroups', problem: { kind: 'bad-format' } },
    ],
    [
      { villageGroups: ['一组', '柳溪村第二村民小组'] },
      { setting: 'villageGroups', problem: { kind: 'too-long', limit: 8 } },
    ],
    [{ platformUrl: 'not a url' }, { setting: 'platformUrl', problem: { kind: 'bad-format' } }],
    [{ platformUrl: 'http://10.1.2.3/' }, { setting: 'platformUrl', problem: { kind: 'not-https' } }],
    [{ languages: [] }, { setting: 'languages', problem: { kind: 'empty' } }],
    [
      { languages: ['zh-CN'], defaultLanguage: 'en' },
      { setting: 'defaultLanguage', problem: { kind: 'not-among-languages' } },
    ],
    [
      { halls: defaults.halls.map((h) => ({ ...h, hours: { 'zh-CN': '', en: 'x' } })) },
      { setting: 'halls', problem: { kind: 'empty' } },
    ],
  ])('%j', (change, expected) => {
    expect(refusalOf(change)).toEqual(expected);
  });

  it("reads the schema's own rules from their code, never from the English message", () => {
    const custom = (params: Record<string, unknown> | undefined) =>
      settingsRefusalOf({ code: 'custom', path: ['platform', 'url'], message: 'use https', input: '', params });
    expect(custom({ rule: 'not-https' })).toEqual({ setting: 'platformUrl', problem: { kind: 'not-https' } });
    expect(custom(undefined)).toEqual({ setting: 'platformUrl', problem: { kind: 'other' } });
    expect(custom({ rule: 'url-required' })).toEqual({ setting: 'platformUrl', problem: { kind: 'empty' } });
  });

  it("a refusal that is not the schema's names no setting", () => {
    expect(settingsRefusalOf(null)).toEqual({ setting: null, problem: { kind: 'other' } });
  });
});
