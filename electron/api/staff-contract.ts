import { z } from 'zod';
import { localizedSchema } from '../../kiosk-config/catalogue-schema';
import {
  a4PrinterLinkSchema,
  deviceLinkSchema,
  headphonesSettingSchema,
  ippUriSchema,
} from '../../kiosk-config/config-schema';
import { deviceRoleSchema, deviceStateViewSchema } from './device-contract';
import { a4PrinterStateSchema, a4WarningSchema, failedPrintSchema } from './document-contract';
import { detailed, kinds, method, notAllowed } from './failures';
import { printOutcomeSchema } from './journey-contract';

/**
 * The staff and technician modes' part of the contract. Nothing here carries personal data:
 * applications appear by local number, case number and service code; the audit log by actor ids.
 * Every method except sign-in and status needs a live staff session on the service side, and
 * answers `not-allowed` without one.
 */
const empty = z.strictObject({});
const uuid = z.uuid();

export const staffRoleSchema = z.enum(['staff', 'technician']);
export type StaffRoleView = z.infer<typeof staffRoleSchema>;

export const signInFailureSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('wrong-pin'),
    /** Wrong PINs left before the pad locks. */
    triesBeforeLock: z.number().int().min(0),
    lockedSeconds: z.number().int().min(0),
  }),
  z.object({ kind: z.literal('locked'), lockedSeconds: z.number().int().min(0) }),
]);
export type SignInFailure = z.output<typeof signInFailureSchema>;

export const cardOutcomeSchema = z.enum([
  'waiting',
  'signed-in',
  'registered',
  'unknown-card',
  'already-registered',
  'none',
]);

export const staffStatusSchema = z.strictObject({
  role: staffRoleSchema.nullable(),
  staffId: z.string().nullable(),
  /** The next resident application will be recorded with this staff member as helper. */
  assisting: z.boolean(),
  lockedSeconds: z.number().int().min(0),
  cardOutcome: cardOutcomeSchema,
});
export type StaffStatus = z.infer<typeof staffStatusSchema>;

/** What staff should do about a failed send, chosen from the platform's answer. */
export const failureAdviceSchema = z.enum([
  'fix-and-retry',
  'retry-later',
  'check-network',
  'call-technician',
  // Waiting because the platform refuses this terminal itself; the application is safe and goes later.
  'terminal-clock-off',
  'terminal-not-enrolled',
]);
export type FailureAdvice = z.infer<typeof failureAdviceSchema>;

export const queueItemSchema = z.strictObject({
  applicationId: uuid,
  localNumber: z.string(),
  serviceCode: z.string(),
  createdAt: z.string(),
  state: z.enum(['waiting', 'sending', 'failed', 'submitted']),
  caseNumber: z.string().nullable(),
  /** The platform's (or the terminal's) reason, for failed ones. */
  reason: z.string().nullable(),
  advice: failureAdviceSchema.nullable(),
  /** The fields a refusal named (`answers.phone`, `attachments.0.sha256`…), each with the platform's detail. */
  refusedFields: z.array(z.strictObject({ field: z.string().max(200), detail: z.string().max(500) })).max(20),
  assisted: z.boolean(),
  reprints: z.number().int().min(0),
  /**
   * The paper receipt: a copy came out; `in-doubt` when the first copy was handed to the printer and
   * the kiosk stopped before it answered (the resident may have none); not printed; or no receipt at all.
   */
  receipt: z.enum(['printed', 'in-doubt', 'not-printed', 'none']),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

/** The A4 printer for proofs as staff and technicians see it, beside the receipt printer. */
export const a4PrinterViewSchema = z.strictObject({
  link: a4PrinterLinkSchema,
  state: a4PrinterStateSchema,
  warnings: z.array(a4WarningSchema).max(4),
  /** What the printer calls itself (printer-make-and-model), when it answered. */
  model: z.string().max(200).nullable(),
  /** Offline or in error: what the kiosk saw (a refused connection, an IPP reason), for the technician. */
  detail: z.string().max(500).nullable(),
});
export type A4PrinterView = z.infer<typeof a4PrinterViewSchema>;

export const healthProblemSchema = z.enum([
  'printer-paper-out',
  'printer-paper-low',
  'printer-cover-open',
  'printer-offline',
  'id-reader-offline',
  'scanner-offline',
  'keypad-offline',
  'platform-unreachable',
  'outbox-failed',
  'outbox-backlog',
  'disk-low',
  /** Too little space to take an application safely: residents are told to come back; saved ones are still sent. */
  'storage-full',
  'terminal-clock-off',
  'terminal-not-enrolled',
  'database-restored',
  /** The A4 printer for proofs is set up but cannot print now (paper, jam, door, toner, offline). */
  'a4-printer-attention',
]);
export type HealthProblem = z.infer<typeof healthProblemSchema>;

export const staffHealthSchema = z.strictObject({
  devices: z.array(deviceStateViewSchema),
  a4Printer: a4PrinterViewSchema,
  platform: z.strictObject({ reachable: z.boolean(), mode: z.enum(['embedded', 'remote']), checkedAt: z.string() }),
  lastSync: z.string().nullable(),
  outbox: z.strictObject({
    depth: z.number().int(),
    failed: z.number().int(),
    sending: z.number().int(),
    oldestUnsentAt: z.string().nullable(),
  }),
  disk: z.strictObject({ freeBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }).nullable(),
  problems: z.array(healthProblemSchema),
  /** How far the terminal clock is from the platform's (whole minutes, absolute), while that keeps it refused. */
  clockOffMinutes: z.number().int().min(0).nullable(),
});
export type StaffHealth = z.infer<typeof staffHealthSchema>;

const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const dailySummarySchema = z.strictObject({
  date: dayText,
  total: z.number().int(),
  assisted: z.number().int(),
  byService: z.array(
    z.strictObject({
      serviceCode: z.string(),
      total: z.number().int(),
      submitted: z.number().int(),
      waiting: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  ratings: z.strictObject({ count: z.number().int(), byLevel: z.array(z.number().int()).length(5) }),
});
export type DailySummary = z.infer<typeof dailySummarySchema>;

/** The on-site settings form. Loose types on purpose: the configuration schema judges the values. */
export const siteSettingsSchema = z.strictObject({
  terminalName: z.string().max(200),
  terminalCode: z.string().max(40),
  servicePointName: z.string().max(200),
  servicePointAddress: z.string().max(300),
  servicePointPhone: z.string().max(40),
  /** The village's groups (村民小组), in order; residents pick theirs from these. */
  villageGroups: z.array(z.string().max(40)).max(40),
  /** Empty: the embedded platform. */
  platformUrl: z.string().max(300),
  idleTimeoutSeconds: z.number(),
  languages: z.array(z.enum(['zh-CN', 'en'])).max(4),
  defaultLanguage: z.enum(['zh-CN', 'en']),
  largeTextByDefault: z.boolean(),
  voiceByDefault: z.boolean(),
  /** Headphones for the audio keypad mode: the jack decides (detect), or the technician (always, never). */
  headphones: headphonesSettingSchema,
  retentionDays: z.number(),
  halls: z
    .array(
      z.strictObject({
        id: z.string().max(40),
        name: localizedSchema,
        address: z.strictObject({ 'zh-CN': z.string().max(200), en: z.string().max(200) }),
        hours: z.strictObject({ 'zh-CN': z.string().max(200), en: z.string().max(200) }),
      }),
    )
    .max(10),
});
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** A setting of the on-site form, as refusals and "takes effect after a restart" name it. */
export const siteSettingNameSchema = siteSettingsSchema.keyof();
export type SiteSettingName = z.infer<typeof siteSettingNameSchema>;

/** What is wrong with a setting, in terms the console words itself (never the schema's English). */
export const settingsProblemSchema = z.union([
  z.strictObject({ kind: z.enum(['too-small', 'too-big', 'too-short', 'too-long']), limit: z.number() }),
  z.strictObject({
    kind: z.enum([
      'empty',
      'not-a-number',
      'not-whole-number',
      'bad-format',
      'not-https',
      'not-among-languages',
      'other',
    ]),
  }),
]);
export type SettingsProblem = z.infer<typeof settingsProblemSchema>;

/** Settings refused: which one (null: not one the form shows) and what is wrong; detail is the English line for logs. */
const invalidSettings = z.object({
  kind: z.literal('invalid-settings'),
  detail: z.string().max(500),
  setting: siteSettingNameSchema.nullable(),
  problem: settingsProblemSchema,
});

export const auditRowViewSchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  details: z.string(),
});
export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), rows: z.number().int(), head: z.string() }),
  z.strictObject({ ok: z.literal(false), firstBadSeq: z.number().int(), reason: z.string() }),
]);

export const logLineSchema = z.strictObject({
  at: z.string(),
  level: z.enum(['info', 'warn', 'error', 'debug']),
  message: z.string(),
  source: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const guarded = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => method(params, result, notAllowed);

export const diagnosticsExportSchema = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('folder'), name: z.string(), path: z.string() }),
  z.strictObject({ to: z.literal('download'), name: z.string(), bundleJson: z.string() }),
]);

const pinText = z.string().max(12);

export const setupStatusSchema = z.strictObject({
  /** True on a fresh terminal (no PINs yet): the screen shows the technician setup, not the resident screen. */
  needed: z.boolean(),
  terminalId: z.string(),
  terminalName: z.string(),
  servicePointName: z.string(),
  platform: z.strictObject({ mode: z.enum(['embedded', 'remote']), url: z.string(), enrolled: z.boolean() }),
});
export type SetupStatus = z.infer<typeof setupStatusSchema>;

/** Enrolling at another platform than the current one while applications still wait to be sent to the current one. */
const queueNotEmpty = z.object({ kind: z.literal('queue-not-empty'), waiting: z.number().int() });

export const staffMethods = {
  /** First start (staff/first-start.ts): callable without a session, refused once the terminal has PINs. */
  'setup.status': method(empty, setupStatusSchema),
  'setup.complete': method(
    z.strictObject({
      terminalName: z.string().max(60),
      servicePointName: z.string().max(60),
      /** Empty: the configured platform. */
      platformUrl: z.string().max(300),
      /** The platform's one-time enrolment code; empty when already enrolled or embedded. */
      code: z.string().max(40),
      staffPin: pinText,
      technicianPin: pinText,
    }),
    empty,
    z.union([
      kinds(
        'already-provisioned',
        'name-format',
        'code-needed',
        'pin-format',
        'pins-must-differ',
        'invalid-url',
        'enrol-first',
      ),
      z.object({ kind: z.literal('refused'), status: z.number().int(), detail: z.string().max(500) }),
      detailed('unreachable'),
      queueNotEmpty,
      invalidSettings,
      detailed('not-saved'),
    ]),
  ),
  'staff.signIn': method(
    z.strictObject({ pin: z.string().max(12) }),
    z.strictObject({ role: staffRoleSchema }),
    signInFailureSchema,
  ),
  /** The next ID card read within a minute signs staff in (instead of starting a resident session). */
  'staff.awaitCard': method(empty, empty, kinds('not-allowed')),
  /** The PIN pad closed: a card read from now on is a resident's again. */
  'staff.cancelAwaitCard': method(empty, empty),
  'staff.status': method(empty, staffStatusSchema),
  'staff.signOut': method(empty, empty),
  'staff.assist.start': guarded(empty, empty),
  'staff.assist.cancel': method(empty, empty, kinds('not-allowed')),
  /**
   * 不会写字: staff, signed in on the spot at the resident's screen, confirm the mark the resident
   * drew; the submission of this resident session may then carry it as the signature. Staff mode
   * ends with the answer (the screen stays the resident's).
   */
  'staff.witnessMark': method(
    z.strictObject({ markPngBase64: z.base64().min(1).max(2_000_000) }),
    z.strictObject({ staffId: z.string() }),
    kinds('not-allowed', 'no-session'),
  ),
  'staff.queue': guarded(empty, z.strictObject({ items: z.array(queueItemSchema) })),
  'staff.retry': method(
    z.strictObject({ applicationId: uuid }),
    z.strictObject({ requeued: z.number().int() }),
    kinds('not-allowed', 'not-found'),
  ),
  'staff.reprint': method(
    z.strictObject({ applicationId: uuid }),
    z.strictObject({ outcome: printOutcomeSchema }),
    kinds('not-allowed', 'not-found'),
  ),
  /** A4 documents that did not print (查询打印), held in memory for staff to reprint. */
  'staff.documents.failed': guarded(empty, z.strictObject({ items: z.array(failedPrintSchema) })),
  'staff.documents.reprint': method(
    z.strictObject({ documentNumber: z.string().max(40) }),
    z.strictObject({ pages: z.number().int().positive() }),
    z.union([
      kinds('not-allowed', 'not-found'),
      z.object({ kind: z.literal('print-failed'), state: a4PrinterStateSchema }),
    ]),
  ),
  'staff.health': guarded(empty, staffHealthSchema),
  'staff.summary': guarded(z.strictObject({ date: dayText.optional() }), dailySummarySchema),
  'staff.summary.print': guarded(
    z.strictObject({ date: dayText.optional() }),
    z.strictObject({ outcome: printOutcomeSchema }),
  ),

  'tech.devices': guarded(empty, z.strictObject({ devices: z.array(deviceStateViewSchema) })),
  'tech.discover': guarded(
    empty,
    z.strictObject({
      serial: z.array(
        z.strictObject({
          path: z.string(),
          vendorId: z.string().optional(),
          productId: z.string().optional(),
          manufacturer: z.string().optional(),
        }),
      ),
      hid: z.array(
        z.strictObject({
          path: z.string(),
          vendorId: z.number().int(),
          productId: z.number().int(),
          product: z.string().optional(),
        }),
      ),
    }),
  ),
  'tech.assign': method(
    z.strictObject({
      role: deviceRoleSchema,
      link: deviceLinkSchema,
      paperWidth: z.union([z.literal(58), z.literal(80)]).optional(),
    }),
    /** In use now; kept in the on-site settings for the next start unless saving them failed. */
    z.strictObject({ keptForNextStart: z.boolean() }),
    z.union([notAllowed, detailed('device-failed')]),
  ),
  'tech.selfTest': method(
    z.strictObject({ role: deviceRoleSchema }),
    /** What the device answered: the SAM id, the bytes of the test page, the characters scanned. */
    z.strictObject({ detail: z.string() }),
    z.union([kinds('not-allowed', 'no-device'), detailed('self-test-failed')]),
  ),
  /**
   * Gives a device not on the known list its stable name /dev/kiosk-<role>: the service leaves a
   * request the root helper (village-kiosk-pin.path) carries out; its answer comes by tech.devices.pinResult.
   */
  'tech.devices.pin': method(
    z.strictObject({ role: deviceRoleSchema, port: z.string().max(200) }),
    empty,
    z.union([kinds('not-allowed', 'not-pinnable'), detailed('not-written')]),
  ),
  /** The helper's answer to the last pin request; null while it has not answered. */
  'tech.devices.pinResult': guarded(
    empty,
    z.strictObject({ result: z.strictObject({ ok: z.boolean(), message: z.string().max(500) }).nullable() }),
  ),
  /** The A4 printer (查询打印): its link and its IPP state in plain words on the technician's device view. */
  'tech.a4Printer': guarded(empty, a4PrinterViewSchema),
  /**
   * Another A4 printer: an ipp:// or ipps:// URI is kept only once an IPP printer answered
   * Get-Printer-Attributes there (`unreachable` otherwise, nothing changed); in use at once.
   */
  'tech.a4Printer.set': method(
    z.strictObject({ link: a4PrinterLinkSchema }),
    z.strictObject({ printer: a4PrinterViewSchema, keptForNextStart: z.boolean() }),
    z.union([notAllowed, detailed('unreachable')]),
  ),
  /** IPP printers announced on the local network (DNS-SD, ippfind); `searched: false` when it cannot look here. */
  'tech.a4Printer.discover': guarded(
    empty,
    z.strictObject({
      printers: z.array(z.strictObject({ uri: ippUriSchema, name: z.string().max(200) })).max(50),
      searched: z.boolean(),
      /** Why it could not look (no Avahi daemon, no ippfind), for the technician. */
      detail: z.string().max(300).nullable(),
    }),
  ),
  /** One A4 test page (terminal, time, printer; nothing of anyone), followed until it came out. */
  'tech.a4Printer.testPage': method(
    empty,
    z.strictObject({ pages: z.number().int().positive() }),
    z.union([notAllowed, z.object({ kind: z.literal('print-failed'), state: a4PrinterStateSchema })]),
  ),
  /** The camera is the page's (getUserMedia); its label is kept in the on-site settings. */
  'tech.camera.set': method(
    z.strictObject({ label: z.string().max(100) }),
    empty,
    z.union([notAllowed, detailed('not-saved')]),
  ),
  'tech.config.get': guarded(
    empty,
    z.strictObject({
      settings: siteSettingsSchema,
      hasPrevious: z.boolean(),
      savedAt: z.string().nullable(),
      savedBy: z.string().nullable(),
    }),
  ),
  'tech.config.save': method(
    z.strictObject({ settings: siteSettingsSchema }),
    z.strictObject({ restartNeeded: z.array(siteSettingNameSchema) }),
    /** enrol-first: another platform address than the one the terminal is enrolled at (enrol there: tech.enrol). */
    z.union([kinds('not-allowed', 'enrol-first'), invalidSettings, detailed('not-saved')]),
  ),
  'tech.config.rollback': method(
    empty,
    z.strictObject({ restartNeeded: z.array(siteSettingNameSchema) }),
    z.union([kinds('not-allowed', 'nothing-to-roll-back', 'enrol-first'), detailed('not-rolled-back')]),
  ),
  'tech.identity': guarded(
    empty,
    z.strictObject({
      terminalId: z.string(),
      fingerprint: z.string(),
      platformUrl: z.string(),
      enrolledAt: z.string().nullable(),
      mode: z.enum(['embedded', 'remote']),
    }),
  ),
  'tech.enrol': method(
    z.strictObject({ platformUrl: z.string().max(300), code: z.string().min(4).max(40) }),
    empty,
    z.union([
      kinds('not-allowed', 'invalid-url'),
      /** The platform answered no (a wrong or used code: 4xx); its status and reason. */
      z.object({ kind: z.literal('refused'), status: z.number().int(), detail: z.string().max(500) }),
      detailed('unreachable'),
      queueNotEmpty,
    ]),
  ),
  'tech.logs': guarded(
    z.strictObject({
      source: z.string().max(60).optional(),
      level: z.enum(['info', 'warn', 'error', 'debug']).optional(),
    }),
    z.strictObject({ sources: z.array(z.string()), lines: z.array(logLineSchema) }),
  ),
  'tech.diagnostics.targets': guarded(empty, z.strictObject({ folders: z.array(z.string()) })),
  'tech.diagnostics.export': method(
    z.discriminatedUnion('to', [
      z.strictObject({ to: z.literal('folder'), folder: z.string().min(1).max(400) }),
      z.strictObject({ to: z.literal('download') }),
    ]),
    diagnosticsExportSchema,
    z.union([kinds('not-allowed', 'folder-not-offered'), detailed('not-written')]),
  ),
  'tech.audit': guarded(
    z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
    z.strictObject({ rows: z.array(auditRowViewSchema), verdict: auditVerdictSchema }),
  ),
  'tech.pin.set': method(
    z.strictObject({ role: staffRoleSchema, pin: z.string().max(12) }),
    empty,
    kinds('not-allowed', 'pin-format', 'pins-must-differ'),
  ),
  'tech.cards': guarded(
    empty,
    z.strictObject({
      cards: z.array(z.strictObject({ staffId: z.string(), registeredAt: z.string() })),
      outcome: cardOutcomeSchema,
    }),
  ),
  /** Waits a minute for the card to be placed on the reader; `tech.cards` then says how it went. */
  'tech.cards.register': method(
    z.strictObject({ staffId: z.string().max(40) }),
    empty,
    kinds('not-allowed', 'staff-id-format'),
  ),
  'tech.cards.remove': method(
    z.strictObject({ staffId: z.string().max(40) }),
    empty,
    kinds('not-allowed', 'no-such-card'),
  ),
} as const;

export const staffEvents = {
  /** A staff session started or ended (timeout included): the renderer enters or leaves staff mode. */
  'staff.changed': z.strictObject({
    role: staffRoleSchema.nullable(),
    reason: z.enum(['signed-in', 'signed-out', 'timeout', 'replaced']),
  }),
} as const;
