import { z } from 'zod';
import { deviceLinkSchema } from '../../kiosk-config/config-schema';
import { keypadKeys } from './keypad-keys';

/**
 * The terminal's devices as the contract names them: the roles, and a device's status as the
 * renderer, staff and technicians see it.
 */
export const deviceRoleSchema = z.enum(['id-reader', 'printer', 'scanner', 'keypad']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;
export const deviceRoles: readonly DeviceRole[] = deviceRoleSchema.options;

export const deviceStatusSchema = z.strictObject({
  /** The device service's status union tag: ready, busy, no-device, error, paper-near-end, paper-out, cover-open… */
  state: z.string(),
  detail: z.string().optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** A status change, as the `device.status` event carries it. */
export const deviceStatusEventSchema = deviceStatusSchema.extend({ device: deviceRoleSchema });
export type DeviceStatusEvent = z.infer<typeof deviceStatusEventSchema>;

/** A device with its link, for the staff health view and the technician console. */
export const deviceStateViewSchema = deviceStatusSchema.extend({ role: deviceRoleSchema, link: deviceLinkSchema });
export type DeviceStateView = z.infer<typeof deviceStateViewSchema>;

/**
 * One press of a tactile-keypad key, as the `keypad.key` event carries it: only the key's name,
 * whichever device produced it (docs/devices/tactile-keypad.md maps the devices' keys to names).
 */
export const keypadKeyEventSchema = z.strictObject({ key: z.enum(keypadKeys) });
export type KeypadKeyEvent = z.infer<typeof keypadKeyEventSchema>;
