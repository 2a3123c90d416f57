import { describe, expect, it } from 'vitest';
import { knownDevices } from '../../../kiosk-config/known-devices';
import { knownDevicesRules, parseUdevProperties, pinnedDeviceFrom, withPinnedDevice } from './udev-rules';

const ch340 = parseUdevProperties(
  'DEVNAME=/dev/ttyUSB1\nSUBSYSTEM=tty\nID_VENDOR_ID=1a86\nID_MODEL_ID=7523\nID_PATH=pci-0000:00:14.0-usb-0:2:1.0\n',
);

describe('udev rules', () => {
  it('gives every known role device its stable name, the kiosk group and mode 0660', () => {
    const rules = knownDevicesRules(knownDevices);
    expect(rules).toContain(
      'ACTION!="remove", SUBSYSTEM=="usbmisc", ENV{ID_VENDOR_ID}=="04b8", ENV{ID_MODEL_ID}=="0202", GROUP="kiosk", MODE="0660", SYMLINK+="kiosk-printer", TAG+="systemd"',
    );
    // A bridge says nothing about what is behind it: access, but no role name.
    expect(rules).toMatch(/ENV\{ID_VENDOR_ID\}=="1a86", ENV\{ID_MODEL_ID\}=="7523", GROUP="kiosk", MODE="0660", TAG/);
    for (const line of rules.split('\n').filter((l) => l.startsWith('ACTION')))
      expect(line).toMatch(/^ACTION!="remove", SUBSYSTEM=="(tty|hidraw|usbmisc)", ENV\{ID_VENDOR_ID\}=="[0-9a-f]{4}"/);
  });

  it('pins a bridge without a serial number by the USB port it is plugged into', () => {
    const pinned = pinnedDeviceFrom('printer', ch340);
    expect(pinned).toEqual({
      ok: true,
      value: {
        role: 'printer',
        subsystem: 'tty',
        vendorId: '1a86',
        productId: '7523',
        usbPath: 'pci-0000:00:14.0-usb-0:2:1.0',
      },
    });
  });

  it('pins by serial number when the device has a real one', () => {
    const pinned = pinnedDeviceFrom('scanner', { ...ch340, ID_SERIAL_SHORT: 'A9XK22' });
    expect(pinned.ok && pinned.value.serial).toBe('A9XK22');
    expect(pinnedDeviceFrom('scanner', { ...ch340, ID_SERIAL_SHORT: '0000' }).ok && 'usbPath').toBe('usbPath');
  });

  it('refuses a device whose reported ids would write a rule of its own (root runs udev rules)', () => {
    const hostile = { ...ch340, ID_SERIAL_SHORT: 'x", RUN+="/bin/sh -c evil' };
    const pinned = pinnedDeviceFrom('printer', hostile);
    // The serial is not used at all (not a plain serial), and nothing of it reaches the rule.
    expect(pinned.ok && JSON.stringify(pinned.value)).not.toContain('RUN');
    expect(pinnedDeviceFrom('printer', { ...ch340, ID_PATH: 'a", RUN+="x' }).ok).toBe(false);
    expect(pinnedDeviceFrom('printer', { ...ch340, ID_VENDOR_ID: '1a86", RUN+="x' }).ok).toBe(false);
    expect(pinnedDeviceFrom('printer', { ...ch340, SUBSYSTEM: 'block' }).ok).toBe(false);
  });

  it('hides a pinned keypad from the compositor, so its keys reach the kiosk once (hidraw), not as typing too', () => {
    const keypad = pinnedDeviceFrom('keypad', {
      SUBSYSTEM: 'hidraw',
      ID_VENDOR_ID: '05a4',
      ID_MODEL_ID: '9759',
      ID_PATH: 'pci-0000:00:14.0-usb-0:5:1.0',
    });
    const printer = pinnedDeviceFrom('printer', ch340);
    if (!keypad.ok || !printer.ok) throw new Error('not pinned');
    const once = withPinnedDevice(withPinnedDevice('', keypad.value), printer.value);
    expect(once).toContain(
      'ACTION!="remove", SUBSYSTEM=="hidraw", ENV{ID_VENDOR_ID}=="05a4", ENV{ID_MODEL_ID}=="9759", ENV{ID_PATH}=="pci-0000:00:14.0-usb-0:5:1.0", GROUP="kiosk", MODE="0660", SYMLINK+="kiosk-keypad", TAG+="systemd"\n' +
        'ACTION!="remove", SUBSYSTEM=="input", ENV{ID_VENDOR_ID}=="05a4", ENV{ID_MODEL_ID}=="9759", ENV{ID_PATH}=="pci-0000:00:14.0-usb-0:5:1.0", ENV{LIBINPUT_IGNORE_DEVICE}="1"',
    );
    // Pinned again (another port): both of its lines are replaced, the printer's rule stays.
    const moved = pinnedDeviceFrom('keypad', {
      SUBSYSTEM: 'hidraw',
      ID_VENDOR_ID: '05a4',
      ID_MODEL_ID: '9759',
      ID_PATH: 'pci-0000:00:14.0-usb-0:6:1.0',
    });
    if (!moved.ok) throw new Error('not pinned');
    const twice = withPinnedDevice(once, moved.value);
    expect(twice.match(/LIBINPUT_IGNORE_DEVICE/g)).toHaveLength(1);
    expect(twice).not.toContain('usb-0:5:1.0');
    expect(twice).toContain('SYMLINK+="kiosk-printer"');
  });

  it('keeps one rule per role: pinning a role again replaces its rule and leaves the others', () => {
    const first = pinnedDeviceFrom('printer', ch340);
    const second = pinnedDeviceFrom('scanner', { ...ch340, ID_PATH: 'pci-0000:00:14.0-usb-0:3:1.0' });
    const third = pinnedDeviceFrom('printer', { ...ch340, ID_PATH: 'pci-0000:00:14.0-usb-0:4:1.0' });
    if (!first.ok || !second.ok || !third.ok) throw new Error('not pinned');
    const file = withPinnedDevice(withPinnedDevice(withPinnedDevice('', first.value), second.value), third.value);
    expect(file.match(/SYMLINK\+="kiosk-printer"/g)).toHaveLength(1);
    expect(file).toContain('usb-0:4:1.0');
    expect(file).not.toContain('usb-0:2:1.0');
    expect(file).toContain('SYMLINK+="kiosk-scanner"');
    expect(file.startsWith('# village-kiosk')).toBe(true);
  });

  it('leaves a rule a technician wrote right under a pinned one when the role is pinned again', () => {
    const first = pinnedDeviceFrom('scanner', ch340);
    const again = pinnedDeviceFrom('scanner', { ...ch340, ID_PATH: 'pci-0000:00:14.0-usb-0:3:1.0' });
    if (!first.ok || !again.ok) throw new Error('not pinned');
    const own = 'ACTION=="add", SUBSYSTEM=="usb", ATTR{idVendor}=="1a86", ATTR{power/autosuspend}="-1"';
    const file = withPinnedDevice(`${withPinnedDevice('', first.value)}${own}\n`, again.value);
    expect(file).toContain(own);
    expect(file.match(/SYMLINK\+="kiosk-scanner"/g)).toHaveLength(1);
  });
});
