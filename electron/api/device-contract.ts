import { z } from 'zod';
import { deviceLinkSchema } from '../../kiosk-config/config-schema';

/**
 * The terminal's devices as the contract names them: the three roles, and a device's status as the
 * renderer, staff and technicians see it.
 */
export const deviceRoleSchema = z.enum(['id-reader', 'printer', 'scanner']);
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
