import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateModuleTables } from './module-schema';

describe('a module’s own schema version', () => {
  it('runs each migration once, in order, and only the new ones later', () => {
    const db = new Database(':memory:');
    migrateModuleTables(db, 'thing_schema', ['CREATE TABLE things (id INTEGER)']);
    migrateModuleTables(db, 'thing_schema', ['CREATE TABLE things (id INTEGER)']);
    migrateModuleTables(db, 'thing_schema', ['CREATE TABLE things (id INTEGER)', 'ALTER TABLE things ADD name TEXT']);
    expect(db.prepare('SELECT version FROM thing_schema').all()).toEqual([{ version: 2 }]);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').all('things')).toEqual([
      { name: 'id' },
      { name: 'name' },
    ]);
    // Another module's version on the same database is its own.
    migrateModuleTables(db, 'other_schema', ['CREATE TABLE others (id INTEGER)']);
    expect(db.prepare('SELECT version FROM other_schema').get()).toEqual({ version: 1 });
  });

  it('leaves nothing half done when a migration fails', () => {
    const db = new Database(':memory:');
    expect(() => migrateModuleTables(db, 'thing_schema', ['CREATE TABLE things (id INTEGER)', 'NOT SQL'])).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM thing_schema').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'things'").get()).toBeUndefined();
  });

  it('takes only a plain table name for its version', () => {
    expect(() => migrateModuleTables(new Database(':memory:'), 'x; DROP TABLE y', [])).toThrow(/not a table name/);
  });
});
