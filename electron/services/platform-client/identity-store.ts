/**
 * The terminal's key pair on disk: made once at first start, kept in `<data>/identity/`. The private
 * key is only ever written sealed under the data key (foundation/sealed-secret.ts), so it has the data
 * key's protection — safeStorage in the Electron shell, systemd-creds or an owner-only file in the
 * browser host — and a data folder copied without its data key cannot sign. The public key and the
 * enrolment record (which platform knows this key, under which terminal id) stay readable.
 * A terminal from before sealing has a plain PEM: it is adopted once (sealed, then destroyed).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { FieldCipher } from '../../../foundation/field-cipher';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import { describeUnsealError, sealSecret, unsealSecret } from '../../../foundation/sealed-secret';
import { fleetCredentialsSchema } from '../../../platform/contract/api-schemas';
import {
  generateTerminalKeys,
  isEd25519,
  keyFingerprint,
  parsePrivateKeyPem,
  parsePublicKey,
  publicKeyPem,
} from '../../../platform/contract/terminal-identity';
import { destroyFile } from '../../../foundation/destroy-file';

export interface StoredKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  /** True when this call made the key pair. */
  readonly created: boolean;
}

export interface IdentityFailure {
  readonly kind:
    | 'missing'
    | 'insecure-permissions'
    | 'unreadable'
    | 'invalid-key'
    /** Sealed under another data key: the folder was copied without its key, or the data key replaced. */
    | 'wrong-data-key'
    | 'tampered'
    | 'io';
  readonly message: string;
}

/** What seals the private key: the store's field cipher (a purpose key derived from the data key). */
export type KeySealer = Pick<FieldCipher, 'deriveKey'>;

const sealPurpose = 'terminal key seal v1';

export function identityDir(dataDir: string): string {
  return join(dataDir, 'identity');
}
/** The private key, sealed under the data key. */
export function sealedKeyPath(dataDir: string): string {
  return join(identityDir(dataDir), 'terminal-key.sealed');
}
/** Where terminals before sealing kept the private key as a plain PEM (adopted, then destroyed). */
export function plainKeyPath(dataDir: string): string {
  return join(identityDir(dataDir), 'terminal-key.pem');
}
export function publicKeyPath(dataDir: string): string {
  return join(identityDir(dataDir), 'terminal-key.pub.pem');
}
function enrolmentPath(dataDir: string): string {
  return join(identityDir(dataDir), 'enrolment.json');
}
/** The associated data: a sealed key moved to another file name does not open. */
const sealedName = 'identity/terminal-key.sealed';

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Writes a file durably with the given mode: temp file, fsync, then link (exclusive) or rename (replace). */
function writeFileDurably(path: string, data: string | Buffer, mode: number, exclusive: boolean): 'written' | 'exists' {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (exclusive) {
      try {
        linkSync(tmp, path); // fails if another process made the key first: never overwrite a key in use
      } catch (error) {
        if (errnoCode(error) === 'EEXIST') return 'exists';
        throw error;
      }
    } else {
      renameSync(tmp, path);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed
    }
  }
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return 'written';
}

/** Reads an owner-only file, refusing one that group or others can read or that another user owns. */
function readOwnerOnly(path: string, what: string): Result<Buffer, IdentityFailure> {
  let mode: number;
  let uid: number;
  try {
    ({ mode, uid } = statSync(path));
  } catch (error) {
    const code = errnoCode(error);
    return err(
      code === 'ENOENT'
        ? { kind: 'missing', message: `${path}: no ${what} yet` }
        : { kind: 'io', message: `${path}: cannot read (${code})` },
    );
  }
  if ((mode & 0o077) !== 0) {
    return err({
      kind: 'insecure-permissions',
      message: `${path}: the ${what} is readable by others (mode ${(mode & 0o777).toString(8)}); fix with: chmod 600 ${path}`,
    });
  }
  if (typeof process.getuid === 'function' && uid !== process.getuid()) {
    return err({ kind: 'insecure-permissions', message: `${path}: the ${what} belongs to another user (uid ${uid})` });
  }
  try {
    return ok(readFileSync(path));
  } catch (error) {
    return err({ kind: 'unreadable', message: `${path}: cannot read (${errnoCode(error)})` });
  }
}

function storedKeys(privateKey: KeyObject, created: boolean): StoredKeys {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey), created };
}

function openSealedKey(dataDir: string, sealer: KeySealer): Result<KeyObject, IdentityFailure> {
  const path = sealedKeyPath(dataDir);
  const blob = readOwnerOnly(path, 'terminal key');
  if (!blob.ok) return blob;
  const opened = unsealSecret(sealer.deriveKey(sealPurpose), blob.value, sealedName);
  if (!opened.ok) {
    const kind =
      opened.error.kind === 'wrong-key'
        ? 'wrong-data-key'
        : opened.error.kind === 'tampered'
          ? 'tampered'
          : 'invalid-key';
    return err({
      kind,
      message: `${path}: ${describeUnsealError(opened.error)}; this terminal cannot sign with it (it was not replaced)`,
    });
  }
  try {
    const key = createPrivateKey({ key: opened.value, format: 'der', type: 'pkcs8' });
    if (isEd25519(key)) return ok(key);
    return err({
      kind: 'invalid-key',
      message: `${path}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`,
    });
  } catch (error) {
    return err({ kind: 'invalid-key', message: `${path}: unreadable private key (${errnoCode(error)})` });
  } finally {
    opened.value.fill(0);
  }
}

function writeSealedKey(dataDir: string, sealer: KeySealer, privateKey: KeyObject): 'written' | 'exists' {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return writeFileDurably(
      sealedKeyPath(dataDir),
      sealSecret(sealer.deriveKey(sealPurpose), der, sealedName),
      0o600,
      true,
    );
  } finally {
    der.fill(0);
  }
}

/**
 * A plain PEM from before sealing: sealed (exclusively, synced), then destroyed. After a crash
 * between the two steps the sealed copy exists and holds the same key: the plain one is destroyed
 * then. A plain key that differs from the sealed one is not this terminal's key and is left alone.
 */
function adoptPlainKey(dataDir: string, sealer: KeySealer, log: Log): Result<'adopted' | 'none', IdentityFailure> {
  const plainPath = plainKeyPath(dataDir);
  if (!existsSync(plainPath)) return ok('none');
  const pem = readOwnerOnly(plainPath, 'terminal key');
  if (!pem.ok) return pem;
  const plain = parsePrivateKeyPem(pem.value.toString('utf8'));
  if (!plain.ok) return err({ kind: 'invalid-key', message: `${plainPath}: ${plain.error}` });
  const sealedAlready = existsSync(sealedKeyPath(dataDir));
  if (!sealedAlready) writeSealedKey(dataDir, sealer, plain.value);
  const sealed = openSealedKey(dataDir, sealer);
  if (!sealed.ok) return sealed;
  const fingerprint = keyFingerprint(createPublicKey(plain.value));
  if (keyFingerprint(createPublicKey(sealed.value)) !== fingerprint) {
    log.warn({ file: 'identity/terminal-key.pem' }, 'a plain terminal key that is not the sealed one was left alone');
    return ok('none');
  }
  destroyFile(plainPath);
  log.info({ fingerprint }, 'plain terminal key adopted: sealed under the data key, plain file destroyed');
  return ok('adopted');
}

/** The terminal's keys; a plain PEM from before sealing is adopted on the way. */
export function loadTerminalKeys(dataDir: string, sealer: KeySealer, log: Log): Result<StoredKeys, IdentityFailure> {
  let adopted: Result<'adopted' | 'none', IdentityFailure>;
  try {
    adopted = adoptPlainKey(dataDir, sealer, log);
  } catch (error) {
    return err({
      kind: 'io',
      message: `${plainKeyPath(dataDir)}: cannot adopt the plain terminal key (${errnoCode(error)})`,
    });
  }
  if (!adopted.ok) return adopted;
  const key = openSealedKey(dataDir, sealer);
  if (!key.ok) return key;
  const keys = storedKeys(key.value, false);
  // A start cut short between writing the sealed key and its public half.
  if (!existsSync(publicKeyPath(dataDir)))
    writeFileDurably(publicKeyPath(dataDir), publicKeyPem(keys.publicKey), 0o644, false);
  return ok(keys);
}

/** The public half only (no data key needed): for showing and checking the identity. */
export function loadPublicKey(dataDir: string): Result<{ publicKey: KeyObject; fingerprint: string }, IdentityFailure> {
  const path = publicKeyPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    return err(
      code === 'ENOENT'
        ? { kind: 'missing', message: `${path}: no terminal key yet` }
        : { kind: 'unreadable', message: `${path}: cannot read (${code})` },
    );
  }
  const key = parsePublicKey(text);
  return key.ok
    ? ok({ publicKey: key.value, fingerprint: keyFingerprint(key.value) })
    : err({ kind: 'invalid-key', message: `${path}: ${key.error}` });
}

/**
 * The terminal's keys, made on first start. Never replaces an existing key, even an unusable one
 * (one sealed under another data key is a clear failure, never a silently new identity).
 */
export function loadOrCreateTerminalKeys(
  dataDir: string,
  sealer: KeySealer,
  log: Log,
): Result<StoredKeys, IdentityFailure> {
  const existing = loadTerminalKeys(dataDir, sealer, log);
  if (existing.ok || existing.error.kind !== 'missing') return existing;
  try {
    mkdirSync(identityDir(dataDir), { recursive: true, mode: 0o700 });
    const keys = generateTerminalKeys();
    if (writeSealedKey(dataDir, sealer, keys.privateKey) === 'exists') return loadTerminalKeys(dataDir, sealer, log);
    writeFileDurably(publicKeyPath(dataDir), publicKeyPem(keys.publicKey), 0o644, false);
    const made = storedKeys(keys.privateKey, true);
    log.info({ fingerprint: made.fingerprint }, 'terminal key pair created');
    return ok(made);
  } catch (error) {
    return err({
      kind: 'io',
      message: `${identityDir(dataDir)}: cannot create the terminal key (${errnoCode(error)})`,
    });
  }
}

export const enrolmentRecordSchema = z.strictObject({
  terminalId: z.string().min(1),
  platformUrl: z.url(),
  fingerprint: z.string(),
  enrolledAt: z.iso.datetime({ offset: true }),
  /** The terminal's broker account, when the platform issued one (a secret: this file is owner-only). */
  fleet: fleetCredentialsSchema.optional(),
});
export type EnrolmentRecord = z.infer<typeof enrolmentRecordSchema>;

export function readEnrolment(dataDir: string): EnrolmentRecord | null {
  try {
    const parsed = enrolmentRecordSchema.safeParse(JSON.parse(readFileSync(enrolmentPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Two spellings of one platform address (a trailing slash, letter case of the host) are the same platform. */
export function samePlatform(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/$/, '');
    } catch {
      return url;
    }
  };
  return normal(a) === normal(b);
}

export function writeEnrolment(dataDir: string, record: EnrolmentRecord): void {
  mkdirSync(identityDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileDurably(enrolmentPath(dataDir), `${JSON.stringify(record, null, 2)}\n`, 0o600, false);
}
