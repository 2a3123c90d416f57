/**
 * Files the fleet command lines share: the county's fleet key (Ed25519, PKCS#8 PEM, owner-only),
 * one-line secrets, and the description `fleet local` leaves for `fleet simulate` and for a kiosk.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { err, ok, type Result } from '../../foundation/result';
import { generateTerminalKeys, parsePrivateKeyPem, privateKeyPem } from '../../platform/contract/terminal-identity';
import { countyIdSchema } from '../contract/fleet-topics';

export interface FleetKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function readFleetKey(path: string): Result<FleetKey, string> {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    return err(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const key = parsePrivateKeyPem(pem);
  return key.ok ? ok({ privateKey: key.value, publicKey: createPublicKey(key.value) }) : err(`${path}: ${key.error}`);
}

/** Reads the key, or makes one (owner-only) when the file does not exist yet. */
export function fleetKeyAt(path: string): Result<FleetKey, string> {
  if (!existsSync(path)) {
    writeFileSync(path, privateKeyPem(generateTerminalKeys().privateKey), { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return readFleetKey(path);
}

export function readSecretFile(path: string): Result<string, string> {
  try {
    const secret = readFileSync(path, 'utf8').trim();
    return secret === '' ? err(`${path}: empty`) : ok(secret);
  } catch (error) {
    return err(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function writeSecretFile(path: string, secret: string): void {
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** What `fleet local` is running, for `fleet simulate` (written to <data>/local.json). */
export const localFleetSchema = z.strictObject({
  county: countyIdSchema,
  tlsUrl: z.string(),
  plainUrl: z.string(),
  caFile: z.string(),
  passwordFile: z.string(),
  brokerPidFile: z.string(),
  /** base64url Ed25519 public key of the county's fleet key. */
  commandKey: z.string(),
  consoleUrl: z.string(),
});
export type LocalFleet = z.infer<typeof localFleetSchema>;
