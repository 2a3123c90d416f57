/**
 * Tables a module owns on a database that another part of the application holds (the account model
 * on the platform's or a fleet console's database, the remote help call records on the platform's)
 * carry their own schema version, in a one-row table of their own: each module migrates its tables
 * wherever it is mounted, apart from the host's migrations. One runner for all of them.
 */
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Runs the migrations after the version recorded in `versionTable` (created on first use), in one
 * transaction; safe to call on every start.
 */
export function migrateModuleTables(
  db: BetterSqlite3.Database,
  versionTable: string,
  migrations: readonly string[],
): void {
  // A name in SQL text, so only a plain identifier (the callers' constants).
  if (!/^[a-z_]+$/.test(versionTable)) throw new Error(`not a table name: ${versionTable}`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${versionTable} (version INTEGER NOT NULL)`);
  db.transaction(() => {
    const row = db.prepare(`SELECT version FROM ${versionTable}`).get() as { version: number } | undefined;
    if (row === undefined) db.prepare(`INSERT INTO ${versionTable} (version) VALUES (0)`).run();
    for (let v = row?.version ?? 0; v < migrations.length; v++) {
      db.exec(migrations[v] ?? '');
      db.prepare(`UPDATE ${versionTable} SET version = ?`).run(v + 1);
    }
  })();
}
