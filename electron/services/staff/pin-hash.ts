import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * PINs kept as scrypt hashes with a salt of their own, in one self-describing string
 * (`scrypt$N$r$p$salt$hash`, base64url), so the cost can rise later without breaking old hashes.
 * Comparison is constant-time. A short PIN is guessable offline from its hash whatever the cost;
 * the lock-out (pin-lockout.ts) and the owner-only data folder are what protect it on site.
 */
const defaults = { N: 16384, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } as const;

export const pinPattern = /^\d{4,8}$/;

function scryptAsync(
  pin: string,
  salt: Buffer,
  keylen: number,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keylen, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

export async function hashPin(pin: string, cost: { N: number; r: number; p: number } = defaults): Promise<string> {
  const salt = randomBytes(defaults.saltBytes);
  const key = await scryptAsync(pin, salt, defaults.hashBytes, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong PIN and for a stored value that is not a hash we understand. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || saltText === undefined || hashText === undefined) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(hashText, 'base64url');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(pin, Buffer.from(saltText, 'base64url'), expected.length, params);
  return timingSafeEqual(actual, expected);
}
