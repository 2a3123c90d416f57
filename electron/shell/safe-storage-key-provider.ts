import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { Log } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import {
  createFileKeyProvider,
  dataKeyLength,
  describeKeyFileError,
  type KeyProvider,
} from '../../foundation/key-provider';
import { destroyFile } from '../../foundation/destroy-file';
import { storePaths, wrappedDataKeyFileName } from '../services/store/database';

/**
 * The Electron shell's KeyProvider: the 32-byte data key lives in the data folder only wrapped by
 * `safeStorage` (DPAPI on Windows, Keychain on macOS, the Secret Service/KWallet on Linux), so a
 * copied data folder cannot be decrypted on another machine or user account.
 *
 * A terminal provisioned from the command line before the shell's first start (`kiosk provision`,
 * `kiosk keys init`) already has a data key in an owner-only file, and rows written under it (the
 * audit chain's MACs, staff-card HMACs). The first start adopts that key — wraps it with safeStorage,
 * then destroys the plain file — so the store and the command line used one key, not two.
 */
export const wrappedKeyFileName = wrappedDataKeyFileName;

export type SafeStorageKeyError =
  | { kind: 'encryption-unavailable' }
  | { kind: 'basic-text-refused' }
  /** No wrapped key yet, but the browser host keeps this folder's key as a systemd credential. */
  | { kind: 'credential-elsewhere'; path: string }
  | { kind: 'insecure-permissions'; path: string; mode: string }
  | { kind: 'not-a-file'; path: string }
  | { kind: 'undecryptable'; path: string }
  | { kind: 'wrong-length'; path: string; length: number }
  | { kind: 'io'; path: string; reason: string };

export function describeSafeStorageKeyError(error: SafeStorageKeyError): string {
  switch (error.kind) {
    case 'encryption-unavailable':
      return 'the operating system offers no secure storage (safeStorage) to protect the data key; on Linux start a Secret Service keyring (e.g. gnome-keyring) for this user';
    case 'basic-text-refused':
      return "safeStorage has no keyring here (Electron's basic_text backend): the data key would be protected by file permissions only; start a Secret Service keyring (e.g. gnome-keyring) for this user, or accept that protection with --allow-basic-text-key (KIOSK_ALLOW_BASIC_TEXT_KEY=1)";
    case 'credential-elsewhere':
      return `the data key of this folder is a systemd credential (${error.path}, made by the browser host): a new key here would leave its data unreadable; use the browser host (kiosk start) for this folder, or another data folder`;
    case 'insecure-permissions':
      return `wrapped key file ${error.path} has mode ${error.mode}: group/other may read it; run chmod 600 on it (it was not used)`;
    case 'not-a-file':
      return `wrapped key file ${error.path} is not a regular file`;
    case 'undecryptable':
      return `wrapped key file ${error.path} cannot be unwrapped by this machine's keyring (data folder copied from another machine or user, or keyring reset); the stored applications cannot be read without it`;
    case 'wrong-length':
      return `wrapped key file ${error.path} holds a ${error.length}-byte key, expected ${dataKeyLength}; it is damaged`;
    case 'io':
      return `wrapped key file ${error.path}: ${error.reason}`;
  }
}

type KeyStorage = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/** Creates the wrapped key (exclusively, mode 0600) on first start, then unwraps it. Needs `app` ready. */
export function createSafeStorageKeyProvider(
  safeStorage: KeyStorage,
  dataDir: string,
  log: Log,
  options: { readonly allowBasicText: boolean },
): Result<KeyProvider, SafeStorageKeyError> {
  if (!safeStorage.isEncryptionAvailable()) return err({ kind: 'encryption-unavailable' });
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    // Electron's fallback "encrypts" with a fixed password: only the file mode protects the key then.
    if (!options.allowBasicText) return err({ kind: 'basic-text-refused' });
    log.warn(
      { backend: 'basic_text' },
      'safeStorage has no keyring: the data key is protected by file permissions only',
    );
  }
  const path = join(dataDir, wrappedKeyFileName);
  const { keyFile: plainPath, credentialKeyFile } = storePaths(dataDir);
  if (!existsSync(path) && existsSync(credentialKeyFile))
    return err({ kind: 'credential-elsewhere', path: credentialKeyFile });
  try {
    let plain: Buffer | null = null;
    if (existsSync(plainPath)) {
      const read = createFileKeyProvider(plainPath);
      if (!read.ok) return err({ kind: 'io', path: plainPath, reason: describeKeyFileError(read.error) });
      plain = read.value.getDataKey();
    }
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, safeStorage.encryptString((plain ?? randomBytes(dataKeyLength)).toString('base64')));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      log.info(
        { file: wrappedKeyFileName, adopted: plain !== null },
        plain === null
          ? 'data key created and wrapped with safeStorage'
          : 'data key file adopted and wrapped with safeStorage',
      );
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    }
    const info = statSync(path);
    if (!info.isFile()) return err({ kind: 'not-a-file', path });
    if ((info.mode & 0o077) !== 0)
      return err({ kind: 'insecure-permissions', path, mode: (info.mode & 0o777).toString(8).padStart(4, '0') });
    let encoded: string;
    try {
      encoded = safeStorage.decryptString(readFileSync(path));
    } catch {
      return err({ kind: 'undecryptable', path });
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== dataKeyLength) return err({ kind: 'wrong-length', path, length: key.length });
    // The plain copy is no longer needed once the wrapped one holds the same key (also after a
    // crash between the two steps); a different plain key is not this store's and is left alone.
    if (plain?.equals(key) === true) {
      destroyFile(plainPath);
      log.info({ file: 'data.key' }, 'plain data key file destroyed: the key is kept wrapped only');
    }
    return ok({ getDataKey: () => Buffer.from(key) });
  } catch (cause) {
    return err({ kind: 'io', path, reason: cause instanceof Error ? cause.message : String(cause) });
  }
}
