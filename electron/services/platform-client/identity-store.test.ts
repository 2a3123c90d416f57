import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import {
  loadOrCreateTerminalKeys,
  loadTerminalKeys,
  privateKeyPath,
  readEnrolment,
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

describe('terminal key storage', () => {
  it('makes the key once, owner-only, and loads the same key afterwards', () => {
    const dir = tempDir();
    const log = recordingLog();
    const first = loadOrCreateTerminalKeys(dir, log);
    expect(first.ok && first.value.created).toBe(true);
    expect(statSync(privateKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'identity')).mode & 0o777).toBe(0o700);
    const second = loadOrCreateTerminalKeys(dir, log);
    expect(second.ok && !second.value.created && first.ok && second.value.publicKey.equals(first.value.publicKey)).toBe(
      true,
    );
    expect(log.lines.map((l) => l.message)).toEqual(['terminal key pair created']);
  });

  it('refuses a key that group or others can read, saying how to fix it, and never replaces it', () => {
    const dir = tempDir();
    const made = loadOrCreateTerminalKeys(dir, recordingLog());
    chmodSync(privateKeyPath(dir), 0o640);
    const loaded = loadOrCreateTerminalKeys(dir, recordingLog());
    expect(!loaded.ok && loaded.error.kind).toBe('insecure-permissions');
    expect(!loaded.ok && loaded.error.message).toContain(`chmod 600 ${privateKeyPath(dir)}`);
    chmodSync(privateKeyPath(dir), 0o600);
    const again = loadTerminalKeys(dir);
    expect(again.ok && made.ok && again.value.fingerprint === made.value.fingerprint).toBe(true);
  });

  it('reports a missing or corrupt key as such', () => {
    const dir = tempDir();
    expect(loadTerminalKeys(dir)).toMatchObject({ ok: false, error: { kind: 'missing' } });
    loadOrCreateTerminalKeys(dir, recordingLog());
    writeFileSync(privateKeyPath(dir), 'not a key', { mode: 0o600 });
    expect(loadOrCreateTerminalKeys(dir, recordingLog())).toMatchObject({ ok: false, error: { kind: 'invalid-key' } });
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
