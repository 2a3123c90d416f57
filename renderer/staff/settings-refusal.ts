import type { SettingsProblem, SiteSettingName } from '../../electron/api/staff-contract';
import type { Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-zh';

/** Each on-site setting by the label the form shows it under: a refusal names it the same way. */
export const settingLabels: Readonly<Record<SiteSettingName, MessageKey>> = {
  terminalName: 'tech.config.terminalName',
  terminalCode: 'tech.config.terminalCode',
  servicePointName: 'tech.config.servicePointName',
  servicePointAddress: 'tech.config.servicePointAddress',
  servicePointPhone: 'tech.config.servicePointPhone',
  villageGroups: 'tech.config.villageGroups',
  platformUrl: 'tech.config.platformUrl',
  idleTimeoutSeconds: 'tech.config.idleTimeout',
  retentionDays: 'tech.config.retentionDays',
  languages: 'tech.config.languages',
  defaultLanguage: 'tech.config.setting.defaultLanguage',
  largeTextByDefault: 'tech.config.largeText',
  voiceByDefault: 'tech.config.voice',
  headphones: 'tech.config.headphones',
  halls: 'tech.config.setting.halls',
};

/** Where "wrong form" alone would leave the technician guessing, the form it must have. */
const formatHints: Partial<Record<SiteSettingName, MessageKey>> = {
  terminalCode: 'tech.config.format.terminalCode',
  platformUrl: 'tech.config.format.platformUrl',
  servicePointPhone: 'tech.config.format.servicePointPhone',
  villageGroups: 'tech.config.format.villageGroups',
};

function problemText(setting: SiteSettingName, problem: SettingsProblem, t: Translate): string {
  if (problem.kind === 'bad-format') {
    const hint = formatHints[setting];
    if (hint !== undefined) return t(hint);
  }
  return 'limit' in problem
    ? t(`tech.config.problem.${problem.kind}`, { limit: problem.limit })
    : t(`tech.config.problem.${problem.kind}`);
}

/** A refused save: the setting by its label and what is wrong, in the console's language. */
export function invalidSettingsText(
  failure: { detail: string; setting: SiteSettingName | null; problem: SettingsProblem },
  t: Translate,
): string {
  if (failure.setting === null) return t('tech.config.invalid', { detail: failure.detail });
  return t('tech.config.invalidSetting', {
    setting: t(settingLabels[failure.setting]),
    problem: problemText(failure.setting, failure.problem, t),
  });
}

/** Settings that take effect after a restart, by their labels. */
export function settingsListText(settings: readonly SiteSettingName[], t: Translate): string {
  return settings.map((setting) => t(settingLabels[setting])).join(t('tech.config.listSeparator'));
}
