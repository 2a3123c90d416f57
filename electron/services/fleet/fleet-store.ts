/**
 * The fleet link's own durable state, in its own SQLite file (`<data>/fleet.sqlite`, owned by this
 * module alone): events waiting for the broker (kept across restarts and outages, sent once and in
 * order), the alerts open now, the ids of commands already accepted (so none runs twice), and the
 * version the county assigned. Nothing here is personal data.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../../foundation/clock';
import { type Result } from '../../../foundation/result';
import type { AlertCode, FleetEvent, OpenAlert, Severity } from '../../../fleet/contract/fleet-payloads';
import { openDatabase, type Db, type StoreOpenError } from '../store/database';
import type { Migration } from '../store/migrations';

export const fleetDatabaseFile = 'fleet.sqlite';

const fleetMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'fleet events, open alerts, accepted commands, settings',
    sql: `
      CREATE TABLE fleet_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('raised', 'cleared', 'once')),
        detail TEXT,
        delivered_at TEXT
      );
      CREATE INDEX fleet_events_pending ON fleet_events (seq) WHERE delivered_at IS NULL;
      CREATE TABLE fleet_open_alerts (
        code TEXT PRIMARY KEY,
        severity TEXT NOT NULL,
        since TEXT NOT NULL,
        detail TEXT
      );
      CREATE TABLE fleet_commands (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        received_at TEXT NOT NULL,
        remember_until INTEGER NOT NULL,
        outcome TEXT
      );
      CREATE TABLE fleet_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

interface EventRow {
  seq: number;
  at: string;
  code: AlertCode;
  severity: Severity;
  phase: FleetEvent['phase'];
  detail: string | null;
}

export interface PendingEvent {
  readonly seq: number;
  readonly at: string;
  readonly code: AlertCode;
  readonly severity: Severity;
  readonly phase: FleetEvent['phase'];
  readonly detail?: string;
}

export interface FleetStore {
  /** Identifies this event sequence: a new one if the file is ever lost, so the console never mistakes new events for repeats. */
  readonly stream: string;
  /** Records an event (and the open-alert change it implies) in one transaction. */
  record(code: AlertCode, severity: Severity, phase: FleetEvent['phase'], detail?: string): PendingEvent;
  pending(limit: number): PendingEvent[];
  markDelivered(seq: number): void;
  openAlerts(): OpenAlert[];
  /** Claims a command id; false if it was accepted before (a replay). */
  claimCommand(id: string, kind: string, rememberUntil: number): boolean;
  finishCommand(id: string, outcome: string): void;
  setting(key: FleetSettingKey): string | null;
  setSetting(key: FleetSettingKey, value: string | null): void;
  /** Forgets delivered events and command ids past their window. */
  prune(deliveredBefore: string): void;
  close(): void;
}

export type FleetSettingKey = 'assigned-version' | 'notice' | 'stream';

export function openFleetStore(dataDir: string, clock: Clock): Result<FleetStore, StoreOpenError> {
  const opened = openDatabase(join(dataDir, fleetDatabaseFile), { migrations: fleetMigrations });
  if (!opened.ok) return opened;
  return { ok: true, value: fleetStoreOn(opened.value, clock) };
}

function toPending(row: EventRow): PendingEvent {
  return {
    seq: row.seq,
    at: row.at,
    code: row.code,
    severity: row.severity,
    phase: row.phase,
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

function fleetStoreOn(db: Db, clock: Clock): FleetStore {
  const iso = () => new Date(clock.now()).toISOString();
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM fleet_settings WHERE key = ?');
  const putSetting = db.prepare('INSERT OR REPLACE INTO fleet_settings (key, value) VALUES (?, ?)');
  const deleteSetting = db.prepare('DELETE FROM fleet_settings WHERE key = ?');
  const insertEvent = db.prepare<[string, string, string, string, string | null], EventRow>(
    'INSERT INTO fleet_events (at, code, severity, phase, detail) VALUES (?, ?, ?, ?, ?) RETURNING seq, at, code, severity, phase, detail',
  );
  const pendingEvents = db.prepare<[number], EventRow>(
    'SELECT seq, at, code, severity, phase, detail FROM fleet_events WHERE delivered_at IS NULL ORDER BY seq LIMIT ?',
  );
  const openAlert = db.prepare(
    'INSERT OR IGNORE INTO fleet_open_alerts (code, severity, since, detail) VALUES (?, ?, ?, ?)',
  );
  const closeAlert = db.prepare('DELETE FROM fleet_open_alerts WHERE code = ?');

  let stream = getSetting.get('stream')?.value;
  if (stream === undefined) {
    stream = randomUUID();
    putSetting.run('stream', stream);
  }

  const record = db.transaction(
    (code: AlertCode, severity: Severity, phase: FleetEvent['phase'], detail: string | undefined) => {
      const at = iso();
      if (phase === 'raised') openAlert.run(code, severity, at, detail ?? null);
      if (phase === 'cleared') closeAlert.run(code);
      const row = insertEvent.get(at, code, severity, phase, detail ?? null);
      if (row === undefined) throw new Error('fleet event not recorded');
      return toPending(row);
    },
  );

  return {
    stream,
    record: (code, severity, phase, detail) => record(code, severity, phase, detail),
    pending: (limit) => pendingEvents.all(limit).map(toPending),
    markDelivered: (seq) => {
      db.prepare('UPDATE fleet_events SET delivered_at = ? WHERE seq = ? AND delivered_at IS NULL').run(iso(), seq);
    },
    openAlerts: () =>
      (
        db.prepare('SELECT code, severity, since, detail FROM fleet_open_alerts ORDER BY since, code').all() as Array<{
          code: AlertCode;
          severity: Severity;
          since: string;
          detail: string | null;
        }>
      ).map((r) => ({
        code: r.code,
        severity: r.severity,
        since: r.since,
        ...(r.detail === null ? {} : { detail: r.detail }),
      })),
    claimCommand: (id, kind, rememberUntil) =>
      db
        .prepare('INSERT OR IGNORE INTO fleet_commands (id, kind, received_at, remember_until) VALUES (?, ?, ?, ?)')
        .run(id, kind, iso(), rememberUntil).changes === 1,
    finishCommand: (id, outcome) => {
      db.prepare('UPDATE fleet_commands SET outcome = ? WHERE id = ?').run(outcome, id);
    },
    setting: (key) => getSetting.get(key)?.value ?? null,
    setSetting: (key, value) => {
      if (value === null) deleteSetting.run(key);
      else putSetting.run(key, value);
    },
    prune: (deliveredBefore) => {
      db.prepare('DELETE FROM fleet_events WHERE delivered_at IS NOT NULL AND delivered_at < ?').run(deliveredBefore);
      db.prepare('DELETE FROM fleet_commands WHERE remember_until < ?').run(clock.now());
    },
    close: () => db.close(),
  };
}
