import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { staticKeyProvider } from '../../foundation/key-provider';
import { openPlatformDb, platformMigrations, PlatformStore } from './platform-db';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'platform-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function cipher(): FieldCipher {
  const made = createFieldCipher(staticKeyProvider());
  if (!made.ok) throw new Error('cipher');
  return made.value;
}

describe('platform database', () => {
  it('moves the personal data of a version-1 database into encrypted columns, leaving no clear copy', () => {
    const old = new Database(join(dir, 'platform.sqlite'));
    old.exec(String(platformMigrations[0]));
    old.pragma('user_version = 1');
    old.exec(`INSERT INTO terminals VALUES ('QS-LX-0001', 'k', 'FP', '2026-01-01T00:00:00.000Z', NULL, NULL);
      INSERT INTO applications VALUES ('a1', 'QS-LX-0001', 'YL2026010100001', 'L1', 'PENSION-CERT', 'submitted',
        '{"applicant":{"name":"欧阳娜娜"},"attachments":[]}', 'h', '欧***', '110105********0021', '2026-01-01T00:00:00.000Z');
      INSERT INTO attachments VALUES ('a1', 'abc', 'QS-LX-0001', 'image/jpeg', 11, x'FFD8FF6661636570686F746F', '2026-01-01T00:00:00.000Z');
      INSERT INTO status_events (application_id, status, at, note) VALUES ('a1', 'submitted', '2026-01-01T00:00:00.000Z', '欧阳娜娜 补材料');`);
    old.close();
    expect(() => openPlatformDb(dir, null)).toThrow(/start the platform once/);

    const key = cipher();
    const db = openPlatformDb(dir, key);
    const store = new PlatformStore(db, key);
    expect(JSON.parse(store.applicationBody('a1') ?? '{}')).toMatchObject({ applicant: { name: '欧阳娜娜' } });
    expect(store.attachmentBytes('a1', 'abc')?.bytes.toString('latin1')).toContain('facephoto');
    expect(store.history('a1')[0]?.note).toBe('欧阳娜娜 补材料');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const file = readFileSync(join(dir, 'platform.sqlite'));
    expect(file.includes(Buffer.from('欧阳娜娜'))).toBe(false);
    expect(file.includes(Buffer.from('facephoto'))).toBe(false);
  });
});
