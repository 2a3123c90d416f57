import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { latestVersion, migrate, migrations, schemaVersion, type Migration } from './migrations';

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('bring a fresh database to the latest version, and a second run is a no-op', () => {
    const db = openDatabase(':memory:');
    if (!db.ok) throw new Error('open');
    expect(schemaVersion(db.value)).toBe(latestVersion());
    expect(migrate(db.value)).toEqual({ ok: true, value: { from: latestVersion(), to: latestVersion() } });
  });

  it('all tables are STRICT', () => {
    const db = openDatabase(':memory:');
    if (!db.ok) throw new Error('open');
    const tables = db.value
      .prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`)
      .all() as Array<{ name: string; strict: number }>;
    expect(tables.length).toBeGreaterThan(8);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
  });

  it('refuses a database newer than the code and leaves it untouched', () => {
    const db = openDatabase(':memory:');
    if (!db.ok) throw new Error('open');
    db.value.pragma('user_version = 99');
    expect(migrate(db.value)).toEqual({
      ok: false,
      error: { kind: 'newer-than-code', found: 99, known: latestVersion() },
    });
    expect(schemaVersion(db.value)).toBe(99);
  });

  it('rolls back a failing migration whole, version included', () => {
    const db = openDatabase(':memory:', { migrations: migrations.slice(0, 1) });
    if (!db.ok) throw new Error('open');
    const broken: Migration[] = [
      ...migrations.slice(0, 1),
      { version: 2, name: 'broken', sql: 'CREATE TABLE half (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' },
    ];
    const result = migrate(db.value, broken);
    expect(result).toMatchObject({ ok: false, error: { kind: 'migration-failed', version: 2 } });
    expect(schemaVersion(db.value)).toBe(1);
    expect(db.value.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'`).get()).toEqual({ n: 0 });
  });
});
