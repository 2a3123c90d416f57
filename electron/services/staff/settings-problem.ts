import type { z } from 'zod';
import { assertNever } from '../../../foundation/result';
import { configRuleSchema, type ConfigRule } from '../../../kiosk-config/config-schema';
import type { SettingsProblem, SiteSettingName } from '../../api/staff-contract';

/**
 * A refused on-site setting in the console's own terms: which field of the form (from the
 * configuration path the schema complained about) and what is wrong with it, so the technician reads
 * "「无操作多少秒回首页」不能小于 30", not `ui.idleTimeoutSeconds: Too small: expected number to be >=30`.
 */
export interface SettingsRefusal {
  readonly setting: SiteSettingName | null;
  readonly problem: SettingsProblem;
}

/** Configuration paths (config-schema.ts, and the catalogue's halls) behind each field of the form. */
const settingOfPath: Readonly<Record<string, SiteSettingName>> = {
  'terminal.name': 'terminalName',
  'terminal.code': 'terminalCode',
  'servicePoint.name': 'servicePointName',
  'servicePoint.address': 'servicePointAddress',
  'servicePoint.phone': 'servicePointPhone',
  'servicePoint.villageGroups': 'villageGroups',
  platform: 'platformUrl',
  'platform.url': 'platformUrl',
  'ui.idleTimeoutSeconds': 'idleTimeoutSeconds',
  // The warning comes before the timeout: a timeout shorter than it is the timeout's fault.
  'ui.idleWarningSeconds': 'idleTimeoutSeconds',
  'ui.languages': 'languages',
  'ui.defaultLanguage': 'defaultLanguage',
  'ui.largeTextByDefault': 'largeTextByDefault',
  'ui.voiceByDefault': 'voiceByDefault',
  'privacy.retentionDays': 'retentionDays',
  accessibility: 'headphones',
  'accessibility.headphones': 'headphones',
  halls: 'halls',
};

function settingOf(path: readonly PropertyKey[]): SiteSettingName | null {
  // The longest known prefix: `halls.0.address.zh-CN` is the halls field, `ui.languages.1` the languages.
  for (let length = path.length; length > 0; length--) {
    const setting = settingOfPath[path.slice(0, length).map(String).join('.')];
    if (setting !== undefined) return setting;
  }
  return null;
}

function problemOf(issue: z.core.$ZodIssue): SettingsProblem {
  switch (issue.code) {
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int') return { kind: 'too-small', limit };
      return limit <= 1 ? { kind: 'empty' } : { kind: 'too-short', limit };
    }
    case 'too_big': {
      const limit = Number(issue.maximum);
      // Too many village groups: the form's hint says how many fit.
      if (issue.origin === 'array') return { kind: 'bad-format' };
      return issue.origin === 'number' || issue.origin === 'int'
        ? { kind: 'too-big', limit }
        : { kind: 'too-long', limit };
    }
    case 'invalid_type':
      if (issue.expected === 'int') return { kind: 'not-whole-number' };
      return issue.expected === 'number' ? { kind: 'not-a-number' } : { kind: 'other' };
    case 'invalid_format':
    case 'invalid_value':
      return { kind: 'bad-format' };
    case 'custom': {
      // The schema's own rules (config-schema.ts superRefine) name themselves.
      const rule = configRuleSchema.safeParse(issue.params?.['rule']);
      return rule.success ? problemOfRule(rule.data) : { kind: 'other' };
    }
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      // Not from the form's own fields (it sends every key it has, of the right types).
      return { kind: 'other' };
  }
}

function problemOfRule(rule: ConfigRule): SettingsProblem {
  switch (rule) {
    case 'not-https':
      return { kind: 'not-https' };
    case 'default-language-not-offered':
      return { kind: 'not-among-languages' };
    case 'url-required':
      return { kind: 'empty' };
    case 'village-group-twice':
      // The form's hint for the groups says each once.
      return { kind: 'bad-format' };
    case 'warning-not-shorter':
    case 'plain-mqtt':
    case 'embedded-only':
      // Not fields of the form: the warning follows the timeout, the broker is set by the fleet's
      // provisioning, the embedded platform's recording rule by the configuration file.
      return { kind: 'other' };
    default:
      return assertNever(rule, 'config rule');
  }
}

/** The first problem the schema found, as the form names it; null issue: not a schema problem. */
export function settingsRefusalOf(issue: z.core.$ZodIssue | null): SettingsRefusal {
  if (issue === null) return { setting: null, problem: { kind: 'other' } };
  const setting = settingOf(issue.path);
  return { setting, problem: problemOf(issue) };
}
