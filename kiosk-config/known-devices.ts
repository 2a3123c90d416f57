import { z } from 'zod';

/**
 * USB devices the installed terminal recognises by their vendor/product ids, as data: the udev rules
 * (`packaging/`) are generated from this list, and `kiosk devices pin` writes a rule of the same shape
 * for a device that is not on it. A role gives the stable name `/dev/kiosk-<role>`; a bridge (a
 * USB-serial chip that can carry any device) only gets the kiosk group and mode, because the chip
 * says nothing about what is behind it — a technician pins it to a role.
 */
export const kioskRoleSchema = z.enum(['id-reader', 'printer', 'scanner', 'keypad']);
export type KioskRole = z.infer<typeof kioskRoleSchema>;

const hex4 = z.string().regex(/^[0-9a-f]{4}$/, 'four lower-case hex digits');

export const knownDeviceSchema = z.strictObject({
  name: z.string().min(1).max(80),
  /** udev subsystem of the node we open: a serial tty, a hidraw node or a USB printer-class node. */
  subsystem: z.enum(['tty', 'hidraw', 'usbmisc']),
  vendorId: hex4,
  /** Omitted: every product of the vendor (scanner makers use many product ids for one interface). */
  productId: hex4.optional(),
  role: kioskRoleSchema.optional(),
});
export type KnownDevice = z.infer<typeof knownDeviceSchema>;

export const knownDevices: readonly KnownDevice[] = z.array(knownDeviceSchema).parse([
  // USB-serial bridges found inside ID-card readers, receipt printers and scanners at service points.
  { name: 'QinHeng CH340 USB-serial', subsystem: 'tty', vendorId: '1a86', productId: '7523' },
  { name: 'QinHeng CH341 USB-serial', subsystem: 'tty', vendorId: '1a86', productId: '5523' },
  { name: 'QinHeng CH9102 USB-serial', subsystem: 'tty', vendorId: '1a86', productId: '55d4' },
  { name: 'Silicon Labs CP210x USB-serial', subsystem: 'tty', vendorId: '10c4', productId: 'ea60' },
  { name: 'Prolific PL2303 USB-serial', subsystem: 'tty', vendorId: '067b', productId: '2303' },
  { name: 'FTDI FT232R USB-serial', subsystem: 'tty', vendorId: '0403', productId: '6001' },
  // Receipt printers that present the USB printer class (/dev/usb/lp*).
  { name: 'Epson TM receipt printers', subsystem: 'usbmisc', vendorId: '04b8', productId: '0202', role: 'printer' },
  {
    name: 'POS-58/POS-80 thermal printers (Winbond bridge)',
    subsystem: 'usbmisc',
    vendorId: '0416',
    productId: '5011',
    role: 'printer',
  },
  {
    name: 'Thermal receipt printers (ICS parallel bridge)',
    subsystem: 'usbmisc',
    vendorId: '0fe6',
    productId: '811e',
    role: 'printer',
  },
  {
    name: 'Xprinter thermal printers (STM bridge)',
    subsystem: 'usbmisc',
    vendorId: '0483',
    productId: '5743',
    role: 'printer',
  },
  // Bar-code scanners in USB-serial (CDC) mode: every product of these makers.
  { name: 'Honeywell/Metrologic scanners', subsystem: 'tty', vendorId: '0c2e', role: 'scanner' },
  { name: 'Newland scanners', subsystem: 'tty', vendorId: '1eab', role: 'scanner' },
  { name: 'Zebra/Symbol scanners', subsystem: 'tty', vendorId: '05e0', role: 'scanner' },
  // ID-card readers with their own USB ids (HID).
  {
    name: 'Chinaviscom CVR-100U ID-card reader',
    subsystem: 'hidraw',
    vendorId: '0400',
    productId: 'c35a',
    role: 'id-reader',
  },
]);

export function stableDeviceName(role: KioskRole): string {
  return `/dev/kiosk-${role}`;
}
