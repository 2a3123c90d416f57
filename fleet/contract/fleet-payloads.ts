/**
 * Payloads of the fleet protocol, version 1: the source of truth for docs/fleet.md. The terminal
 * builds them, the console and the simulator parse them; nothing here holds personal data (device
 * states, counts, times and hashes only).
 */
import { z } from 'zod';
import { err, ok, type Result } from '../../foundation/result';
import { countyIdSchema, fleetTerminalIdSchema } from './fleet-topics';

const isoDateTime = z.iso.datetime({ offset: true });
const shortText = z.string().max(200);

// ---------------------------------------------------------------- alerts

export const severities = ['info', 'warning', 'critical'] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

/**
 * What a terminal reports. Conditions (paper out, unplugged, …) are raised and later cleared;
 * happenings (a restore, an update) are reported once.
 */
export const alertCatalogue = {
  'printer-paper-near-end': { severity: 'warning', kind: 'condition' },
  'printer-paper-out': { severity: 'critical', kind: 'condition' },
  'printer-unplugged': { severity: 'critical', kind: 'condition' },
  'printer-fault': { severity: 'critical', kind: 'condition' },
  'id-reader-unplugged': { severity: 'critical', kind: 'condition' },
  'id-reader-fault': { severity: 'critical', kind: 'condition' },
  'scanner-unplugged': { severity: 'warning', kind: 'condition' },
  'outbox-stuck': { severity: 'warning', kind: 'condition' },
  'disk-low': { severity: 'warning', kind: 'condition' },
  'clock-skew': { severity: 'warning', kind: 'condition' },
  'database-restored': { severity: 'warning', kind: 'happening' },
  'update-applied': { severity: 'info', kind: 'happening' },
  'update-rolled-back': { severity: 'warning', kind: 'happening' },
} as const satisfies Record<string, { severity: Severity; kind: 'condition' | 'happening' }>;
export type AlertCode = keyof typeof alertCatalogue;
export const alertCodes = Object.keys(alertCatalogue) as AlertCode[];
export const alertCodeSchema = z.enum(alertCodes as [AlertCode, ...AlertCode[]]);

export function severityOf(code: AlertCode): Severity {
  return alertCatalogue[code].severity;
}
export function isCondition(code: AlertCode): boolean {
  return alertCatalogue[code].kind === 'condition';
}

/** An alert open on the terminal right now (in `state`). */
export const openAlertSchema = z.strictObject({
  code: alertCodeSchema,
  severity: severitySchema,
  since: isoDateTime,
  detail: shortText.optional(),
});
export type OpenAlert = z.infer<typeof openAlertSchema>;

// ---------------------------------------------------------------- state (retained)

export const deviceStateSchema = z.strictObject({ state: z.string().min(1).max(40), detail: shortText.optional() });

export const onlineStateSchema = z.strictObject({
  v: z.literal(1),
  status: z.literal('online'),
  county: countyIdSchema,
  terminal: fleetTerminalIdSchema,
  /** The terminal's display name and its service point (a village), as configured: no personal data. */
  name: z.string().max(60),
  village: z.string().max(60),
  version: z.string().min(1).max(40),
  /** The software version the county assigned (set by command; the update agent installs it). */
  assignedVersion: z.string().max(40).nullable(),
  startedAt: isoDateTime,
  publishedAt: isoDateTime,
  uptimeSeconds: z.int().nonnegative(),
  devices: z.record(z.string().max(40), deviceStateSchema),
  outbox: z.strictObject({ depth: z.int().nonnegative(), oldestUnsentAt: isoDateTime.nullable() }),
  diskFreeBytes: z.number().nonnegative().nullable(),
  /** Terminal clock minus the platform's (from its Date header), null until known. */
  clockOffsetMs: z.number().nullable(),
  /** When a resident last used the terminal (start or end of a session); no one is named. */
  lastResidentActivityAt: isoDateTime.nullable(),
  /** Hash at the head of the terminal's audit chain, so a rewritten log is detectable off the box. */
  auditHead: z.string().max(128).nullable(),
  notice: z.strictObject({ text: shortText, until: isoDateTime }).nullable(),
  alerts: z.array(openAlertSchema).max(alertCodes.length),
});
export type OnlineState = z.infer<typeof onlineStateSchema>;

/** Published by the broker as the terminal's Last Will, or by the terminal itself on a clean stop. */
export const offlineStateSchema = z.strictObject({
  v: z.literal(1),
  status: z.literal('offline'),
  county: countyIdSchema,
  terminal: fleetTerminalIdSchema,
  reason: z.enum(['connection-lost', 'shutdown']),
  /** When the terminal connected (a Will is written at connect time) or stopped. */
  at: isoDateTime,
});
export type OfflineState = z.infer<typeof offlineStateSchema>;

export const terminalStateSchema = z.discriminatedUnion('status', [onlineStateSchema, offlineStateSchema]);
export type TerminalState = z.infer<typeof terminalStateSchema>;

// ---------------------------------------------------------------- events

/**
 * `seq` grows by one per event per terminal and survives restarts: the console keeps the highest
 * it has per stream and drops repeats (QoS 1 may deliver twice), so each event is shown once, in order.
 */
export const fleetEventSchema = z.strictObject({
  v: z.literal(1),
  county: countyIdSchema,
  terminal: fleetTerminalIdSchema,
  /** The terminal's event sequence; a new one starts only if its fleet database was lost. */
  stream: z.uuid(),
  seq: z.int().positive(),
  at: isoDateTime,
  code: alertCodeSchema,
  severity: severitySchema,
  phase: z.enum(['raised', 'cleared', 'once']),
  detail: shortText.optional(),
});
export type FleetEvent = z.infer<typeof fleetEventSchema>;

// ---------------------------------------------------------------- commands

export const deviceRoles = ['id-reader', 'printer', 'scanner'] as const;
export type DeviceRole = (typeof deviceRoles)[number];

export const fleetCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('refresh-catalogue') }),
  z.strictObject({ kind: z.literal('upload-diagnostics') }),
  z.strictObject({ kind: z.literal('set-assigned-version'), version: z.string().regex(/^[0-9A-Za-z.+~-]{1,40}$/) }),
  z.strictObject({ kind: z.literal('self-test'), device: z.enum(deviceRoles) }),
  /** Shown on the idle screen until `until`; an empty text takes a notice down. */
  z.strictObject({ kind: z.literal('show-notice'), text: z.string().max(200), until: isoDateTime }),
]);
export type FleetCommand = z.infer<typeof fleetCommandSchema>;
export type FleetCommandKind = FleetCommand['kind'];

/** The signed part of a command. `terminal` and `county` bind it to one terminal; the times bound replays. */
export const commandBodySchema = z.strictObject({
  v: z.literal(1),
  id: z.uuid(),
  county: countyIdSchema,
  terminal: fleetTerminalIdSchema,
  issuedAt: isoDateTime,
  expiresAt: isoDateTime,
  /** Who sent it at the console (an account name, not a resident). */
  issuedBy: z.string().min(1).max(60),
  command: fleetCommandSchema,
});
export type CommandBody = z.infer<typeof commandBodySchema>;

/** What travels on `cmd`: the body's exact bytes and an Ed25519 signature over them. */
export const commandEnvelopeSchema = z.strictObject({
  v: z.literal(1),
  /** base64url of the UTF-8 JSON of a CommandBody. */
  body: z.string().min(1).max(4096),
  /** base64url Ed25519 signature of the body bytes. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  /** Fingerprint of the signing key (which county key, during a key rotation). */
  keyId: z.string().min(1).max(100),
});
export type CommandEnvelope = z.infer<typeof commandEnvelopeSchema>;

export const commandRefusals = [
  'malformed',
  'unknown-key',
  'bad-signature',
  'wrong-terminal',
  'not-yet-valid',
  'expired',
  'replayed',
] as const;
export type CommandRefusal = (typeof commandRefusals)[number];

export const commandReplySchema = z.strictObject({
  v: z.literal(1),
  /** The command's id; null when the message was too broken to carry one. */
  id: z.uuid().nullable(),
  county: countyIdSchema,
  terminal: fleetTerminalIdSchema,
  at: isoDateTime,
  outcome: z.enum(['done', 'failed', 'refused']),
  refusal: z.enum(commandRefusals).optional(),
  /** A short, personal-data-free result or reason for people (e.g. "self-test passed"). */
  message: z.string().max(500),
});
export type CommandReply = z.infer<typeof commandReplySchema>;

/** Parses an MQTT payload as JSON against a schema; never throws. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: Buffer | string): Result<z.infer<S>, string> {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return err('not JSON');
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? ok(parsed.data)
    : err(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; '),
      );
}
