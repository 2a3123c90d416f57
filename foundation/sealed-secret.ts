/**
 * A secret kept in a file sealed under a key derived from the data key (e.g. the terminal's Ed25519
 * private key): AES-256-GCM, a fresh 12-byte nonce per seal, and associated data that names the
 * file, so a sealed blob moved to another file does not open. The secret then has exactly the data
 * key's protection (safeStorage in the Electron shell, systemd-creds or an owner-only file in the
 * browser host): a data folder copied without its data key holds nothing usable.
 *
 * Blob layout: "VKS1" | key id (8) | nonce (12) | tag (16) | ciphertext
 * The key id lets a blob sealed under another data key fail as such, not as "tampered".
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keyIdOf } from './field-cipher';
import { err, ok, type Result } from './result';

const magic = Buffer.from('VKS1', 'ascii');
const keyIdLength = 8;
const nonceLength = 12;
const tagLength = 16;
const headerLength = magic.length + keyIdLength + nonceLength + tagLength;

export type UnsealError =
  | { kind: 'malformed'; reason: string }
  /** Sealed under another key: a data folder copied without its data key, or the data key replaced. */
  | { kind: 'wrong-key' }
  /** The right key, but the blob or its name was changed. */
  | { kind: 'tampered' };

export function describeUnsealError(error: UnsealError): string {
  switch (error.kind) {
    case 'malformed':
      return `not a sealed secret (${error.reason})`;
    case 'wrong-key':
      return 'sealed under another data key (the data folder was copied without its data key, or the data key was replaced)';
    case 'tampered':
      return 'the sealed secret was altered or renamed: it fails authentication';
  }
}

/** `key` is 32 bytes (a purpose key from FieldCipher.deriveKey); `associated` names what is sealed. */
export function sealSecret(key: Buffer, secret: Uint8Array, associated: string): Buffer {
  const nonce = randomBytes(nonceLength);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([magic, keyIdOf(key), nonce, cipher.getAuthTag(), body]);
}

export function unsealSecret(key: Buffer, blob: Uint8Array, associated: string): Result<Buffer, UnsealError> {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < headerLength) return err({ kind: 'malformed', reason: `${bytes.length} bytes, too short` });
  if (!bytes.subarray(0, magic.length).equals(magic)) return err({ kind: 'malformed', reason: 'unknown format' });
  let at = magic.length;
  const keyId = bytes.subarray(at, (at += keyIdLength));
  if (!keyId.equals(keyIdOf(key))) return err({ kind: 'wrong-key' });
  const nonce = bytes.subarray(at, (at += nonceLength));
  const tag = bytes.subarray(at, (at += tagLength));
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return ok(Buffer.concat([decipher.update(bytes.subarray(at)), decipher.final()]));
  } catch {
    return err({ kind: 'tampered' });
  }
}
