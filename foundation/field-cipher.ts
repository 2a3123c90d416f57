/**
 * AES-256-GCM encryption for single database fields. Every value gets a fresh random 12-byte nonce;
 * the stored blob carries a format byte, the key id, the nonce and the tag. The associated data
 * names the table, column and row, so a ciphertext copied into another row or column fails to
 * decrypt instead of silently showing one resident's data under another's application.
 *
 * Blob layout: 0x01 | key id (8) | nonce (12) | tag (16) | ciphertext
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { err, ok, type Result } from './result';
import { dataKeyLength, staticKeyProvider, type KeyProvider } from './key-provider';

export interface FieldContext {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

export type DecryptError =
  | { kind: 'malformed'; reason: string }
  | { kind: 'unknown-key'; keyId: string }
  /** Wrong row/column, a flipped bit, or a forged value: GCM authentication failed. */
  | { kind: 'auth-failed' };

export interface FieldCipher {
  readonly keyId: string;
  encrypt(plaintext: Uint8Array, context: FieldContext): Buffer;
  decrypt(blob: Uint8Array, context: FieldContext): Result<Buffer, DecryptError>;
  encryptJson(value: unknown, context: FieldContext): Buffer;
  decryptJson(blob: Uint8Array, context: FieldContext): Result<unknown, DecryptError>;
  /** A key for another purpose (e.g. the audit chain's MAC), derived from the data key: kept wherever it is kept. */
  deriveKey(purpose: string): Buffer;
}

const formatVersion = 0x01;
const keyIdLength = 8;
const nonceLength = 12;
const tagLength = 16;
const headerLength = 1 + keyIdLength + nonceLength + tagLength;

function associatedData(context: FieldContext): Buffer {
  // A JSON array is unambiguous: no two different contexts produce the same bytes.
  return Buffer.from(JSON.stringify([context.table, context.column, context.rowId]), 'utf8');
}

/** Names the key without revealing it: lets a restored backup under another key fail clearly. */
export function keyIdOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('village-kiosk data key id').digest().subarray(0, keyIdLength);
}

export type CipherSetupError = { kind: 'bad-key'; reason: string };

export function createFieldCipher(provider: KeyProvider): Result<FieldCipher, CipherSetupError> {
  const key = provider.getDataKey();
  if (key.length !== dataKeyLength)
    return err({ kind: 'bad-key', reason: `data key has ${key.length} bytes, expected ${dataKeyLength}` });
  const keyId = keyIdOf(key);

  const encrypt = (plaintext: Uint8Array, context: FieldContext): Buffer => {
    const nonce = randomBytes(nonceLength);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.of(formatVersion), keyId, nonce, cipher.getAuthTag(), body]);
  };

  const decrypt = (blob: Uint8Array, context: FieldContext): Result<Buffer, DecryptError> => {
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (bytes.length < headerLength)
      return err({ kind: 'malformed', reason: `blob of ${bytes.length} bytes is shorter than the header` });
    if (bytes[0] !== formatVersion) return err({ kind: 'malformed', reason: `unknown format ${bytes[0]}` });
    const blobKeyId = bytes.subarray(1, 1 + keyIdLength);
    if (!blobKeyId.equals(keyId)) return err({ kind: 'unknown-key', keyId: blobKeyId.toString('hex') });
    const nonce = bytes.subarray(1 + keyIdLength, 1 + keyIdLength + nonceLength);
    const tag = bytes.subarray(1 + keyIdLength + nonceLength, headerLength);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(tag);
    try {
      return ok(Buffer.concat([decipher.update(bytes.subarray(headerLength)), decipher.final()]));
    } catch {
      return err({ kind: 'auth-failed' });
    }
  };

  return ok({
    keyId: keyId.toString('hex'),
    encrypt,
    decrypt,
    deriveKey: (purpose) => createHmac('sha256', key).update(`village-kiosk derived key: ${purpose}`).digest(),
    encryptJson: (value, context) => encrypt(Buffer.from(JSON.stringify(value), 'utf8'), context),
    decryptJson: (blob, context) => {
      const plain = decrypt(blob, context);
      if (!plain.ok) return plain;
      try {
        return ok(JSON.parse(plain.value.toString('utf8')) as unknown);
      } catch (cause) {
        return err({
          kind: 'malformed',
          reason: `not JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
        });
      }
    },
  });
}

/** A cipher over a fresh random key, for tests. */
export function randomTestCipher(): FieldCipher {
  const made = createFieldCipher(staticKeyProvider());
  if (!made.ok) throw new Error(made.error.reason);
  return made.value;
}
