/**
 * Fleet commands are signed by the county's fleet key (Ed25519) over the exact bytes of their body,
 * so no canonical JSON is needed: the terminal verifies the bytes it received, then parses them.
 * Replays are bounded twice: by the body's validity window here, and by the terminal remembering
 * every id it accepted until that window has passed (electron/services/fleet/).
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../../foundation/result';
import { keyFingerprint } from '../../platform/contract/terminal-identity';
import {
  commandBodySchema,
  commandEnvelopeSchema,
  parsePayload,
  type CommandBody,
  type CommandEnvelope,
  type CommandRefusal,
} from './fleet-payloads';
import type { TerminalAddress } from './fleet-topics';

/** The longest a command may stay valid: a terminal offline for longer gets it refused as expired. */
export const maxCommandValidityMs = 7 * 24 * 3600_000;
/** Tolerated difference between the console's and the terminal's clocks. */
export const commandClockSkewMs = 5 * 60_000;

export function fleetKeyId(publicKey: KeyObject): string {
  return keyFingerprint(publicKey).replaceAll(' ', '');
}

export function signCommand(body: CommandBody, privateKey: KeyObject, publicKey: KeyObject): CommandEnvelope {
  const bytes = Buffer.from(JSON.stringify(commandBodySchema.parse(body)), 'utf8');
  return {
    v: 1,
    body: bytes.toString('base64url'),
    signature: sign(null, bytes, privateKey).toString('base64url'),
    keyId: fleetKeyId(publicKey),
  };
}

export interface CommandRefused {
  readonly refusal: CommandRefusal;
  /** The command id when the body could be read (so the console can match the refusal). */
  readonly id: string | null;
  readonly detail: string;
}

export interface VerifyOptions {
  /** The county keys this terminal trusts, by key id. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly self: TerminalAddress;
  readonly now: number;
}

/** Checks signature, addressee and validity window; returns the body or why it is refused. */
export function verifyCommand(payload: Buffer | string, options: VerifyOptions): Result<CommandBody, CommandRefused> {
  const envelope = parsePayload(commandEnvelopeSchema, payload);
  if (!envelope.ok) return err({ refusal: 'malformed', id: null, detail: `not a command envelope: ${envelope.error}` });
  const key = options.keys.get(envelope.value.keyId);
  const bytes = Buffer.from(envelope.value.body, 'base64url');
  // Read the id before deciding, so a refusal can name the command; nothing else is trusted yet.
  const claimed = parsePayload(commandBodySchema, bytes);
  const id = claimed.ok ? claimed.value.id : null;
  if (key === undefined)
    return err({ refusal: 'unknown-key', id, detail: 'signed by a key this terminal does not trust' });
  if (!verify(null, bytes, key, Buffer.from(envelope.value.signature, 'base64url')))
    return err({ refusal: 'bad-signature', id, detail: 'the signature does not match the command' });
  if (!claimed.ok) return err({ refusal: 'malformed', id: null, detail: `signed body invalid: ${claimed.error}` });
  const body = claimed.value;
  if (body.county !== options.self.county || body.terminal !== options.self.terminal)
    return err({ refusal: 'wrong-terminal', id, detail: `addressed to ${body.county}/${body.terminal}` });
  const issuedAt = Date.parse(body.issuedAt);
  const expiresAt = Date.parse(body.expiresAt);
  if (expiresAt <= issuedAt || expiresAt - issuedAt > maxCommandValidityMs)
    return err({ refusal: 'malformed', id, detail: 'validity window is empty or longer than 7 days' });
  if (issuedAt > options.now + commandClockSkewMs)
    return err({ refusal: 'not-yet-valid', id, detail: 'issued in the future (clock skew?)' });
  if (expiresAt + commandClockSkewMs <= options.now) return err({ refusal: 'expired', id, detail: 'expired' });
  return ok(body);
}

/** How long a terminal must remember an accepted id so that the same command can never run twice. */
export function rememberUntil(body: CommandBody): number {
  return Date.parse(body.expiresAt) + commandClockSkewMs;
}
