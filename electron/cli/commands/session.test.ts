import { describe, expect, it } from 'vitest';
import { launchUrl } from './session';

describe('kiosk session launch URL', () => {
  it('opens the one-time launch URL with the code the services wrote', () => {
    const read = ((path: string) => {
      expect(path).toBe('/var/lib/village-kiosk/launch-code');
      return 'c0de+/=\n';
    }) as never;
    expect(launchUrl('http://127.0.0.1:8787/', '/var/lib/village-kiosk', read)).toBe(
      'http://127.0.0.1:8787/launch?code=c0de%2B%2F%3D',
    );
  });

  it('opens the plain address when no code is there yet (the page then waits for its socket)', () => {
    const read = (() => {
      throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    }) as never;
    expect(launchUrl('http://127.0.0.1:8787/', '/nowhere', read)).toBe('http://127.0.0.1:8787/');
  });
});
