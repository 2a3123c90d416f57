import { describe, expect, it } from 'vitest';
import { kioskWindowOptions, secureWebPreferences } from './window-options';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs', false);

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['backgroundThrottling', false],
    ['devTools', false],
  ] as const)('%s is %s', (name, value) => {
    expect(prefs[name]).toBe(value);
  });

  it('loads the built preload script', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('allows DevTools only for a technician', () => {
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
  });
});

describe('kioskWindowOptions', () => {
  const options = kioskWindowOptions('/p.cjs', false);

  it('is a fullscreen kiosk window without a frame, shown when ready', () => {
    expect(options).toMatchObject({ fullscreen: true, kiosk: true, frame: false, autoHideMenuBar: true, show: false });
  });

  it('uses the secure web preferences', () => {
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs', false));
  });
});
