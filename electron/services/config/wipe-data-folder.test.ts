import { describe, expect, it } from 'vitest';
import { inWipeOrder } from './wipe-data-folder';

describe('kiosk wipe order', () => {
  it('destroys every key and credential before any data, so a wipe cut short leaves the data unreadable', () => {
    const keys = [
      'data.key',
      'data-key.safe-storage',
      'identity/terminal-key.sealed',
      'identity/terminal-key.pem',
      'data.key.cred',
      'identity/enrolment.json',
      'launch-code',
      'embedded-platform/platform-data.key',
    ];
    const data = ['kiosk.sqlite', 'kiosk.sqlite-wal', 'backups/kiosk-20261203T080000000Z.sqlite', 'site-config.json'];
    // As readdir may list them: data first, keys in between.
    const listed = [...data.slice(0, 2), ...keys.slice(0, 3), ...data.slice(2), ...keys.slice(3)];
    const order = inWipeOrder(listed.map((name) => `/var/lib/village-kiosk/${name}`));
    const names = order.map((path) => path.replace('/var/lib/village-kiosk/', ''));
    expect(new Set(names.slice(0, keys.length))).toEqual(new Set(keys));
    expect(new Set(names.slice(keys.length))).toEqual(new Set(data));
  });
});
