/**
 * The ICE servers a call's two sides use, from the platform's configuration: STUN urls, and TURN
 * urls with short-lived credentials in coturn's shared-secret scheme (`use-auth-secret`,
 * `static-auth-secret`): username = "<expiry in Unix seconds>:<who>", credential =
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the credential from the same secret and
 * refuses it after the expiry, so a credential read off one terminal is useless a few hours later
 * and the secret itself never leaves the platform (docs/remote-help.md, "TURN for deployments").
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../contract/remote-help';

export interface IceConfig {
  readonly stunUrls?: readonly string[];
  readonly turnUrls?: readonly string[];
  /** coturn's `static-auth-secret`; read from a file or credential, never from argv or the code. */
  readonly turnSecret?: string;
  /** How long a TURN credential is good for (default 6 hours, longer than any call). */
  readonly credentialTtlSeconds?: number;
  /** `relay` forces every call through TURN (tests, counties that forbid direct paths). */
  readonly transportPolicy?: 'all' | 'relay';
}

export function turnCredential(secret: string, who: string, expiresAt: Date): { username: string; credential: string } {
  // coturn takes the part before the first colon as the expiry; the rest only has to be unique-ish.
  const username = `${Math.floor(expiresAt.getTime() / 1000)}:${who.replace(/:/g, '-')}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The servers for one side of a call (`who`: the terminal id, or `hall-<account>`). */
export function iceServersFor(config: IceConfig, who: string, now: Date): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls !== undefined && config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls !== undefined && config.turnUrls.length > 0 && config.turnSecret !== undefined) {
    const expiresAt = new Date(now.getTime() + (config.credentialTtlSeconds ?? 6 * 3600) * 1000);
    servers.push({ urls: [...config.turnUrls], ...turnCredential(config.turnSecret, who, expiresAt) });
  }
  return servers;
}
