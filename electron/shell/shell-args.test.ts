import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShellArgs } from './shell-args';

const electronArgv = ['/opt/electron/electron', '/work/main/dist/electron/main.js'];

describe('parseShellArgs', () => {
  it('reads --config and --data, in both spellings, resolved to absolute paths', () => {
    expect(parseShellArgs([...electronArgv, '--config', 'kiosk.json', '--data=/var/lib/kiosk'], {})).toEqual({
      ok: true,
      value: {
        configPath: resolve('kiosk.json'),
        dataDir: '/var/lib/kiosk',
        technician: false,
        allowBasicTextKey: false,
      },
    });
  });

  it('ignores Electron and Chromium switches it does not know', () => {
    expect(parseShellArgs([...electronArgv, '--no-sandbox', '--enable-logging', '--data', '/d'], {})).toEqual({
      ok: true,
      value: { dataDir: '/d', technician: false, allowBasicTextKey: false },
    });
  });

  it('leaves both paths out when not given', () => {
    expect(parseShellArgs(electronArgv, {})).toEqual({
      ok: true,
      value: { technician: false, allowBasicTextKey: false },
    });
  });

  it('accepts the basic_text key backend only by flag or by KIOSK_ALLOW_BASIC_TEXT_KEY=1', () => {
    const allowed = (argv: string[], env: Record<string, string>) => {
      const parsed = parseShellArgs([...electronArgv, ...argv], env);
      return parsed.ok && parsed.value.allowBasicTextKey;
    };
    expect(allowed(['--allow-basic-text-key'], {})).toBe(true);
    expect(allowed([], { KIOSK_ALLOW_BASIC_TEXT_KEY: '1' })).toBe(true);
    expect(allowed([], { KIOSK_ALLOW_BASIC_TEXT_KEY: 'yes' })).toBe(false);
    expect(allowed(['--technician'], {})).toBe(false);
  });

  it('turns technician mode on by flag or by KIOSK_TECHNICIAN=1 only', () => {
    expect(parseShellArgs([...electronArgv, '--technician'], {})).toMatchObject({
      ok: true,
      value: { technician: true },
    });
    expect(parseShellArgs(electronArgv, { KIOSK_TECHNICIAN: '1' })).toMatchObject({
      ok: true,
      value: { technician: true },
    });
    expect(parseShellArgs(electronArgv, { KIOSK_TECHNICIAN: 'yes' })).toMatchObject({
      ok: true,
      value: { technician: false, allowBasicTextKey: false },
    });
  });

  it.each([['--config'], ['--data', '--technician'], ['--config=']])('refuses %j without a value', (...args) => {
    const parsed = parseShellArgs([...electronArgv, ...args], {});
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^--(config|data): expected a path/);
  });
});
