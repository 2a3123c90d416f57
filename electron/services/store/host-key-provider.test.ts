import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { err, ok } from '../../../foundation/result';
import { storePaths } from './database';
import { openHostDataKey, type CredentialTool } from './host-key-provider';

/** Stands in for systemd-creds: "encrypts" by reversing under a header that names the credential. */
function fakeTool(): CredentialTool & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    encrypt: (name, secret) => {
      calls.push('encrypt');
      return ok(Buffer.concat([Buffer.from(`CRED:${name}:`), Buffer.from(secret).reverse()]));
    },
    decrypt: (name, credential) => {
      calls.push('decrypt');
      const head = Buffer.from(`CRED:${name}:`);
      if (!credential.subarray(0, head.length).equals(head)) return err('no such credential');
      return ok(Buffer.from(credential.subarray(head.length)).reverse());
    },
  };
}
const unusableTool: CredentialTool = {
  encrypt: () => err('Failed to determine local credential host secret: Permission denied'),
  decrypt: () => err('Failed to determine local credential host secret: Permission denied'),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-host-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the browser host data key', () => {
  it('is made as a credential only (no plain key file), owner-only, and opens to the same key again', () => {
    const tool = fakeTool();
    const log = recordingLog();
    const made = openHostDataKey(dir, { log, create: true, tool });
    expect(made.ok && made.value.protection).toBe('systemd-creds');
    const { keyFile, credentialKeyFile } = storePaths(dir);
    expect(existsSync(keyFile)).toBe(false);
    expect(statSync(credentialKeyFile).mode & 0o777).toBe(0o600);
    const again = openHostDataKey(dir, { log, create: false, tool });
    expect(again.ok && made.ok && again.value.provider.getDataKey().equals(made.value.provider.getDataKey())).toBe(
      true,
    );
    expect(log.lines.map((l) => l.message)).toEqual(['data key created as a systemd credential']);
  });

  it('adopts a plain key file once: the same key, read back, then the plain file destroyed', () => {
    const { keyFile, credentialKeyFile } = storePaths(dir);
    const key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
    const log = recordingLog();
    const adopted = openHostDataKey(dir, { log, create: true, tool: fakeTool() });
    expect(adopted.ok && adopted.value.provider.getDataKey().equals(key)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
    expect(existsSync(credentialKeyFile)).toBe(true);
    expect(log.lines.map((l) => [l.message, l.fields])).toEqual([
      [
        'data key file adopted as a systemd credential, plain file destroyed',
        { protection: 'systemd-creds', adopted: true },
      ],
    ]);
    // Cut short before the destroy: the plain copy of the same key goes at the next start.
    writeFileSync(keyFile, key, { mode: 0o600 });
    expect(openHostDataKey(dir, { log, create: true, tool: fakeTool() }).ok).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('falls back to the owner-only file where systemd-creds is not usable, and says so', () => {
    const log = recordingLog();
    const made = openHostDataKey(dir, { log, create: true, tool: unusableTool });
    expect(made.ok && made.value.protection).toBe('owner-only-file');
    expect(statSync(storePaths(dir).keyFile).mode & 0o777).toBe(0o600);
    expect(log.lines[0]?.fields.protection).toBe('owner-only-file');
    expect(String(log.lines[0]?.fields.reason)).toContain('Permission denied');
    const again = openHostDataKey(dir, { log, create: true, tool: unusableTool });
    expect(again.ok && made.ok && again.value.provider.getDataKey().equals(made.value.provider.getDataKey())).toBe(
      true,
    );
  });

  it.runIf(process.getuid?.() === 0)(
    "leaves another user's key file as it is (root running a command on the kiosk's folder)",
    () => {
      const { keyFile, credentialKeyFile } = storePaths(dir);
      const key = randomBytes(32);
      writeFileSync(keyFile, key, { mode: 0o600 });
      chownSync(dir, 65534, 65534);
      const opened = openHostDataKey(dir, { log: recordingLog(), create: true, tool: fakeTool() });
      expect(opened.ok && opened.value.protection).toBe('owner-only-file');
      expect(opened.ok && opened.value.provider.getDataKey().equals(key)).toBe(true);
      expect(existsSync(keyFile)).toBe(true);
      expect(existsSync(credentialKeyFile)).toBe(false);
    },
  );

  it('keeps the key file when a new credential does not read back, and leaves no credential to block the next start', () => {
    const { keyFile, credentialKeyFile } = storePaths(dir);
    const key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
    const fake = fakeTool();
    const writeOnly: CredentialTool = {
      encrypt: (name, secret) => fake.encrypt(name, secret),
      decrypt: () => err('decrypt failed'),
    };
    const log = recordingLog();
    const opened = openHostDataKey(dir, { log, create: true, tool: writeOnly });
    expect(opened.ok && opened.value.protection).toBe('owner-only-file');
    expect(opened.ok && opened.value.provider.getDataKey().equals(key)).toBe(true);
    expect(existsSync(credentialKeyFile)).toBe(false);
    expect(readFileSync(keyFile).equals(key)).toBe(true);
    expect(String(log.lines[0]?.fields.reason)).toContain('did not read back');
  });

  it('refuses a credential that does not decrypt, and makes no new key over it', () => {
    const { keyFile, credentialKeyFile } = storePaths(dir);
    openHostDataKey(dir, { log: recordingLog(), create: true, tool: fakeTool() });
    const credential = readFileSync(credentialKeyFile);
    for (const tool of [unusableTool, null]) {
      const opened = openHostDataKey(dir, { log: recordingLog(), create: true, tool });
      expect(!opened.ok && opened.error.kind).toBe('undecryptable');
    }
    expect(readFileSync(credentialKeyFile).equals(credential)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('without create: an existing key only, never a new one', () => {
    expect(openHostDataKey(dir, { log: recordingLog(), create: false, tool: fakeTool() })).toMatchObject({
      ok: false,
      error: { kind: 'no-key' },
    });
    expect(existsSync(storePaths(dir).keyFile) || existsSync(storePaths(dir).credentialKeyFile)).toBe(false);
  });
});
