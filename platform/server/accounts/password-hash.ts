/**
 * Staff passwords as scrypt hashes (node:crypto): `scrypt$N$r$p$salt$hash`, base64url. The cost
 * parameters travel with the hash, so raising them later leaves existing hashes verifiable.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const cost = { N: 1 << 15, r: 8, p: 1 } as const;
const keyLength = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((done, fail) =>
    // maxmem above 128·N·r so N = 2^15 fits.
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error === null ? done(key) : fail(error),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows: unknown names cost the same time as known ones. */
export const decoyHash = `scrypt$${cost.N}$${cost.r}$${cost.p}$${randomBytes(16).toString('base64url')}$${randomBytes(keyLength).toString('base64url')}`;

export const minPasswordLength = 12;

/** Null when acceptable; otherwise what is wrong, for the person choosing it. */
export function passwordProblem(password: string, accountName: string): string | null {
  if (password.length < minPasswordLength) return `至少 ${minPasswordLength} 个字符`;
  if (password.length > 200) return '不能超过 200 个字符';
  if (password.toLowerCase().includes(accountName.toLowerCase())) return '不能包含账号名';
  if (new Set(password).size < 5) return '字符种类太少';
  return null;
}
