import { z } from 'zod';
import { catalogueSchema } from '../../kiosk-config/catalogue-schema';
import { headphonesSettingSchema, languageSchema } from '../../kiosk-config/config-schema';
import { method } from './failures';
import { documentMethods } from './document-contract';
import { journeyEvents, journeyMethods } from './journey-contract';
import { remoteHelpEvents, remoteHelpMethods } from './remote-help-contract';
import { staffEvents, staffMethods } from './staff-contract';

/**
 * Every call and event between the renderer and the services: names, zod schemas for inputs,
 * results and the failures each call reports on purpose (failures.ts). The service side validates
 * inputs, its own results *and* its failures against these before anything crosses the bridge, so
 * the contract cannot drift. The renderer imports only the types.
 */

const empty = z.strictObject({});

export const kioskInfoSchema = z.strictObject({
  version: z.string(),
  terminalId: z.string(),
  terminalName: z.string(),
  servicePointName: z.string(),
  /** Shown under "staff have been told" after a call; empty: none configured. */
  servicePointPhone: z.string(),
  /** The village's groups (村民小组) a resident picks from (config servicePoint.villageGroups). */
  villageGroups: z.array(z.string()),
  languages: z.array(languageSchema).min(1),
  defaultLanguage: languageSchema,
  idleTimeoutSeconds: z.number().int().positive(),
  idleWarningSeconds: z.number().int().positive(),
  largeTextByDefault: z.boolean(),
  voiceByDefault: z.boolean(),
  /** Where the ID card reader is (config ui.cardReaderWhere), said in the audio keypad mode; absent: the usual words. */
  cardReaderWhere: z.strictObject({ 'zh-CN': z.string(), en: z.string() }).optional(),
  /** Camera chosen by (part of) its label; empty: the first camera. */
  cameraLabel: z.string(),
  /** Days personal data stays on the terminal after the platform acknowledged it (told in the consent). */
  retentionDays: z.number().int().nonnegative(),
  /** Video help from the hall (远程帮办): offered under 呼叫工作人员 when not null. */
  remoteHelp: z
    .strictObject({ noAnswerSeconds: z.number().int().positive(), maxVideoKbps: z.number().int().positive() })
    .nullable(),
});
export type KioskInfo = z.infer<typeof kioskInfoSchema>;

export const sessionEndReasonSchema = z.enum(['timeout', 'finished', 'cancelled']);
export type SessionEndReason = z.infer<typeof sessionEndReasonSchema>;

export const healthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  sessionActive: z.boolean(),
});
export type Health = z.infer<typeof healthSchema>;

/** What the renderer reports about user actions, for the structured log. Never personal data. */
export const uiEventSchema = z.strictObject({
  action: z.enum([
    'tap',
    'navigate',
    'language',
    'large-text',
    'voice',
    'timeout-warning',
    'timeout-extend',
    'call-staff',
  ]),
  screen: z.string().max(60),
  target: z.string().max(60).optional(),
});
export type UiEvent = z.infer<typeof uiEventSchema>;

/** A county's notice for the idle screen (sent as a fleet command); shown until `until`. */
export const idleNoticeSchema = z.strictObject({ text: z.string().max(200), until: z.iso.datetime({ offset: true }) });
export type IdleNotice = z.infer<typeof idleNoticeSchema>;

/**
 * Whether the terminal takes new applications now (false: too little disk space, docs/storage.md). The
 * resident is told on the notice screen, before any question; progress lookups and proofs go on.
 */
export const storageViewSchema = z.strictObject({ accepting: z.boolean() });
export type StorageView = z.infer<typeof storageViewSchema>;

export const methods = {
  'kiosk.info': method(empty, kioskInfoSchema),
  'catalogue.get': method(empty, catalogueSchema),
  'session.start': method(empty, z.strictObject({ sessionId: z.uuid() })),
  'session.end': method(z.strictObject({ reason: sessionEndReasonSchema }), empty),
  'health.get': method(empty, healthSchema),
  'ui.report': method(uiEventSchema, empty),
  /** Speech through espeak-ng when the page has no voice of its own; one utterance at a time. */
  'speech.speak': method(
    z.strictObject({
      text: z.string().min(1).max(2000),
      language: languageSchema,
      volume: z.number().min(0).max(1),
      /** A factor of the normal pace (the audio keypad mode's speed keys); absent: normal. */
      rate: z.number().min(0.5).max(2).optional(),
    }),
    z.strictObject({ spoken: z.boolean() }),
  ),
  'speech.stop': method(empty, empty),
  /**
   * Whether the resident hears the mode through headphones (then the speaker is muted): the
   * configured setting, and with `detect` the sound card's jack state (`jack` unknown: not in).
   */
  'audio.headphones': method(
    empty,
    z.strictObject({
      setting: headphonesSettingSchema,
      jack: z.enum(['in', 'out', 'unknown']),
      headphonesIn: z.boolean(),
    }),
  ),
  /**
   * The audio keypad mode listens privately while it is on: with headphones in (as `audio.headphones`
   * says) the speaker is muted, and given back when they come out or `on` is false. `speakerMuted`:
   * whether it is muted now (false also when the sound card has no speaker switch to mute).
   */
  'audio.privateListening': method(
    z.strictObject({ on: z.boolean() }),
    z.strictObject({ headphonesIn: z.boolean(), speakerMuted: z.boolean() }),
  ),
  'notice.get': method(empty, z.strictObject({ notice: idleNoticeSchema.nullable() })),
  'storage.get': method(empty, storageViewSchema),
  ...journeyMethods,
  ...documentMethods,
  ...remoteHelpMethods,
  ...staffMethods,
} as const;

export const events = {
  /** The service side ended the session (e.g. staff ended it); the renderer wipes and goes idle. */
  'session.ended': z.strictObject({ sessionId: z.uuid(), reason: sessionEndReasonSchema }),
  'notice.changed': z.strictObject({ notice: idleNoticeSchema.nullable() }),
  'storage.changed': storageViewSchema,
  ...journeyEvents,
  ...remoteHelpEvents,
  ...staffEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;
/** The failures a method reports on purpose, as the renderer receives them. */
export type FailureOf<M extends MethodName> = z.output<Methods[M]['errors']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
