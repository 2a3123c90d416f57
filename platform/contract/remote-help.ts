/**
 * Remote help (远程帮办), terminal ↔ platform: the signalling wire shapes (docs/remote-help.md).
 * Media and the screen mirror go peer to peer (WebRTC); the platform only queues calls, relays
 * session descriptions and ICE candidates, and keeps call metadata — never media.
 */
import { z } from 'zod';

export const callIdSchema = z.uuid();

/** RTCIceServer as both browsers take it; TURN credentials are short-lived (coturn `use-auth-secret`). */
export const iceServerSchema = z.strictObject({
  urls: z.union([z.string().min(1).max(300), z.array(z.string().min(1).max(300)).min(1).max(8)]),
  username: z.string().max(200).optional(),
  credential: z.string().max(200).optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/** What the county decided about recording; the consent screen says it before anything opens. */
export const callRecordingSchema = z.discriminatedUnion('enabled', [
  z.strictObject({ enabled: z.literal(false) }),
  z.strictObject({ enabled: z.literal(true), retentionDays: z.int().min(1).max(3650) }),
]);
export type CallRecording = z.infer<typeof callRecordingSchema>;

/** POST /v1/remote-help/calls (signed): the terminal asks the hall for an officer. */
export const callRequestSchema = z.strictObject({
  language: z.enum(['zh', 'en']),
  /** The service point's name as the terminal is configured (村委会便民服务点), shown in the hall's queue. */
  servicePoint: z.string().min(1).max(60).optional(),
});
export type CallRequest = z.infer<typeof callRequestSchema>;

/** 201: the call is queued. `expectedWaitSeconds` null when the hall cannot tell. */
export const callQueuedSchema = z.strictObject({
  callId: callIdSchema,
  position: z.int().min(1),
  expectedWaitSeconds: z.int().nonnegative().nullable(),
  iceServers: z.array(iceServerSchema).max(8),
  /** 'relay' only in tests and where a county forbids direct paths. */
  iceTransportPolicy: z.enum(['all', 'relay']),
  recording: callRecordingSchema,
});
export type CallQueued = z.infer<typeof callQueuedSchema>;

/** One WebRTC signalling message, relayed verbatim between the two peers. */
export const rtcSignalSchema = z.union([
  z.strictObject({
    description: z.strictObject({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(20_000) }),
  }),
  z.strictObject({
    candidate: z.strictObject({
      candidate: z.string().max(1_000),
      sdpMid: z.string().max(64).nullable(),
      sdpMLineIndex: z.int().min(0).max(64).nullable(),
    }),
  }),
]);
export type RtcSignal = z.infer<typeof rtcSignalSchema>;

export const callEndReasonSchema = z.enum([
  'hung-up', // the resident or the officer pressed 挂断
  'gave-up', // the resident stopped waiting
  'no-answer', // nobody answered in time
  'session-ended', // the resident left, or the inactivity wipe
  'lost', // a side stopped answering (no poll for too long)
]);
export type CallEndReason = z.infer<typeof callEndReasonSchema>;

export const callEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('queued'),
    position: z.int().min(1),
    expectedWaitSeconds: z.int().nonnegative().nullable(),
  }),
  /** An officer took the call; the officer sends the offer next (the terminal answers). */
  z.strictObject({
    type: z.literal('accepted'),
    officer: z.strictObject({ id: z.string().min(1).max(40), displayName: z.string().min(1).max(40) }),
  }),
  z.strictObject({ type: z.literal('signal'), signal: rtcSignalSchema }),
  z.strictObject({
    type: z.literal('ended'),
    by: z.enum(['terminal', 'officer', 'platform']),
    reason: callEndReasonSchema,
  }),
]);
export type CallEvent = z.infer<typeof callEventSchema>;

/** GET /v1/remote-help/calls/{callId}/events?after=N (signed long poll, answers within ~20 s). */
export const callEventsSchema = z.strictObject({
  events: z.array(z.strictObject({ seq: z.int().min(1), event: callEventSchema })).max(200),
});
export type CallEvents = z.infer<typeof callEventsSchema>;

/**
 * POST /v1/remote-help/calls/{callId}/consent (signed): the resident agreed to the call as the
 * consent screen put it — recorded and kept `recordingDays` days, or not recorded (null). The
 * platform keeps that with the call's metadata, and refuses (409) a consent to another rule than its own.
 */
export const callConsentSchema = z.strictObject({ recordingDays: z.int().min(1).max(3650).nullable() });
export type CallConsent = z.infer<typeof callConsentSchema>;

/** POST /v1/remote-help/calls/{callId}/signals (signed): body is one `rtcSignalSchema`. */
/** POST /v1/remote-help/calls/{callId}/end (signed). */
export const callEndRequestSchema = z.strictObject({ reason: callEndReasonSchema });

/** In an application submission: the call in which an officer proposed answers the resident accepted. */
export const remoteAssistanceSchema = z.strictObject({
  callId: callIdSchema,
  officerId: z.string().min(1).max(40),
});
export type RemoteAssistance = z.infer<typeof remoteAssistanceSchema>;
