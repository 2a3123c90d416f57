/** Small key/value facts the kiosk keeps between starts (last contact with the platform, and the like). */
import type { Db } from './database';

export const settingKeys = {
  lastSuccessfulContactAt: 'platform.last_successful_contact_at',
  lastHeartbeatAt: 'platform.last_heartbeat_at',
  lastCatalogueCheckAt: 'platform.last_catalogue_check_at',
  /** Why the platform refuses this terminal (clock, enrolment), as JSON; absent when it does not. */
  platformHold: 'platform.hold',
} as const;

export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteSetting(db: Db, key: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(key);
}
