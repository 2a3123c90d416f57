import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_START_URL, isAppUrl, originForLog } from './app-origin';

describe('isAppUrl', () => {
  it.each([APP_ORIGIN, `${APP_ORIGIN}/`, APP_START_URL, `${APP_ORIGIN}/assets/x.js?v=1#top`])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://kiosk.evil.com/',
    'app://evil/',
    'app://kiosk:8080/',
    'app://user:pass@kiosk/',
    'app:kiosk/index.html',
    'https://kiosk/',
    'file:///work/main/dist/renderer/index.html',
    'http://127.0.0.1:8787/',
    'devtools://devtools/bundled/index.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('refuses a missing URL', () => {
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});

describe('originForLog', () => {
  it('keeps scheme and host only, dropping path and query', () => {
    expect(originForLog('https://example.com/path?id=110101199001011234')).toBe('https://example.com');
    expect(originForLog('app://kiosk/index.html')).toBe('app://kiosk');
    expect(originForLog('nonsense')).toBe('(unparsable)');
    expect(originForLog(null)).toBe('(none)');
  });
});
