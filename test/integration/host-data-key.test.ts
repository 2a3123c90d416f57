/**
 * The browser host's data key with the real `systemd-creds` (systemd 252 on these machines): as root
 * the key exists only as a credential bound to the host secret; the credential file holds no copy
 * of the key; a damaged credential is refused, never replaced; without the tool the kiosk falls
 * back to the owner-only file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePaths } from '../../electron/services/store/database';
import { dataKeyCredentialName, openHostDataKey, systemdCreds } from '../../electron/services/store/host-key-provider';
import { recordingLog } from '../../foundation/log';

const binary = '/usr/bin/systemd-creds';
// The host secret (/var/lib/systemd/credential.secret) is root's only: as another user the tool
// cannot encrypt, and the kiosk uses the owner-only file (the fallback case below covers that).
const usable = existsSync(binary) && process.getuid?.() === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-creds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!usable)('data key as a systemd credential (skipped: needs systemd-creds and root)', () => {
  it('adopts a plain key into a credential that only systemd-creds on this machine opens', () => {
    const { keyFile, credentialKeyFile } = storePaths(dir);
    const key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
    const log = recordingLog();
    const opened = openHostDataKey(dir, { log, create: true });
    expect(opened.ok && opened.value.protection).toBe('systemd-creds');
    expect(opened.ok && opened.value.provider.getDataKey().equals(key)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
    const credential = readFileSync(credentialKeyFile);
    for (const spelling of [key, Buffer.from(key.toString('base64')), Buffer.from(key.toString('hex'))])
      expect(credential.includes(spelling)).toBe(false);
    // The system tool reads it back by its name, and refuses it under another.
    expect(
      execFileSync(binary, ['decrypt', `--name=${dataKeyCredentialName}`, credentialKeyFile, '-']).equals(key),
    ).toBe(true);
    expect(() =>
      execFileSync(binary, ['decrypt', '--name=other', credentialKeyFile, '-'], { stdio: 'pipe' }),
    ).toThrow();
    // The next start opens the same key.
    const again = openHostDataKey(dir, { log, create: false });
    expect(again.ok && again.value.provider.getDataKey().equals(key)).toBe(true);
  });

  it('refuses a damaged credential with the reason, and makes no new key', () => {
    const { keyFile, credentialKeyFile } = storePaths(dir);
    expect(openHostDataKey(dir, { log: recordingLog(), create: true }).ok).toBe(true);
    const credential = readFileSync(credentialKeyFile, 'utf8');
    const damaged = `${credential.slice(0, 60)}${credential[60] === 'A' ? 'B' : 'A'}${credential.slice(61)}`;
    writeFileSync(credentialKeyFile, damaged, { mode: 0o600 });
    const opened = openHostDataKey(dir, { log: recordingLog(), create: true });
    expect(!opened.ok && opened.error.kind).toBe('undecryptable');
    expect(readFileSync(credentialKeyFile, 'utf8')).toBe(damaged);
    expect(existsSync(keyFile)).toBe(false);
  });
});

describe('data key without systemd-creds', () => {
  it('falls back to the owner-only file and logs which protection is in use', () => {
    const log = recordingLog();
    const opened = openHostDataKey(dir, { log, create: true, tool: systemdCreds(join(dir, 'no-such-systemd-creds')) });
    expect(opened.ok && opened.value.protection).toBe('owner-only-file');
    expect(existsSync(storePaths(dir).keyFile)).toBe(true);
    expect(log.lines[0]?.fields.protection).toBe('owner-only-file');
    expect(String(log.lines[0]?.fields.reason)).toContain('ENOENT');
  });
});
