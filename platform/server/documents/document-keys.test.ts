import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomTestCipher } from '../../../foundation/field-cipher';
import { loadOrCreateDocumentKeys } from './document-issuer';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-doc-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the platform's document-signing key", () => {
  it('is kept sealed under the data key, owner-only, and the same key comes back', () => {
    const cipher = randomTestCipher();
    const first = loadOrCreateDocumentKeys(dir, cipher);
    const sealed = join(dir, 'document-signing.sealed');
    expect(statSync(sealed).mode & 0o777).toBe(0o600);
    expect(readFileSync(sealed).toString('latin1')).not.toContain('PRIVATE KEY');
    expect(loadOrCreateDocumentKeys(dir, cipher).publicKeyText).toBe(first.publicKeyText);
    // Without the data key it cannot sign, and no new key is made over the sealed one.
    expect(() => loadOrCreateDocumentKeys(dir, randomTestCipher())).toThrow(/sealed under another data key/);
    expect(loadOrCreateDocumentKeys(dir, cipher).publicKeyText).toBe(first.publicKeyText);
  });

  it('adopts a plain key from before sealing once, destroying the plain file', () => {
    const old = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'document-signing.pem'), old.privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    const keys = loadOrCreateDocumentKeys(dir, randomTestCipher());
    expect(keys.publicKey.equals(old.publicKey)).toBe(true);
    expect(existsSync(join(dir, 'document-signing.pem'))).toBe(false);
  });
});
