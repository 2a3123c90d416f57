import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/i18n';
import { invalidSettingsText, settingsListText } from './settings-refusal';

const zh = translator('zh-CN');

describe('refused settings, as the technician reads them', () => {
  it('names the setting by its label on the form and says what is wrong, in Chinese', () => {
    const refused = (setting: Parameters<typeof invalidSettingsText>[0]['setting'], problem: object) =>
      invalidSettingsText(
        { detail: 'on-site settings: …', setting, problem } as Parameters<typeof invalidSettingsText>[0],
        zh,
      );
    expect(refused('idleTimeoutSeconds', { kind: 'too-small', limit: 30 })).toBe(
      '没有保存：「无操作多少秒回首页」不能小于 30。',
    );
    expect(refused('terminalName', { kind: 'empty' })).toBe('没有保存：「终端名称」不能空着。');
    expect(refused('terminalCode', { kind: 'bad-format' })).toBe(
      '没有保存：「终端代码（编号用）」格式不对：要 2 到 8 个大写字母或数字，比如 QSLX01。',
    );
    expect(refused('platformUrl', { kind: 'not-https' })).toContain(
      '「平台地址（留空用内置平台）」要用 https:// 开头的地址',
    );
    expect(refused('villageGroups', { kind: 'bad-format' })).toContain('「村民小组（用顿号隔开，按顺序）」格式不对');
    // Nothing of the schema's English reaches the technician when the setting is known.
    expect(refused('retentionDays', { kind: 'too-big', limit: 90 })).not.toMatch(/[A-Za-z]/);
    // A refusal that names no setting of the form keeps its detail, so it can still be reported.
    expect(refused(null, { kind: 'other' })).toBe('没有保存：on-site settings: …');
  });

  it('lists the settings that wait for a restart by their labels', () => {
    expect(settingsListText(['terminalCode', 'platformUrl'], zh)).toBe(
      '终端代码（编号用）、平台地址（留空用内置平台）',
    );
  });
});
