import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { fakeSafeStorage } from './fake-electron';
import {
  createSafeStorageKeyProvider,
  describeSafeStorageKeyError,
  wrappedKeyFileName,
  type SafeStorageKeyError,
} from './safe-storage-key-provider';

/** The default: a keyring backend is required. */
const keyringOnly = { allowBasicText: false };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-safe-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function failureOf(result: ReturnType<typeof createSafeStorageKeyProvider>): SafeStorageKeyError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('createSafeStorageKeyProvider', () => {
  it('creates a random 32-byte key, stored wrapped in an owner-only file', () => {
    const storage = fakeSafeStorage();
    const made = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!made.ok) throw new Error(describeSafeStorageKeyError(made.error));
    const key = made.value.getDataKey();
    expect(key).toHaveLength(32);
    const path = join(dir, wrappedKeyFileName);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const stored = readFileSync(path);
    expect(stored.includes(key)).toBe(false);
    expect(stored.toString('latin1')).not.toContain(key.toString('base64'));
    expect(storage.encryptString).toHaveBeenCalledTimes(1);
  });

  it('adopts the data key `kiosk provision` made before the first start, then keeps it wrapped only', () => {
    // Provisioned from the command line: the audit rows it wrote are MACed under this key.
    const provisioned = randomBytes(32);
    writeFileSync(join(dir, 'data.key'), provisioned, { mode: 0o600 });
    const storage = fakeSafeStorage();
    const first = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!first.ok) throw new Error(describeSafeStorageKeyError(first.error));
    expect(first.value.getDataKey().equals(provisioned)).toBe(true);
    expect(existsSync(join(dir, 'data.key'))).toBe(false);
    const second = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!second.ok) throw new Error('expected the key');
    expect(second.value.getDataKey().equals(provisioned)).toBe(true);
  });

  it("leaves a plain key file that is not the wrapped one alone (not this store's key)", () => {
    const storage = fakeSafeStorage();
    const made = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!made.ok) throw new Error('expected a key');
    const other = randomBytes(32);
    writeFileSync(join(dir, 'data.key'), other, { mode: 0o600 });
    const again = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!again.ok) throw new Error('expected the key');
    expect(again.value.getDataKey().equals(made.value.getDataKey())).toBe(true);
    expect(readFileSync(join(dir, 'data.key')).equals(other)).toBe(true);
  });

  it('refuses to make a key over a systemd credential the browser host made for this folder', () => {
    writeFileSync(join(dir, 'data.key.cred'), 'credential', { mode: 0o600 });
    expect(failureOf(createSafeStorageKeyProvider(fakeSafeStorage(), dir, recordingLog(), keyringOnly))).toEqual({
      kind: 'credential-elsewhere',
      path: join(dir, 'data.key.cred'),
    });
    expect(existsSync(join(dir, wrappedKeyFileName))).toBe(false);
  });

  it('unwraps the same key on the next start, and hands out copies', () => {
    const storage = fakeSafeStorage();
    const first = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    const second = createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly);
    if (!first.ok || !second.ok) throw new Error('expected keys');
    expect(second.value.getDataKey().equals(first.value.getDataKey())).toBe(true);
    expect(storage.encryptString).toHaveBeenCalledTimes(1);
    second.value.getDataKey().fill(0);
    expect(second.value.getDataKey().equals(first.value.getDataKey())).toBe(true);
  });

  it('gives two data folders two different keys', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    const a = createSafeStorageKeyProvider(fakeSafeStorage(), dir, recordingLog(), keyringOnly);
    const b = createSafeStorageKeyProvider(fakeSafeStorage(), other, recordingLog(), keyringOnly);
    if (!a.ok || !b.ok) throw new Error('expected keys');
    expect(a.value.getDataKey().equals(b.value.getDataKey())).toBe(false);
  });

  it('refuses with a clear failure when the OS offers no safe storage, writing nothing', () => {
    const error = failureOf(
      createSafeStorageKeyProvider(fakeSafeStorage({ available: false }), dir, recordingLog(), keyringOnly),
    );
    expect(error).toEqual({ kind: 'encryption-unavailable' });
    expect(describeSafeStorageKeyError(error)).toMatch(/secure storage/);
    expect(() => statSync(join(dir, wrappedKeyFileName))).toThrow();
  });

  it('refuses a wrapped key file that group or others can read', () => {
    createSafeStorageKeyProvider(fakeSafeStorage(), dir, recordingLog(), keyringOnly);
    chmodSync(join(dir, wrappedKeyFileName), 0o640);
    expect(failureOf(createSafeStorageKeyProvider(fakeSafeStorage(), dir, recordingLog(), keyringOnly))).toEqual({
      kind: 'insecure-permissions',
      path: join(dir, wrappedKeyFileName),
      mode: '0640',
    });
  });

  it('reports a key this keyring cannot unwrap (data folder from another machine)', () => {
    writeFileSync(join(dir, wrappedKeyFileName), 'ciphertext from elsewhere', { mode: 0o600 });
    const error = failureOf(createSafeStorageKeyProvider(fakeSafeStorage(), dir, recordingLog(), keyringOnly));
    expect(error.kind).toBe('undecryptable');
    expect(describeSafeStorageKeyError(error)).toMatch(/another machine/);
  });

  it('reports a damaged key of the wrong length', () => {
    const storage = fakeSafeStorage();
    writeFileSync(join(dir, wrappedKeyFileName), storage.encryptString(Buffer.alloc(5).toString('base64')), {
      mode: 0o600,
    });
    expect(failureOf(createSafeStorageKeyProvider(storage, dir, recordingLog(), keyringOnly))).toMatchObject({
      kind: 'wrong-length',
      length: 5,
    });
  });

  it('reports a missing data folder as an io failure', () => {
    expect(
      failureOf(createSafeStorageKeyProvider(fakeSafeStorage(), join(dir, 'missing'), recordingLog(), keyringOnly))
        .kind,
    ).toBe('io');
  });

  it.runIf(process.platform === 'linux')(
    'refuses the basic_text backend unless allowed, and warns when allowed',
    () => {
      const refused = createSafeStorageKeyProvider(fakeSafeStorage({ backend: 'basic_text' }), dir, recordingLog(), {
        allowBasicText: false,
      });
      expect(refused).toEqual({ ok: false, error: { kind: 'basic-text-refused' } });
      expect(existsSync(join(dir, wrappedKeyFileName))).toBe(false);
      const log = recordingLog();
      expect(
        createSafeStorageKeyProvider(fakeSafeStorage({ backend: 'basic_text' }), dir, log, {
          allowBasicText: true,
        }).ok,
      ).toBe(true);
      expect(log.lines.filter((line) => line.level === 'warn').map((line) => line.fields)).toContainEqual(
        expect.objectContaining({ backend: 'basic_text' }),
      );
    },
  );
});
