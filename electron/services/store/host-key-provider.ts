/**
 * The browser host's data key (the Electron shell uses safeStorage instead, electron/shell/).
 * Where systemd's credential store is usable, the key lives only as a systemd credential
 * (`data.key.cred`, made with `systemd-creds encrypt`): bound to this machine's host secret
 * (/var/lib/systemd/credential.secret, root-only) and to its TPM2 chip when there is one, so a copy
 * of the data folder — or of the whole disk, with a TPM — cannot be decrypted elsewhere. Where it
 * is not usable (no systemd-creds, or a non-root user on systemd 252, which cannot reach the host
 * secret) the key is an owner-only file (`data.key`, foundation/key-provider.ts); the log says
 * which protection is in use. Only the data folder's owner makes a credential: root running a command
 * on the kiosk user's folder leaves its key file as it is.
 *
 * A plain `data.key` found when the credential store is usable (a terminal from before, or one
 * provisioned where it was not) is adopted once: encrypted, read back, then the plain file
 * destroyed. A credential that exists but does not decrypt is a clear failure: never a new key,
 * which would make everything stored under the old one unreadable.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { destroyFile } from '../../../foundation/destroy-file';
import {
  createFileKeyProvider,
  dataKeyLength,
  describeKeyFileError,
  type KeyProvider,
} from '../../../foundation/key-provider';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import { storePaths } from './database';

/** The name sealed into the credential: a credential made for something else does not decrypt as this. */
export const dataKeyCredentialName = 'kiosk-data-key';

/** The two operations of systemd-creds the provider needs; tests inject a failing one. */
export interface CredentialTool {
  encrypt(name: string, secret: Buffer): Result<Buffer, string>;
  decrypt(name: string, credential: Buffer): Result<Buffer, string>;
}

/**
 * `systemd-creds` itself. The secret goes through stdin and stdout only, never a file. `--with-key=auto`
 * (the default) uses the TPM2 chip when present and the host secret; `--tpm2-pcrs=` (none) keeps a
 * firmware or Secure Boot update from locking the kiosk out of its own data.
 */
export function systemdCreds(binary = 'systemd-creds'): CredentialTool {
  const run = (args: string[], input: Buffer): Result<Buffer, string> => {
    const done = spawnSync(binary, args, { input, timeout: 30_000, maxBuffer: 1 << 20 });
    if (done.error !== undefined)
      return err(`${binary}: ${(done.error as NodeJS.ErrnoException).code ?? done.error.message}`);
    if (done.status !== 0) {
      const said = done.stderr.toString('utf8').trim().split('\n').pop() ?? '';
      return err(
        `${binary} ${args[0] ?? ''} exited ${done.status ?? done.signal ?? '?'}${said === '' ? '' : `: ${said}`}`,
      );
    }
    return ok(done.stdout);
  };
  return {
    encrypt: (name, secret) => run(['encrypt', `--name=${name}`, '--tpm2-pcrs=', '-', '-'], secret),
    decrypt: (name, credential) => run(['decrypt', `--name=${name}`, '-', '-'], credential),
  };
}

export type KeyProtection = 'systemd-creds' | 'owner-only-file';

export interface HostKey {
  readonly provider: KeyProvider;
  readonly protection: KeyProtection;
}

export type HostKeyError =
  | { kind: 'undecryptable'; path: string; reason: string }
  | { kind: 'insecure-permissions'; path: string; mode: string }
  | { kind: 'wrong-length'; path: string; length: number }
  | { kind: 'no-key'; path: string }
  | { kind: 'key-file'; reason: string }
  | { kind: 'io'; path: string; reason: string };

export function describeHostKeyError(error: HostKeyError): string {
  switch (error.kind) {
    case 'undecryptable':
      return `data key credential ${error.path} does not decrypt on this machine (${error.reason}): the data folder was copied from another machine, or its host secret or TPM was reset; the stored data cannot be read without it (nothing was replaced)`;
    case 'insecure-permissions':
      return `data key credential ${error.path} has mode ${error.mode}: group/other may read it; run chmod 600 on it (it was not used)`;
    case 'wrong-length':
      return `data key credential ${error.path} holds a ${error.length}-byte key, expected ${dataKeyLength}; it is damaged`;
    case 'no-key':
      return `${error.path}: no data key here`;
    case 'key-file':
      return error.reason;
    case 'io':
      return `data key ${error.path}: ${error.reason}`;
  }
}

export interface HostKeyOptions {
  readonly log: Log;
  /** Make the key when there is none, and adopt a plain key file into the credential store. */
  readonly create: boolean;
  /** null: the credential store is not used (tests of the file fallback). */
  readonly tool?: CredentialTool | null;
}

function readCredential(path: string, tool: CredentialTool): Result<Buffer, HostKeyError> {
  const info = statSync(path);
  if ((info.mode & 0o077) !== 0)
    return err({ kind: 'insecure-permissions', path, mode: (info.mode & 0o777).toString(8).padStart(4, '0') });
  const key = tool.decrypt(dataKeyCredentialName, readFileSync(path));
  if (!key.ok) return err({ kind: 'undecryptable', path, reason: key.error });
  if (key.value.length !== dataKeyLength) return err({ kind: 'wrong-length', path, length: key.value.length });
  return ok(key.value);
}

/** Writes the credential exclusively (a concurrent first start keeps the first one) and syncs it. */
function writeCredential(path: string, credential: Buffer): 'written' | 'exists' {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw cause;
  }
  try {
    writeSync(fd, credential);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return 'written';
}

function ownedByMe(dataDir: string): boolean {
  return typeof process.getuid !== 'function' || statSync(dataDir).uid === process.getuid();
}

/**
 * Encrypts the key into the credential file and reads it back: a credential that does not give the
 * same key again is removed at once (it must not block the next start), and the file stays in use.
 */
function makeCredential(path: string, key: Buffer, tool: CredentialTool): Result<'written' | 'exists', string> {
  const credential = tool.encrypt(dataKeyCredentialName, key);
  if (!credential.ok) return credential;
  if (writeCredential(path, credential.value) === 'exists') return ok('exists');
  const back = readCredential(path, tool);
  if (back.ok && back.value.equals(key)) return ok('written');
  destroyFile(path);
  return err(`the credential did not read back (${back.ok ? 'another key' : describeHostKeyError(back.error)})`);
}

function providerOf(key: Buffer): KeyProvider {
  return { getDataKey: () => Buffer.from(key) };
}

/** The browser host's data key: from its credential, else its owner-only file (see the module comment). */
export function openHostDataKey(dataDir: string, options: HostKeyOptions): Result<HostKey, HostKeyError> {
  const { keyFile, credentialKeyFile } = storePaths(dataDir);
  const tool = options.tool === undefined ? systemdCreds() : options.tool;
  const log = options.log;
  try {
    if (existsSync(credentialKeyFile)) {
      if (tool === null)
        return err({ kind: 'undecryptable', path: credentialKeyFile, reason: 'systemd-creds not used' });
      const key = readCredential(credentialKeyFile, tool);
      if (!key.ok) return key;
      // Finishes an adoption cut short; a plain key that differs is not this store's and stays.
      if (options.create && existsSync(keyFile)) {
        const plain = createFileKeyProvider(keyFile);
        if (plain.ok && plain.value.getDataKey().equals(key.value)) destroyFile(keyFile);
      }
      return ok({ provider: providerOf(key.value), protection: 'systemd-creds' });
    }
    const plainExists = existsSync(keyFile);
    if (!options.create) {
      if (!plainExists) return err({ kind: 'no-key', path: keyFile });
      const plain = createFileKeyProvider(keyFile);
      return plain.ok
        ? ok({ provider: plain.value, protection: 'owner-only-file' })
        : err({ kind: 'key-file', reason: describeKeyFileError(plain.error) });
    }
    let key: Buffer = randomBytes(dataKeyLength);
    if (plainExists) {
      const plain = createFileKeyProvider(keyFile);
      if (!plain.ok) return err({ kind: 'key-file', reason: describeKeyFileError(plain.error) });
      key = plain.value.getDataKey();
    }
    const made =
      tool === null
        ? err('not used')
        : !ownedByMe(dataDir)
          ? // root running a command on the kiosk user's folder: a root-only credential would lock the kiosk out.
            err('the data folder belongs to another user')
          : makeCredential(credentialKeyFile, key, tool);
    if (made.ok && made.value === 'exists') return openHostDataKey(dataDir, options);
    if (!made.ok) {
      const plain = createFileKeyProvider(keyFile);
      if (!plain.ok) return err({ kind: 'key-file', reason: describeKeyFileError(plain.error) });
      log.info(
        { protection: 'owner-only-file', reason: made.error },
        'data key kept in an owner-only file: systemd-creds is not usable here',
      );
      return ok({ provider: plain.value, protection: 'owner-only-file' });
    }
    if (plainExists) destroyFile(keyFile);
    log.info(
      { protection: 'systemd-creds', adopted: plainExists },
      plainExists
        ? 'data key file adopted as a systemd credential, plain file destroyed'
        : 'data key created as a systemd credential',
    );
    return ok({ provider: providerOf(key), protection: 'systemd-creds' });
  } catch (cause) {
    return err({ kind: 'io', path: credentialKeyFile, reason: cause instanceof Error ? cause.message : String(cause) });
  }
}
