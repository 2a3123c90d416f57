import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../foundation/log';
import { deviceLinkSchema } from '../../../kiosk-config/config-schema';
import { describeLink, openLink } from './device-links';

describe('device links', () => {
  it('opens a HID device by its ids, or by its hidraw node when one is given', () => {
    const byIds = { kind: 'hid', vendorId: 0x05a4, productId: 0x9759 } as const;
    expect(openLink(byIds, silentLog).description).toBe('hid:05a4:9759');
    expect(describeLink(byIds)).toBe('hid:05a4:9759');
    const byNode = { ...byIds, path: '/dev/kiosk-keypad' };
    expect(openLink(byNode, silentLog).description).toBe('hid:/dev/kiosk-keypad');
    expect(describeLink(byNode)).toBe('hid:05a4:9759@/dev/kiosk-keypad');
  });

  it('takes only hidraw nodes as a HID path: a configuration cannot make the kiosk open another file', () => {
    const hid = (path: string) => deviceLinkSchema.safeParse({ kind: 'hid', vendorId: 1, productId: 2, path }).success;
    expect(hid('/dev/hidraw3')).toBe(true);
    expect(hid('/dev/kiosk-keypad')).toBe(true);
    for (const path of ['/etc/shadow', '/dev/hidraw3/../sda', '/dev/kiosk-../../etc/shadow', '/dev/sda', 'hidraw0'])
      expect(hid(path), path).toBe(false);
  });
});
