import { z } from 'zod';
import { languageSchema } from '../../kiosk-config/config-schema';
import {
  callConsentSchema,
  callEventSchema,
  callIdSchema,
  callQueuedSchema,
  rtcSignalSchema,
} from '../../platform/contract/remote-help';
import { kinds, method } from './failures';

/**
 * Remote help by video (远程帮办, docs/remote-help.md), the resident's side: the renderer asks the
 * service to queue a call at the hall, relays its WebRTC signalling through it, and ends it; the
 * service long-polls the platform and sends what happens as `remoteHelp.event`. Media never passes
 * here: the page's own RTCPeerConnection talks to the officer's page directly (or through TURN).
 * The call events are the platform's own shapes, passed on as they came (one definition).
 */
export const remoteHelpFailureSchema = kinds(
  'no-session',
  /** The terminal is not configured for video help. */
  'not-offered',
  /** A call is already going on from this terminal (one at a time). */
  'busy',
  /** The platform did not answer (network down, timeout, 5xx, the terminal's clock or enrolment). */
  'platform-unreachable',
  /** The platform refused (4xx). */
  'platform-refused',
  /** No such call going on (it ended, or it is another session's). */
  'no-call',
);
export type RemoteHelpFailure = z.output<typeof remoteHelpFailureSchema>;

/**
 * What ends a call from the resident's side (`lost`: the page's connection to the officer failed);
 * the service itself ends it on no answer and with the session.
 */
export const residentEndReasonSchema = z.enum(['hung-up', 'gave-up', 'lost']);
export type ResidentEndReason = z.infer<typeof residentEndReasonSchema>;

export const remoteHelpMethods = {
  /** Queue a call to the hall for the resident of the current session. */
  'remoteHelp.start': method(z.strictObject({ language: languageSchema }), callQueuedSchema, remoteHelpFailureSchema),
  /**
   * The resident agreed on the consent screen, to the recording rule it showed (`recordingDays`,
   * null: not recorded); the platform keeps the consent with the call, and refuses another rule
   * than its own (`platform-refused`). Nothing opens before this has succeeded.
   */
  'remoteHelp.consent': method(
    callConsentSchema.extend({ callId: callIdSchema }),
    z.strictObject({}),
    remoteHelpFailureSchema,
  ),
  /** One session description or ICE candidate for the officer. */
  'remoteHelp.signal': method(
    z.strictObject({ callId: callIdSchema, signal: rtcSignalSchema }),
    z.strictObject({}),
    remoteHelpFailureSchema,
  ),
  'remoteHelp.end': method(
    z.strictObject({ callId: callIdSchema, reason: residentEndReasonSchema }),
    z.strictObject({}),
    remoteHelpFailureSchema,
  ),
  /**
   * The resident accepted an answer the officer proposed: the application submitted in this session
   * records the call and its officer (the service knows both; the page names only the call).
   */
  'remoteHelp.helped': method(z.strictObject({ callId: callIdSchema }), z.strictObject({}), remoteHelpFailureSchema),
} as const;

export const remoteHelpEvents = {
  /** What happened to the call at the hall, in order; `ended` is the last one for that call. */
  'remoteHelp.event': z.strictObject({ callId: callIdSchema, event: callEventSchema }),
} as const;
