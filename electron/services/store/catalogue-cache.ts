/** The last good service catalogue from the platform, with its ETag: the terminal works from it offline. */
import type { Db } from './database';

export interface CachedCatalogue {
  readonly etag: string;
  readonly body: unknown;
  readonly fetchedAt: string;
}

export function readCachedCatalogue(db: Db): CachedCatalogue | undefined {
  const row = db.prepare('SELECT etag, body, fetched_at FROM catalogue_cache WHERE id = 1').get() as
    { etag: string; body: string; fetched_at: string } | undefined;
  return row ? { etag: row.etag, body: JSON.parse(row.body) as unknown, fetchedAt: row.fetched_at } : undefined;
}

export function writeCachedCatalogue(db: Db, etag: string, body: unknown, fetchedAt: string): void {
  db.prepare(
    `INSERT INTO catalogue_cache (id, etag, body, fetched_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at`,
  ).run(etag, JSON.stringify(body), fetchedAt);
}
