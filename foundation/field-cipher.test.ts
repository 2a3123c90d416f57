import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFieldCipher, type FieldCipher } from './field-cipher';
import { staticKeyProvider } from './key-provider';

function cipherWith(key: Buffer): FieldCipher {
  const made = createFieldCipher(staticKeyProvider(key));
  if (!made.ok) throw new Error('cipher');
  return made.value;
}

const cipher = cipherWith(Buffer.alloc(32, 1));
const ctx = { table: 'applications', column: 'parties_enc', rowId: 'a1' };

describe('field cipher', () => {
  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string(), (bytes, rowId) => {
        const blob = cipher.encrypt(bytes, { ...ctx, rowId });
        const back = cipher.decrypt(blob, { ...ctx, rowId });
        expect(back.ok && Buffer.compare(back.value, Buffer.from(bytes))).toBe(0);
      }),
    );
  });

  it('uses a fresh nonce per value: the same plaintext encrypts differently', () => {
    const a = cipher.encrypt(Buffer.from('张三丰'), ctx);
    const b = cipher.encrypt(Buffer.from('张三丰'), ctx);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(9, 21).equals(b.subarray(9, 21))).toBe(false);
  });

  it('reports a flipped bit anywhere after the header as an authentication failure', () => {
    const blob = cipher.encrypt(Buffer.from('110105194912310021'), ctx);
    for (const index of [9, 21, 30, blob.length - 1]) {
      const tampered = Buffer.from(blob);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(cipher.decrypt(tampered, ctx)).toEqual({ ok: false, error: { kind: 'auth-failed' } });
    }
  });

  it('refuses a ciphertext moved to another row, column or table', () => {
    const blob = cipher.encrypt(Buffer.from('张三丰'), ctx);
    expect(cipher.decrypt(blob, { ...ctx, rowId: 'a2' })).toEqual({ ok: false, error: { kind: 'auth-failed' } });
    expect(cipher.decrypt(blob, { ...ctx, column: 'other' })).toEqual({ ok: false, error: { kind: 'auth-failed' } });
    expect(cipher.decrypt(blob, { ...ctx, table: 'receipts' })).toEqual({ ok: false, error: { kind: 'auth-failed' } });
  });

  it('names a value written under another key instead of failing vaguely', () => {
    const other = cipherWith(Buffer.alloc(32, 2));
    const result = cipher.decrypt(other.encrypt(Buffer.from('x'), ctx), ctx);
    expect(result).toEqual({ ok: false, error: { kind: 'unknown-key', keyId: other.keyId } });
  });

  it('reports truncated or foreign blobs as malformed', () => {
    expect(cipher.decrypt(Buffer.from('short'), ctx)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    const blob = cipher.encrypt(Buffer.from('x'), ctx);
    blob[0] = 0x7f;
    expect(cipher.decrypt(blob, ctx)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
  });

  it('refuses a key of the wrong length', () => {
    expect(createFieldCipher(staticKeyProvider(Buffer.alloc(16)))).toMatchObject({
      ok: false,
      error: { kind: 'bad-key' },
    });
  });
});
