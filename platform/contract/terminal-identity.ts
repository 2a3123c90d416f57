/**
 * A terminal's Ed25519 key pair and how its public half is written down: SPKI PEM for files,
 * raw base64url (43 characters) on the wire, and a fingerprint a technician can read aloud and
 * compare with the platform's enrolment list. Storage (owner-only files) lives with the kiosk in
 * electron/services/platform-client/identity-store.ts; this module is pure.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../../foundation/result';

export interface TerminalKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

export function generateTerminalKeys(): TerminalKeys {
  return generateKeyPairSync('ed25519');
}

export function isEd25519(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ed25519';
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function privateKeyPem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function publicKeyRaw(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' }).subarray(spkiPrefix.length);
}

export function publicKeyBase64Url(publicKey: KeyObject): string {
  return publicKeyRaw(publicKey).toString('base64url');
}

/** SHA-256 of the raw public key, upper-case hex in groups of four: `3F2A 9C01 …` (16 groups). */
export function keyFingerprint(publicKey: KeyObject): string {
  const hex = createHash('sha256').update(publicKeyRaw(publicKey)).digest('hex').toUpperCase();
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

/** Reads a public key given as SPKI PEM or as 32 raw bytes in base64url; only Ed25519 is accepted. */
export function parsePublicKey(text: string): Result<KeyObject, string> {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      key = createPublicKey(trimmed);
    } else {
      if (!/^[A-Za-z0-9_-]{43}$/.test(trimmed)) return err('expected a PEM public key or 43 base64url characters');
      const raw = Buffer.from(trimmed, 'base64url');
      if (raw.toString('base64url') !== trimmed) return err('non-canonical base64url public key');
      key = createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });
    }
  } catch (error) {
    return err(`unreadable public key (${error instanceof Error ? error.message : String(error)})`);
  }
  return isEd25519(key) ? ok(key) : err(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
}

export function parsePrivateKeyPem(pem: string): Result<KeyObject, string> {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return err(`unreadable private key (${error instanceof Error ? error.message : String(error)})`);
  }
  return isEd25519(key) ? ok(key) : err(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
}
