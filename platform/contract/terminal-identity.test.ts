import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateTerminalKeys,
  keyFingerprint,
  parsePrivateKeyPem,
  parsePublicKey,
  privateKeyPem,
  publicKeyBase64Url,
  publicKeyPem,
  publicKeyRaw,
} from './terminal-identity';

describe('terminal identity keys', () => {
  it('round-trips the public key through PEM and raw base64url', () => {
    const keys = generateTerminalKeys();
    const raw = publicKeyBase64Url(keys.publicKey);
    expect(raw).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fromRaw = parsePublicKey(raw);
    const fromPem = parsePublicKey(publicKeyPem(keys.publicKey));
    expect(fromRaw.ok && fromRaw.value.equals(keys.publicKey)).toBe(true);
    expect(fromPem.ok && fromPem.value.equals(keys.publicKey)).toBe(true);
    const priv = parsePrivateKeyPem(privateKeyPem(keys.privateKey));
    expect(priv.ok && createPublicKey(priv.value).equals(keys.publicKey)).toBe(true);
  });

  it('extracts the RFC 8032 raw key from SPKI (RFC 9421 B.1.4 test key)', () => {
    const key = createPublicKey(
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n',
    );
    expect(publicKeyRaw(key).toString('hex')).toBe(
      Buffer.from('JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=', 'base64').toString('hex'),
    );
  });

  it('fingerprints as 16 groups of four upper-case hex digits, stable per key', () => {
    const keys = generateTerminalKeys();
    const fp = keyFingerprint(keys.publicKey);
    expect(fp).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(keyFingerprint(keys.publicKey)).toBe(fp);
    expect(keyFingerprint(generateTerminalKeys().publicKey)).not.toBe(fp);
  });

  it('refuses keys of other types and malformed text', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(parsePublicKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()).ok).toBe(false);
    expect(parsePrivateKeyPem(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).ok).toBe(false);
    expect(parsePublicKey('abc').ok).toBe(false);
    expect(parsePublicKey('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----').ok).toBe(false);
  });
});
