import { z } from 'zod';
import { kioskRoleSchema } from '../../../kiosk-config/known-devices';

/**
 * The pin request the technician console leaves in the data folder and the root helper
 * (village-kiosk-pin.path → `kiosk devices pin --request …`) answers beside it. One definition for
 * both sides: the unprivileged writer and the root reader check the same shape.
 */

/** Only device nodes a kiosk device can be: a request can name nothing else. */
export const pinnablePort =
  /^\/dev\/(ttyUSB\d{1,3}|ttyACM\d{1,3}|hidraw\d{1,3}|usb\/lp\d{1,3}|serial\/by-(id|path)\/[A-Za-z0-9:._-]{1,160})$/;

export const pinRequestSchema = z.strictObject({ role: kioskRoleSchema, port: z.string().regex(pinnablePort) });
export type PinRequest = z.infer<typeof pinRequestSchema>;

/** The helper's answer: whether the rule was written and udev reloaded, and a line for the technician. */
export const pinResultSchema = z.strictObject({ ok: z.boolean(), message: z.string().max(500) });
export type PinResult = z.infer<typeof pinResultSchema>;

export const pinRequestName = 'pin-request.json';
export const pinResultName = 'pin-result.json';
