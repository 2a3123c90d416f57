import { useState } from 'preact/hooks';
import type { SiteSettingName, SiteSettings } from '../../electron/api/staff-contract';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { useI18n, type Translate } from '../i18n/i18n';
import { invalidSettingsText, settingLabels, settingsListText } from './settings-refusal';
import { Outcome } from './staff-frame';
import { staffRefusalText, WhenLoaded } from './staff-failures';
import { useStaffCall } from './use-staff-call';

/**
 * On-site settings: checked against the configuration schema on the service side before anything
 * is saved; a refusal names the field. The previous settings are kept, so one tap rolls back.
 */
export function ConfigView({ client }: { client: KioskClient }) {
  const { loaded, reload } = useStaffCall(client, 'tech.config.get', {});
  // Kept here: the form remounts after a save, the outcome must stay.
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // A new key remounts the form with the saved values after a save or rollback.
  return (
    <WhenLoaded loaded={loaded}>
      {(data) => (
        <ConfigForm
          key={`${data.savedAt ?? 'none'}-${String(data.hasPrevious)}`}
          client={client}
          initial={data.settings}
          hasPrevious={data.hasPrevious}
          savedAt={data.savedAt}
          onSaved={reload}
          outcome={outcome}
          setOutcome={setOutcome}
        />
      )}
    </WhenLoaded>
  );
}

function saveFailureText(failure: CallFailure<'tech.config.save'>, t: Translate): string {
  switch (failure.kind) {
    case 'invalid-settings':
      return invalidSettingsText(failure, t);
    case 'not-saved':
      return t('tech.config.notSaved', { detail: failure.detail });
    case 'enrol-first':
      return t('tech.config.enrolFirst');
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

function rollbackFailureText(failure: CallFailure<'tech.config.rollback'>, t: Translate): string {
  switch (failure.kind) {
    case 'nothing-to-roll-back':
      return t('tech.config.nothingToRollBack');
    case 'not-rolled-back':
      return t('tech.config.notRolledBack', { detail: failure.detail });
    case 'enrol-first':
      return t('tech.config.enrolFirst');
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

/** The village groups as typed: separated by 、 ， , or spaces. */
function villageGroupsOf(text: string): string[] {
  return text.split(/[\s、，,]+/).filter((group) => group !== '');
}

interface FormProps {
  readonly client: KioskClient;
  readonly initial: SiteSettings;
  readonly hasPrevious: boolean;
  readonly savedAt: string | null;
  readonly onSaved: () => void;
  readonly outcome: { ok: boolean; text: string } | null;
  readonly setOutcome: (outcome: { ok: boolean; text: string } | null) => void;
}

function ConfigForm({ client, initial, hasPrevious, savedAt, onSaved, outcome, setOutcome }: FormProps) {
  const { t } = useI18n();
  const [settings, setSettings] = useState<SiteSettings>(initial);
  const set = <K extends keyof SiteSettings>(key: K, value: SiteSettings[K]) =>
    setSettings((s) => ({ ...s, [key]: value }));
  const restartText = (fields: readonly SiteSettingName[]) =>
    fields.length === 0 ? t('tech.config.live') : t('tech.config.restart', { fields: settingsListText(fields, t) });

  const save = async () => {
    const result = await client.call('tech.config.save', { settings });
    if (!result.ok) return setOutcome({ ok: false, text: saveFailureText(result.error, t) });
    setOutcome({ ok: true, text: `${t('tech.config.saved')} ${restartText(result.value.restartNeeded)}` });
    onSaved();
  };
  const rollback = async () => {
    const result = await client.call('tech.config.rollback', {});
    if (!result.ok) return setOutcome({ ok: false, text: rollbackFailureText(result.error, t) });
    setOutcome({ ok: true, text: `${t('tech.config.rolledBack')} ${restartText(result.value.restartNeeded)}` });
    onSaved();
  };

  const text = (
    key:
      | 'terminalName'
      | 'terminalCode'
      | 'servicePointName'
      | 'servicePointAddress'
      | 'servicePointPhone'
      | 'platformUrl',
  ) => (
    <label class="field">
      {t(settingLabels[key])}
      <input
        type="text"
        data-testid={`config-${key}`}
        value={settings[key]}
        onInput={(e) => set(key, e.currentTarget.value)}
      />
    </label>
  );
  // Typed as one line (一组、二组 …); kept as typed while editing, so a separator just typed stays.
  const [groupsText, setGroupsText] = useState(initial.villageGroups.join('、'));
  const groups = (
    <label class="field">
      {t(settingLabels.villageGroups)}
      <input
        type="text"
        data-testid="config-villageGroups"
        value={groupsText}
        onInput={(e) => {
          setGroupsText(e.currentTarget.value);
          set('villageGroups', villageGroupsOf(e.currentTarget.value));
        }}
      />
    </label>
  );
  const number = (key: 'idleTimeoutSeconds' | 'retentionDays') => (
    <label class="field">
      {t(settingLabels[key])}
      <input
        type="text"
        inputMode="numeric"
        data-testid={`config-${key}`}
        value={String(settings[key])}
        onInput={(e) => set(key, Number(e.currentTarget.value))}
      />
    </label>
  );
  const toggle = (key: 'largeTextByDefault' | 'voiceByDefault') => (
    <button
      type="button"
      class="choice"
      aria-pressed={settings[key]}
      data-testid={`config-${key}`}
      onClick={() => set(key, !settings[key])}
    >
      {t(settingLabels[key])}
    </button>
  );
  return (
    <section class="staff-section config-form" aria-label={t('tech.tab.config')}>
      <p class="instruction">
        {savedAt === null
          ? t('tech.config.fromFile')
          : t('tech.config.savedAt', { at: new Date(savedAt).toLocaleString('zh-CN', { hour12: false }) })}
      </p>
      <div class="field-grid">
        {text('terminalName')}
        {text('terminalCode')}
        {text('servicePointName')}
        {text('servicePointAddress')}
        {text('servicePointPhone')}
        {groups}
        {text('platformUrl')}
        {number('idleTimeoutSeconds')}
        {number('retentionDays')}
      </div>
      <div class="button-row compact" role="group" aria-label={t(settingLabels.languages)}>
        {(['zh-CN', 'en'] as const).map((language) => (
          <button
            type="button"
            key={language}
            class="choice"
            aria-pressed={settings.languages.includes(language)}
            data-testid={`config-language-${language}`}
            onClick={() =>
              set(
                'languages',
                settings.languages.includes(language)
                  ? settings.languages.filter((l) => l !== language)
                  : [...settings.languages, language],
              )
            }
          >
            {t(`tech.config.language.${language}`)}
          </button>
        ))}
        {(['zh-CN', 'en'] as const).map((language) => (
          <button
            type="button"
            key={`default-${language}`}
            class="choice"
            aria-pressed={settings.defaultLanguage === language}
            onClick={() => set('defaultLanguage', language)}
          >
            {t('tech.config.defaultLanguage', { language: t(`tech.config.language.${language}`) })}
          </button>
        ))}
        {toggle('largeTextByDefault')}
        {toggle('voiceByDefault')}
      </div>
      {/* Where the sound card cannot tell whether headphones are in (docs/devices/tactile-keypad.md). */}
      <div class="button-row compact" role="group" aria-label={t(settingLabels.headphones)}>
        {(['detect', 'always', 'never'] as const).map((setting) => (
          <button
            type="button"
            key={setting}
            class="choice"
            aria-pressed={settings.headphones === setting}
            data-testid={`config-headphones-${setting}`}
            onClick={() => set('headphones', setting)}
          >
            {t(`tech.config.headphones.${setting}`)}
          </button>
        ))}
      </div>
      {settings.halls.map((hall, index) => (
        <fieldset key={hall.id} class="notice-section">
          <legend>{t('tech.config.hall', { name: hall.name['zh-CN'] })}</legend>
          {(['address', 'hours'] as const).map((part) =>
            (['zh-CN', 'en'] as const).map((language) => (
              <label class="field" key={`${part}-${language}`}>
                {t(`tech.config.hall.${part}`)} ({language})
                <input
                  type="text"
                  data-testid={`config-hall-${index}-${part}-${language}`}
                  value={hall[part][language]}
                  onInput={(e) => {
                    const value = e.currentTarget.value;
                    set(
                      'halls',
                      settings.halls.map((h, i) =>
                        i === index ? { ...h, [part]: { ...h[part], [language]: value } } : h,
                      ),
                    );
                  }}
                />
              </label>
            )),
          )}
        </fieldset>
      ))}
      {/* Next to the buttons: the answer appears where the technician is looking. */}
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="config-outcome" />}
      <div class="button-row">
        <button type="button" class="primary" data-testid="config-save" onClick={() => void save()}>
          {t('tech.config.save')}
        </button>
        <button type="button" data-testid="config-rollback" disabled={!hasPrevious} onClick={() => void rollback()}>
          {t('tech.config.rollback')}
        </button>
      </div>
    </section>
  );
}
