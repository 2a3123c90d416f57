import { z } from 'zod';
import { plainHttpRefusal } from '../foundation/loopback';

/**
 * The terminal's configuration. Every object is strict: an unknown key (a typo such as
 * `idleTimeoutSecond`) is refused, never silently replaced by a default.
 */
export const languageSchema = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof languageSchema>;

const portPath = z.string().min(1).max(200);
const baudRate = z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]);

/** Where a device is attached. `simulated` starts the protocol simulator on a PTY (the default). */
export const deviceLinkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('simulated') }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('serial'), path: portPath, baudRate }),
  z.strictObject({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
  }),
  z.strictObject({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  z.strictObject({ kind: z.literal('file'), path: portPath }),
]);
export type DeviceLink = z.infer<typeof deviceLinkSchema>;

export const configSchema = z
  .strictObject({
    terminal: z.strictObject({
      /** Globally unique id known to the platform (enrolment). */
      id: z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'letters, digits and dashes, 3–40 characters'),
      /** Short code printed in local numbers: CODE-YYYYMMDD-NNNN. */
      code: z.string().regex(/^[A-Z0-9]{2,8}$/, '2–8 capital letters or digits'),
      name: z.string().min(1).max(60),
    }),
    servicePoint: z.strictObject({
      name: z.string().min(1).max(60),
      address: z.string().min(1).max(120),
    }),
    platform: z.strictObject({
      /** `embedded` starts the reference platform beside the kiosk on loopback (the default). */
      mode: z.enum(['embedded', 'remote']),
      url: z.url().optional(),
      requestTimeoutSeconds: z.number().int().min(1).max(120),
    }),
    ui: z.strictObject({
      defaultLanguage: languageSchema,
      languages: z.array(languageSchema).min(1),
      idleTimeoutSeconds: z.number().int().min(30).max(1800),
      /** WCAG 2.2.1: warn at least 20 s before a timeout. */
      idleWarningSeconds: z.number().int().min(20).max(300),
      largeTextByDefault: z.boolean(),
      voiceByDefault: z.boolean(),
    }),
    devices: z.strictObject({
      idReader: deviceLinkSchema,
      printer: deviceLinkSchema,
      printerPaperWidth: z.union([z.literal(58), z.literal(80)]),
      scanner: deviceLinkSchema,
      /** Camera chosen by (part of) its label; empty means the first camera. */
      cameraLabel: z.string().max(100),
    }),
    privacy: z.strictObject({
      /** Days after the platform acknowledged an application before its personal data is deleted here. */
      retentionDays: z.number().int().min(0).max(90),
    }),
  })
  .superRefine((config, ctx) => {
    if (!config.ui.languages.includes(config.ui.defaultLanguage)) {
      ctx.addIssue({ code: 'custom', path: ['ui', 'defaultLanguage'], message: 'must be one of ui.languages' });
    }
    if (config.ui.idleWarningSeconds >= config.ui.idleTimeoutSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['ui', 'idleWarningSeconds'],
        message: 'must be shorter than ui.idleTimeoutSeconds',
      });
    }
    if (config.platform.mode === 'remote' && config.platform.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['platform', 'url'],
        message: 'is required when platform.mode is "remote"',
      });
    }
    // Applications carry ID numbers and document photos: never in clear over a network.
    const refusal = config.platform.url === undefined ? null : plainHttpRefusal(config.platform.url);
    if (refusal !== null) ctx.addIssue({ code: 'custom', path: ['platform', 'url'], message: refusal });
  });
export type KioskConfig = z.infer<typeof configSchema>;
