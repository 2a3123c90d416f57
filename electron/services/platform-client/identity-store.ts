/**
 * The terminal's key pair on disk: made once at first start, kept in `<data>/identity/` with
 * owner-only permissions, and refused (with the command that fixes it) if anyone else can read
 * it. Also the enrolment record: which platform knows this key, under which terminal id.
 */
import {
  closeSync,
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
import { createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import { fleetCredentialsSchema } from '../../../platform/contract/api-schemas';
import {
  generateTerminalKeys,
  keyFingerprint,
  parsePrivateKeyPem,
  privateKeyPem,
  publicKeyPem,
} from '../../../platform/contract/terminal-identity';

export interface StoredKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  /** True when this call made the key pair. */
  readonly created: boolean;
}

export interface IdentityFailure {
  readonly kind: 'missing' | 'insecure-permissions' | 'unreadable' | 'invalid-key' | 'io';
  readonly message: string;
}

export function identityDir(dataDir: string): string {
  return join(dataDir, 'identity');
}
export function privateKeyPath(dataDir: string): string {
  return join(identityDir(dataDir), 'terminal-key.pem');
}
export function publicKeyPath(dataDir: string): string {
  return join(identityDir(dataDir), 'terminal-key.pub.pem');
}
function enrolmentPath(dataDir: string): string {
  return join(identityDir(dataDir), 'enrolment.json');
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Writes a file durably with the given mode: temp file, fsync, then link (exclusive) or rename (replace). */
function writeFileDurably(path: string, text: string, mode: number, exclusive: boolean): 'written' | 'exists' {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
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

/** Reads the private key, refusing a file that group or others can read or that another user owns. */
export function loadTerminalKeys(dataDir: string): Result<StoredKeys, IdentityFailure> {
  const path = privateKeyPath(dataDir);
  let mode: number;
  let uid: number;
  try {
    ({ mode, uid } = statSync(path));
  } catch (error) {
    const code = errnoCode(error);
    return err(
      code === 'ENOENT'
        ? { kind: 'missing', message: `${path}: no terminal key yet` }
        : { kind: 'io', message: `${path}: cannot read (${code})` },
    );
  }
  if ((mode & 0o077) !== 0) {
    return err({
      kind: 'insecure-permissions',
      message: `${path}: the terminal key is readable by others (mode ${(mode & 0o777).toString(8)}); fix with: chmod 600 ${path}`,
    });
  }
  if (typeof process.getuid === 'function' && uid !== process.getuid()) {
    return err({
      kind: 'insecure-permissions',
      message: `${path}: the terminal key belongs to another user (uid ${uid})`,
    });
  }
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    return err({ kind: 'unreadable', message: `${path}: cannot read (${errnoCode(error)})` });
  }
  const key = parsePrivateKeyPem(pem);
  if (!key.ok) return err({ kind: 'invalid-key', message: `${path}: ${key.error}` });
  const publicKey = createPublicKey(key.value);
  return ok({ privateKey: key.value, publicKey, fingerprint: keyFingerprint(publicKey), created: false });
}

/** The terminal's keys, made on first start. Never replaces an existing key, even an unusable one. */
export function loadOrCreateTerminalKeys(dataDir: string, log: Log): Result<StoredKeys, IdentityFailure> {
  const existing = loadTerminalKeys(dataDir);
  if (existing.ok || existing.error.kind !== 'missing') return existing;
  try {
    mkdirSync(identityDir(dataDir), { recursive: true, mode: 0o700 });
    const keys = generateTerminalKeys();
    if (writeFileDurably(privateKeyPath(dataDir), privateKeyPem(keys.privateKey), 0o600, true) === 'exists')
      return loadTerminalKeys(dataDir);
    writeFileDurably(publicKeyPath(dataDir), publicKeyPem(keys.publicKey), 0o644, false);
    const fingerprint = keyFingerprint(keys.publicKey);
    log.info({ fingerprint }, 'terminal key pair created');
    return ok({ ...keys, fingerprint, created: true });
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
