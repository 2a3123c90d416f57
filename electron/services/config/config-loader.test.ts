import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../kiosk-config/default-config';
import { loadConfig } from './config-loader';

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kiosk-config-')), 'config.json');
  writeFileSync(path, content);
  return path;
}

describe('loadConfig', () => {
  it('uses the embedded defaults when no file is given', async () => {
    expect(await loadConfig(undefined)).toEqual({ ok: true, value: defaultConfig });
  });

  it('merges a partial file over the defaults', async () => {
    const result = await loadConfig(
      configFile(
        JSON.stringify({
          ui: { idleTimeoutSeconds: 300 },
          devices: { printer: { kind: 'tcp', host: '10.0.0.9', port: 9100 } },
        }),
      ),
    );
    expect(result.ok && result.value.ui.idleTimeoutSeconds).toBe(300);
    expect(result.ok && result.value.ui.defaultLanguage).toBe('zh-CN');
    expect(result.ok && result.value.devices.printer).toEqual({ kind: 'tcp', host: '10.0.0.9', port: 9100 });
  });

  it('names the field and the problem in one line', async () => {
    const path = configFile(JSON.stringify({ ui: { idleTimeoutSeconds: 'long' } }));
    const result = await loadConfig(path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(new RegExp(`^${path}: ui\\.idleTimeoutSeconds: .*number`));
    expect(result.error.message).not.toContain('\n');
  });

  it('refuses an unknown key instead of falling back to a default', async () => {
    const result = await loadConfig(configFile(JSON.stringify({ ui: { idleTimeoutSecond: 300 } })));
    expect(!result.ok && result.error.message).toMatch(/ui\.idleTimeoutSecond: unknown setting/);
  });

  it('reports broken JSON and a missing file plainly', async () => {
    const broken = await loadConfig(configFile('{ "ui": '));
    expect(!broken.ok && broken.error.kind).toBe('not-json');
    const missing = await loadConfig('/nonexistent/kiosk.json');
    expect(!missing.ok && missing.error.message).toBe('/nonexistent/kiosk.json: file not found');
  });

  it('checks rules across fields (warning shorter than the timeout)', async () => {
    const result = await loadConfig(
      configFile(JSON.stringify({ ui: { idleTimeoutSeconds: 40, idleWarningSeconds: 60 } })),
    );
    expect(!result.ok && result.error.message).toMatch(/ui\.idleWarningSeconds: must be shorter/);
  });

  it('refuses a plain-http platform outside loopback, in one line naming the field', async () => {
    const path = configFile(JSON.stringify({ platform: { mode: 'remote', url: 'http://10.20.30.40:8790' } }));
    const result = await loadConfig(path);
    expect(!result.ok && result.error.message).toMatch(
      new RegExp(`^${path}: platform\\.url: http:// sends .*use https://`),
    );
    expect(!result.ok && result.error.message).not.toContain('\n');
    const loopback = await loadConfig(
      configFile(JSON.stringify({ platform: { mode: 'remote', url: 'http://127.0.0.1:8790' } })),
    );
    expect(loopback.ok).toBe(true);
    const tls = await loadConfig(
      configFile(JSON.stringify({ platform: { mode: 'remote', url: 'https://10.20.30.40' } })),
    );
    expect(tls.ok).toBe(true);
  });

  it('takes the embedded platform’s recording rule (off by default), in days, for the embedded platform only', async () => {
    expect((await loadConfig(undefined)).ok && defaultConfig.platform.embeddedCallRecordingDays).toBeUndefined();
    const recorded = await loadConfig(configFile(JSON.stringify({ platform: { embeddedCallRecordingDays: 30 } })));
    expect(recorded.ok && recorded.value.platform.embeddedCallRecordingDays).toBe(30);
    for (const days of [0, 3651, 1.5, '30']) {
      const bad = await loadConfig(configFile(JSON.stringify({ platform: { embeddedCallRecordingDays: days } })));
      expect(!bad.ok && bad.error.message).toMatch(/platform\.embeddedCallRecordingDays: /);
    }
    const remote = await loadConfig(
      configFile(
        JSON.stringify({ platform: { mode: 'remote', url: 'https://10.20.30.40', embeddedCallRecordingDays: 30 } }),
      ),
    );
    expect(!remote.ok && remote.error.message).toMatch(
      /platform\.embeddedCallRecordingDays: applies to the embedded platform only/,
    );
  });
});
