/**
 * Where the 32-byte data key for field encryption comes from. Two implementations:
 * - `createFileKeyProvider` (below): the browser host and tests — a key file in the data directory,
 *   created owner-only (0600); a file readable by group or others is refused, not used.
 * - the Electron shell (electron/shell/, another module): a key wrapped with `safeStorage`, so the OS
 *   keyring protects it. It implements this same interface; services never know which one they got.
 * `getDataKey` may throw only for programming errors; expected failures surface when the provider is made.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from './result';

export interface KeyProvider {
  getDataKey(): Buffer;
}

export const dataKeyLength = 32;

export type KeyFileError =
  | { kind: 'insecure-permissions'; path: string; mode: string }
  | { kind: 'wrong-length'; path: string; length: number }
  | { kind: 'not-a-file'; path: string }
  | { kind: 'io'; path: string; reason: string };

export function describeKeyFileError(error: KeyFileError): string {
  switch (error.kind) {
    case 'insecure-permissions':
      return `key file ${error.path} has mode ${error.mode}: group/other may read it; run chmod 600 on it (it was not used)`;
    case 'wrong-length':
      return `key file ${error.path} holds ${error.length} bytes, expected ${dataKeyLength}; it is damaged or not a kiosk key`;
    case 'not-a-file':
      return `key file ${error.path} is not a regular file`;
    case 'io':
      return `key file ${error.path}: ${error.reason}`;
  }
}

/** Reads the key file, creating it (exclusively, mode 0600) with fresh random bytes when absent. */
export function createFileKeyProvider(path: string): Result<KeyProvider, KeyFileError> {
  try {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(dataKeyLength));
      } finally {
        closeSync(fd);
      }
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    }
    const stat = statSync(path);
    if (!stat.isFile()) return err({ kind: 'not-a-file', path });
    if ((stat.mode & 0o077) !== 0)
      return err({ kind: 'insecure-permissions', path, mode: (stat.mode & 0o777).toString(8).padStart(4, '0') });
    const key = readFileSync(path);
    if (key.length !== dataKeyLength) return err({ kind: 'wrong-length', path, length: key.length });
    return ok({ getDataKey: () => Buffer.from(key) });
  } catch (cause) {
    return err({ kind: 'io', path, reason: cause instanceof Error ? cause.message : String(cause) });
  }
}

/** A fixed key for tests. */
export function staticKeyProvider(key: Buffer = randomBytes(dataKeyLength)): KeyProvider {
  return { getDataKey: () => Buffer.from(key) };
}
