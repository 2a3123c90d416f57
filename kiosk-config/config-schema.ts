import { z } from 'zod';
import { plainHttpRefusal } from '../foundation/loopback';
import { localizedSchema } from './catalogue-schema';

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
    /**
     * The hidraw node to open (e.g. the pinned /dev/kiosk-keypad) when the ids alone would open the
     * wrong interface of a device that has several (a keypad's keyboard beside its volume buttons).
     */
    path: z
      .string()
      .regex(/^\/dev\/(hidraw\d{1,3}|kiosk-[a-z-]{1,20})$/, 'a /dev/hidrawN or /dev/kiosk-… node')
      .optional(),
  }),
  z.strictObject({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  z.strictObject({ kind: z.literal('file'), path: portPath }),
]);
export type DeviceLink = z.infer<typeof deviceLinkSchema>;

/**
 * Headphones in the audio-and-keypad mode (docs/devices/tactile-keypad.md): `detect` reads the sound
 * card's jack state where the board reports one (else: not in), `always` for a keypad with a fixed
 * headset, `never` to always use the speaker.
 */
export const headphonesSettingSchema = z.enum(['detect', 'always', 'never']);
export type HeadphonesSetting = z.infer<typeof headphonesSettingSchema>;

/**
 * The A4 printer for proofs (查询打印): an IPP printer by URI (a network printer, or a CUPS queue
 * such as ipp://localhost:631/printers/a4), `simulated` (CUPS's ippeveprinter on loopback, started
 * on first use), or none (the document services say so before the card is read).
 */
export const ippUriSchema = z
  .string()
  .regex(/^ipps?:\/\/[^\s]+$/, 'an ipp:// or ipps:// URI')
  .max(300);

export const a4PrinterLinkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('simulated') }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('ipp'), uri: ippUriSchema }),
]);
export type A4PrinterLink = z.infer<typeof a4PrinterLinkSchema>;

/** A county's id in fleet topics (vk/v1/<county>/…): no `/`, `+` or `#` can ever reach a topic. */
export const countyIdSchema = z.string().regex(/^[a-z0-9-]{2,40}$/, 'lower-case letters, digits and dashes, 2–40');
export const terminalIdSchema = z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'letters, digits and dashes, 3–40 characters');

/**
 * The county fleet link (MQTT, docs/fleet.md). Absent: no broker, and the HTTP heartbeat to the
 * platform is the terminal's only report. The broker credentials come from enrolment, not from here.
 */
export const fleetConfigSchema = z.strictObject({
  /** `mqtts://host:port`; plain `mqtt://` only on loopback. */
  brokerUrl: z.string().regex(/^mqtts?:\/\/[^/\s]+$/, 'mqtts://host:port'),
  county: countyIdSchema,
  /** PEM file of the CA that signed the broker's certificate (the system's CAs when absent). */
  caFile: z.string().min(1).max(300).optional(),
  /** The county fleet keys (Ed25519 public keys, base64url or PEM) whose signed commands this terminal obeys. */
  commandKeys: z.array(z.string().min(43).max(400)).min(1).max(4),
  /** State is published on change and at least this often. */
  statePublishSeconds: z.number().int().min(10).max(3600).default(300),
  /** Alert thresholds. */
  outboxStuckMinutes: z.number().int().min(1).max(10_080).default(30),
  diskLowMegabytes: z.number().int().min(10).max(1_000_000).default(500),
  clockSkewSeconds: z.number().int().min(5).max(86_400).default(120),
  /**
   * Demonstration only, with `platform.mode: embedded`: the Mosquitto password file in which the
   * embedded platform writes the broker credentials it issues at enrolment.
   */
  embeddedPasswordFile: z.string().min(1).max(300).optional(),
});
export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/**
 * When the terminal stops taking new applications for want of disk space, and the reserve it gives back
 * when the disk fills so what is saved can still be sent (docs/storage.md says why these sizes).
 */
export const storageConfigSchema = z.strictObject({
  refuseBelowMegabytes: z.number().int().min(1).max(100_000).default(200),
  reserveMegabytes: z.number().int().min(1).max(1024).default(8),
});
export type StorageConfig = z.infer<typeof storageConfigSchema>;
export const defaultStorageConfig: StorageConfig = storageConfigSchema.parse({});

/**
 * Remote help by video (远程帮办, docs/remote-help.md). The platform hands out the ICE servers, the
 * ICE policy and the county's recording rule with each call; what stays is the terminal's own part.
 * Absent: 呼叫工作人员 calls the staff here only.
 */
export const remoteHelpConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Nobody answered in this long: the call ends and the resident is offered staff here or later. */
  noAnswerSeconds: z.number().int().min(15).max(600),
  /** The resident's video is capped here for village links (audio first; it drops to audio only below). */
  maxVideoKbps: z.number().int().min(50).max(2000),
});
export type RemoteHelpConfig = z.infer<typeof remoteHelpConfigSchema>;

/** Village groups fit one screen of big buttons without paging (docs/ux.md). */
export const maxVillageGroups = 16;
export const villageGroupMaxLength = 8;

export const configSchema = z
  .strictObject({
    terminal: z.strictObject({
      /** Globally unique id known to the platform (enrolment). */
      id: terminalIdSchema,
      /** Short code printed in local numbers: CODE-YYYYMMDD-NNNN. */
      code: z.string().regex(/^[A-Z0-9]{2,8}$/, '2–8 capital letters or digits'),
      name: z.string().min(1).max(60),
    }),
    servicePoint: z.strictObject({
      name: z.string().min(1).max(60),
      address: z.string().min(1).max(120),
      /**
       * Where a resident can phone when no one comes after 呼叫工作人员 (shown under the call); empty:
       * no number is shown. Digits, spaces and dashes, as printed on the service point's door.
       */
      phone: z.string().regex(/^(|[0-9][0-9 -]{3,18}[0-9])$/, 'digits, spaces and dashes (5–20), or empty'),
      /**
       * The village's groups (村民小组), in order: a resident picks theirs from big buttons instead of
       * writing it, and the service side accepts no other. Up to 16 (they fit one screen), each short.
       */
      villageGroups: z.array(z.string().trim().min(1).max(villageGroupMaxLength)).min(1).max(maxVillageGroups),
    }),
    platform: z.strictObject({
      /** `embedded` starts the reference platform beside the kiosk on loopback (the default). */
      mode: z.enum(['embedded', 'remote']),
      url: z.url().optional(),
      requestTimeoutSeconds: z.number().int().min(1).max(120),
      /**
       * The county's recording of remote-help calls, for the embedded platform (a real platform is
       * set with `--call-recording-days`): calls are recorded and kept this many days, and the
       * consent screen says so. Absent (the default): nothing is recorded. Only with `mode: embedded`.
       */
      embeddedCallRecordingDays: z.number().int().min(1).max(3650).optional(),
    }),
    ui: z.strictObject({
      defaultLanguage: languageSchema,
      languages: z.array(languageSchema).min(1),
      idleTimeoutSeconds: z.number().int().min(30).max(1800),
      /** WCAG 2.2.1: warn at least 20 s before a timeout. */
      idleWarningSeconds: z.number().int().min(20).max(300),
      largeTextByDefault: z.boolean(),
      voiceByDefault: z.boolean(),
      /**
       * Where the ID card reader is on this terminal, said to a resident who cannot see (the audio
       * keypad mode, docs/accessibility.md). Absent: the words for the usual cabinet (bottom right).
       */
      cardReaderWhere: localizedSchema.optional(),
    }),
    devices: z.strictObject({
      idReader: deviceLinkSchema,
      printer: deviceLinkSchema,
      printerPaperWidth: z.union([z.literal(58), z.literal(80)]),
      scanner: deviceLinkSchema,
      /** The tactile keypad of the audio-and-keypad mode (docs/devices/tactile-keypad.md). Absent in older configurations: none. */
      keypad: deviceLinkSchema.optional(),
      /** Absent in older configurations: no A4 printer. */
      a4Printer: a4PrinterLinkSchema.optional(),
      /** Camera chosen by (part of) its label; empty means the first camera. */
      cameraLabel: z.string().max(100),
    }),
    privacy: z.strictObject({
      /** Days after the platform acknowledged an application before its personal data is deleted here. */
      retentionDays: z.number().int().min(0).max(90),
      /**
       * Days an application the platform refused for good keeps its personal data here (counted
       * from the day it was made), for staff to resolve it with the hall; never less than
       * retentionDays. The damaged database set aside at a restore is kept as long.
       */
      failedRetentionDays: z.number().int().min(1).max(180),
      /** Days a crash dump (which may hold fragments of residents' data) stays on the terminal. */
      crashDumpDays: z.number().int().min(1).max(90),
    }),
    fleet: fleetConfigSchema.optional(),
    /** Free space in the data folder (docs/storage.md): absent, the defaults. */
    storage: storageConfigSchema.optional(),
    /** Absent in older configurations: headphones `detect`. */
    accessibility: z.strictObject({ headphones: headphonesSettingSchema }).optional(),
    remoteHelp: remoteHelpConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    // Each rule names itself in `params.rule`, so a console words it without parsing the message.
    const refuse = (rule: ConfigRule, path: string[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message, params: { rule } });
    const groups = config.servicePoint.villageGroups;
    if (new Set(groups).size !== groups.length)
      refuse('village-group-twice', ['servicePoint', 'villageGroups'], 'each village group once');
    if (!config.ui.languages.includes(config.ui.defaultLanguage)) {
      refuse('default-language-not-offered', ['ui', 'defaultLanguage'], 'must be one of ui.languages');
    }
    if (config.ui.idleWarningSeconds >= config.ui.idleTimeoutSeconds) {
      refuse('warning-not-shorter', ['ui', 'idleWarningSeconds'], 'must be shorter than ui.idleTimeoutSeconds');
    }
    if (config.fleet !== undefined) {
      const url = new URL(config.fleet.brokerUrl);
      if (url.protocol === 'mqtt:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
        refuse('plain-mqtt', ['fleet', 'brokerUrl'], 'plain mqtt:// only on loopback; use mqtts://');
    }
    if (config.platform.mode === 'remote' && config.platform.url === undefined) {
      refuse('url-required', ['platform', 'url'], 'is required when platform.mode is "remote"');
    }
    // A remote platform has its own rule and hands it out with each call; a setting here would be a false promise.
    if (config.platform.mode === 'remote' && config.platform.embeddedCallRecordingDays !== undefined) {
      refuse(
        'embedded-only',
        ['platform', 'embeddedCallRecordingDays'],
        'applies to the embedded platform only; the remote platform sets its own recording rule',
      );
    }
    // Applications carry ID numbers and document photos: never in clear over a network.
    const refusal = config.platform.url === undefined ? null : plainHttpRefusal(config.platform.url);
    if (refusal !== null) refuse('not-https', ['platform', 'url'], refusal);
  });
export type KioskConfig = z.infer<typeof configSchema>;

/** The configuration's rules across fields, as `params.rule` of the issue that reports one. */
export const configRuleSchema = z.enum([
  'default-language-not-offered',
  'village-group-twice',
  'warning-not-shorter',
  'plain-mqtt',
  'url-required',
  'not-https',
  'embedded-only',
]);
export type ConfigRule = z.infer<typeof configRuleSchema>;
