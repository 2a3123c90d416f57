import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealSecret, unsealSecret } from './sealed-secret';

describe('sealed secrets', () => {
  const key = randomBytes(32);
  const secret = Buffer.from('the terminal key');

  it('opens with the key and the name it was sealed under, and never shows the secret in the blob', () => {
    const blob = sealSecret(key, secret, 'identity/terminal-key.sealed');
    expect(blob.includes(secret)).toBe(false);
    expect(unsealSecret(key, blob, 'identity/terminal-key.sealed')).toEqual({ ok: true, value: secret });
    // A fresh nonce each time: two seals of one secret differ.
    expect(sealSecret(key, secret, 'identity/terminal-key.sealed').equals(blob)).toBe(false);
  });

  it('refuses another key, another name, a flipped bit and garbage, each as what it is', () => {
    const blob = sealSecret(key, secret, 'a');
    expect(unsealSecret(randomBytes(32), blob, 'a')).toEqual({ ok: false, error: { kind: 'wrong-key' } });
    expect(unsealSecret(key, blob, 'b')).toEqual({ ok: false, error: { kind: 'tampered' } });
    for (const at of [blob.length - 1, blob.length - secret.length - 1]) {
      const flipped = Buffer.from(blob);
      flipped[at] = (flipped[at] ?? 0) ^ 1;
      expect(unsealSecret(key, flipped, 'a')).toEqual({ ok: false, error: { kind: 'tampered' } });
    }
    expect(unsealSecret(key, Buffer.from('-----BEGIN PRIVATE KEY-----'), 'a')).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
    expect(unsealSecret(key, blob.subarray(0, 10), 'a')).toMatchObject({ ok: false, error: { kind: 'malformed' } });
  });
});
