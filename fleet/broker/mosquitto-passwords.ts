/**
 * Mosquitto's password file, written the way `mosquitto_passwd` writes it (`user:$7$iter$salt$hash`,
 * PBKDF2-SHA512, 12-byte salt, 64-byte hash), so the platform can issue per-terminal credentials at
 * enrolment without shelling out. Secrets issued here are 32 random bytes, so the broker's default
 * iteration count costs nothing in safety and keeps 10,000 reconnects cheap.
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export const mosquittoIterations = 101;

export function hashMosquittoPassword(
  password: string,
  salt = randomBytes(12),
  iterations = mosquittoIterations,
): string {
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkMosquittoPassword(password: string, encoded: string): boolean {
  const [, type, iterations, salt, hash] = encoded.split('$');
  if (type !== '7' || iterations === undefined || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iterations), expected.length, 'sha512');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fresh broker secret: 32 random bytes, base64url. */
export function newBrokerSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Usernames become part of topics through ACL patterns: only letters, digits, dashes and dots. */
const usernamePattern = /^[A-Za-z0-9.-]{1,64}$/;

export function readPasswordFile(path: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (!existsSync(path)) return entries;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) entries.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return entries;
}

/**
 * Adds or replaces users (username → clear secret) in one atomic rewrite: the broker never reads a
 * half-written file. The broker rereads it on SIGHUP (see mosquitto-process.ts).
 */
export function upsertPasswords(path: string, users: ReadonlyMap<string, string>): void {
  const entries = readPasswordFile(path);
  for (const [username, secret] of users) {
    if (!usernamePattern.test(username)) throw new Error(`invalid broker username: ${username}`);
    entries.set(username, hashMosquittoPassword(secret));
  }
  const text = [...entries].map(([user, hash]) => `${user}:${hash}\n`).join('');
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o640);
  renameSync(tmp, path);
}
