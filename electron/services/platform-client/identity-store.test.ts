import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomTestCipher } from '../../../foundation/field-cipher';
import { recordingLog } from '../../../foundation/log';
import { generateTerminalKeys, keyFingerprint, privateKeyPem } from '../../../platform/contract/terminal-identity';
import {
  loadOrCreateTerminalKeys,
  loadPublicKey,
  loadTerminalKeys,
  plainKeyPath,
  publicKeyPath,
  readEnrolment,
  sealedKeyPath,
  writeEnrolment,
} from './identity-store';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vk-identity-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A terminal from before sealing: the private key as a plain owner-only PEM. */
function plainTerminal(dir: string) {
  const keys = generateTerminalKeys();
  mkdirSync(join(dir, 'identity'), { mode: 0o700 });
  writeFileSync(plainKeyPath(dir), privateKeyPem(keys.privateKey), { mode: 0o600 });
  return { ...keys, pem: privateKeyPem(keys.privateKey), fingerprint: keyFingerprint(keys.publicKey) };
}

describe('terminal key storage', () => {
  it('makes the key once, sealed and owner-only, and loads the same key afterwards', () => {
    const dir = tempDir();
    const cipher = randomTestCipher();
    const log = recordingLog();
    const first = loadOrCreateTerminalKeys(dir, cipher, log);
    expect(first.ok && first.value.created).toBe(true);
    expect(statSync(sealedKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'identity')).mode & 0o777).toBe(0o700);
    expect(existsSync(plainKeyPath(dir))).toBe(false);
    expect(readFileSync(sealedKeyPath(dir)).toString('latin1')).not.toContain('PRIVATE KEY');
    const second = loadOrCreateTerminalKeys(dir, cipher, log);
    expect(second.ok && !second.value.created && first.ok && second.value.publicKey.equals(first.value.publicKey)).toBe(
      true,
    );
    expect(log.lines.map((l) => l.message)).toEqual(['terminal key pair created']);
    // The public half needs no data key.
    expect(first.ok && loadPublicKey(dir).ok && loadPublicKey(dir)).toMatchObject({
      ok: true,
      value: { fingerprint: first.ok ? first.value.fingerprint : '' },
    });
  });

  it('refuses a sealed key under another data key or altered, and never makes a new key over it', () => {
    const dir = tempDir();
    const made = loadOrCreateTerminalKeys(dir, randomTestCipher(), recordingLog());
    const sealed = readFileSync(sealedKeyPath(dir));
    const other = loadOrCreateTerminalKeys(dir, randomTestCipher(), recordingLog());
    expect(!other.ok && other.error.kind).toBe('wrong-data-key');
    expect(readFileSync(sealedKeyPath(dir)).equals(sealed)).toBe(true);

    const cipher = randomTestCipher();
    const dir2 = tempDir();
    loadOrCreateTerminalKeys(dir2, cipher, recordingLog());
    const blob = readFileSync(sealedKeyPath(dir2));
    blob[blob.length - 3] = (blob[blob.length - 3] ?? 0) ^ 0x40;
    writeFileSync(sealedKeyPath(dir2), blob, { mode: 0o600 });
    const tampered = loadOrCreateTerminalKeys(dir2, cipher, recordingLog());
    expect(!tampered.ok && tampered.error.kind).toBe('tampered');
    expect(made.ok).toBe(true);
  });

  it('refuses a key file that group or others can read, saying how to fix it, and never replaces it', () => {
    const dir = tempDir();
    const cipher = randomTestCipher();
    const made = loadOrCreateTerminalKeys(dir, cipher, recordingLog());
    chmodSync(sealedKeyPath(dir), 0o640);
    const loaded = loadOrCreateTerminalKeys(dir, cipher, recordingLog());
    expect(!loaded.ok && loaded.error.kind).toBe('insecure-permissions');
    expect(!loaded.ok && loaded.error.message).toContain(`chmod 600 ${sealedKeyPath(dir)}`);
    chmodSync(sealedKeyPath(dir), 0o600);
    const again = loadTerminalKeys(dir, cipher, recordingLog());
    expect(again.ok && made.ok && again.value.fingerprint === made.value.fingerprint).toBe(true);
  });

  it('reports a missing or corrupt key as such', () => {
    const dir = tempDir();
    const cipher = randomTestCipher();
    expect(loadTerminalKeys(dir, cipher, recordingLog())).toMatchObject({ ok: false, error: { kind: 'missing' } });
    loadOrCreateTerminalKeys(dir, cipher, recordingLog());
    writeFileSync(sealedKeyPath(dir), 'not a key', { mode: 0o600 });
    expect(loadOrCreateTerminalKeys(dir, cipher, recordingLog())).toMatchObject({
      ok: false,
      error: { kind: 'invalid-key' },
    });
  });

  it('adopts a plain key from before sealing once: sealed, the plain file destroyed, logged without key material', () => {
    const dir = tempDir();
    const cipher = randomTestCipher();
    const plain = plainTerminal(dir);
    writeFileSync(publicKeyPath(dir), plain.publicKey.export({ type: 'spki', format: 'pem' }));
    const log = recordingLog();
    const loaded = loadOrCreateTerminalKeys(dir, cipher, log);
    expect(loaded.ok && !loaded.value.created && loaded.value.fingerprint).toBe(plain.fingerprint);
    expect(existsSync(plainKeyPath(dir))).toBe(false);
    expect(log.lines.map((l) => l.message)).toEqual([
      'plain terminal key adopted: sealed under the data key, plain file destroyed',
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('PRIVATE');
    const again = loadTerminalKeys(dir, cipher, recordingLog());
    expect(again.ok && again.value.fingerprint).toBe(plain.fingerprint);
  });

  it('finishes an adoption cut short (sealed copy written, plain one not yet destroyed), and leaves a foreign plain key alone', () => {
    const dir = tempDir();
    const cipher = randomTestCipher();
    const plain = plainTerminal(dir);
    loadTerminalKeys(dir, cipher, recordingLog());
    writeFileSync(plainKeyPath(dir), plain.pem, { mode: 0o600 });
    const finished = loadTerminalKeys(dir, cipher, recordingLog());
    expect(finished.ok && finished.value.fingerprint).toBe(plain.fingerprint);
    expect(existsSync(plainKeyPath(dir))).toBe(false);

    const foreign = generateTerminalKeys();
    writeFileSync(plainKeyPath(dir), privateKeyPem(foreign.privateKey), { mode: 0o600 });
    const log = recordingLog();
    const kept = loadTerminalKeys(dir, cipher, log);
    expect(kept.ok && kept.value.fingerprint).toBe(plain.fingerprint);
    expect(existsSync(plainKeyPath(dir))).toBe(true);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('keeps the enrolment record', () => {
    const dir = tempDir();
    expect(readEnrolment(dir)).toBeNull();
    const record = {
      terminalId: 'QS-LX-0001',
      platformUrl: 'http://127.0.0.1:8790',
      fingerprint: 'AB12',
      enrolledAt: '2026-11-24T08:00:00.000Z',
    };
    writeEnrolment(dir, record);
    expect(readEnrolment(dir)).toEqual(record);
  });
});
