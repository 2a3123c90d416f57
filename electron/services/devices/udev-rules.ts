import { z } from 'zod';
import { kioskRoleSchema, type KioskRole, type KnownDevice } from '../../../kiosk-config/known-devices';

/**
 * udev rules for the kiosk's devices, written from data (kiosk-config/known-devices.ts) and from a
 * pinned device's own udev properties. Every value that reaches a rule is checked against a strict
 * pattern first: a rule is run by root, so nothing a device reports may add a key of its own.
 */
export const kioskGroup = 'kiosk';
export const knownRulesFile = '70-village-kiosk.rules';
export const pinnedRulesFile = '71-village-kiosk-pinned.rules';

const udevSubsystems = ['tty', 'hidraw', 'usbmisc'] as const;
const safe = (pattern: RegExp) => z.string().regex(pattern);

/** What `kiosk devices pin` keeps of a device: enough to find it again, nothing personal. */
export const pinnedDeviceSchema = z.strictObject({
  role: kioskRoleSchema,
  subsystem: z.enum(udevSubsystems),
  vendorId: safe(/^[0-9a-f]{4}$/),
  productId: safe(/^[0-9a-f]{4}$/),
  /** The device's own serial number when it has a real one; else the USB port it is plugged into. */
  serial: safe(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  usbPath: safe(/^[A-Za-z0-9:._-]{1,120}$/).optional(),
});
export type PinnedDevice = z.infer<typeof pinnedDeviceSchema>;

function access(role: KioskRole | undefined): string {
  const name = role === undefined ? '' : `, SYMLINK+="kiosk-${role}"`;
  // TAG+="systemd" gives each node a .device unit; the services also watch /dev for the names.
  return `GROUP="${kioskGroup}", MODE="0660"${name}, TAG+="systemd"`;
}

export function knownDeviceRule(device: KnownDevice): string {
  const product = device.productId === undefined ? '' : `, ENV{ID_MODEL_ID}=="${device.productId}"`;
  return `# ${device.name}\nACTION!="remove", SUBSYSTEM=="${device.subsystem}", ENV{ID_VENDOR_ID}=="${device.vendorId}"${product}, ${access(device.role)}`;
}

export function knownDevicesRules(devices: readonly KnownDevice[]): string {
  return [
    '# village-kiosk: stable names and access for known devices. Generated from kiosk-config/known-devices.ts;',
    '# local additions belong in /etc/udev/rules.d/71-village-kiosk-pinned.rules (kiosk devices pin).',
    '',
    ...devices.map(knownDeviceRule),
    '',
  ].join('\n');
}

export function pinnedDeviceRule(device: PinnedDevice): string {
  const parsed = pinnedDeviceSchema.parse(device);
  const where =
    parsed.serial !== undefined
      ? `, ENV{ID_SERIAL_SHORT}=="${parsed.serial}"`
      : parsed.usbPath !== undefined
        ? `, ENV{ID_PATH}=="${parsed.usbPath}"`
        : '';
  const match = `ENV{ID_VENDOR_ID}=="${parsed.vendorId}", ENV{ID_MODEL_ID}=="${parsed.productId}"${where}`;
  const rule = `ACTION!="remove", SUBSYSTEM=="${parsed.subsystem}", ${match}, ${access(parsed.role)}`;
  // The keypad is a keyboard to the kernel too: without this, the compositor would also type its
  // keys into the page, and the audio mode would hear each key twice (docs/devices/tactile-keypad.md).
  return parsed.role === 'keypad'
    ? `${rule}\nACTION!="remove", SUBSYSTEM=="input", ${match}, ENV{LIBINPUT_IGNORE_DEVICE}="1"`
    : rule;
}

/** How many lines `pinnedDeviceRule` writes for a role: exactly those are replaced when it is pinned again. */
const pinnedRuleLines = (role: PinnedDevice['role']): number => (role === 'keypad' ? 2 : 1);

const pinMarker = /^# pinned (id-reader|printer|scanner|keypad)$/;

/** The pinned-rules file with `device` as its role's only rule (a role has one stable name). */
export function withPinnedDevice(existing: string, device: PinnedDevice): string {
  const lines = existing.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const marker = pinMarker.exec(lines[i] ?? '');
    if (marker?.[1] === device.role) {
      // Drop the marker and the rule lines under it — no more: a technician's own rule may follow.
      for (let left = pinnedRuleLines(device.role); left > 0 && lines[i + 1]?.startsWith('ACTION') === true; left -= 1)
        i += 1;
      continue;
    }
    kept.push(lines[i] ?? '');
  }
  const body = kept.filter((line, index) => !(index === kept.length - 1 && line === '')).join('\n');
  const header = body.startsWith('# village-kiosk')
    ? body
    : '# village-kiosk: devices pinned by a technician (kiosk devices pin).';
  return `${header}\n# pinned ${device.role}\n${pinnedDeviceRule(device)}\n`;
}

/** Properties of a device node as `udevadm info --query=property` prints them (KEY=value lines). */
export function parseUdevProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) properties[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return properties;
}

export type PinProblem = { readonly kind: 'not-usb' | 'unsupported' | 'invalid'; readonly message: string };

/** The pinned-device record for a device node, from its udev properties. */
export function pinnedDeviceFrom(
  role: KioskRole,
  properties: Readonly<Record<string, string>>,
): { ok: true; value: PinnedDevice } | { ok: false; error: PinProblem } {
  const subsystem = properties['SUBSYSTEM'];
  if (!udevSubsystems.some((s) => s === subsystem))
    return {
      ok: false,
      error: {
        kind: 'unsupported',
        message: `a ${subsystem ?? 'unknown'} device cannot be pinned (serial, hidraw or USB printer only)`,
      },
    };
  const vendorId = properties['ID_VENDOR_ID']?.toLowerCase();
  const productId = properties['ID_MODEL_ID']?.toLowerCase();
  if (vendorId === undefined || productId === undefined)
    return {
      ok: false,
      error: { kind: 'not-usb', message: 'the device has no USB vendor/product id (not a USB device?)' },
    };
  const serial = properties['ID_SERIAL_SHORT'];
  // Cheap bridges report no serial, or the same placeholder on every unit: fall back to the port.
  const realSerial = serial !== undefined && /^[A-Za-z0-9._-]{4,64}$/.test(serial) && !/^0+$/.test(serial);
  const candidate = {
    role,
    subsystem,
    vendorId,
    productId,
    ...(realSerial ? { serial } : properties['ID_PATH'] === undefined ? {} : { usbPath: properties['ID_PATH'] }),
  };
  const parsed = pinnedDeviceSchema.safeParse(candidate);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        kind: 'invalid',
        message: `the device reports unusual ids (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      },
    };
  return { ok: true, value: parsed.data };
}
