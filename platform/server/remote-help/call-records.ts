/**
 * The remote help call metadata, the only module with SQL on `remote_help_calls`: which terminal
 * called, which officer answered, when it was queued, answered and ended, how it ended, whether
 * the resident agreed and to which recording rule, and the case number of an application submitted with that call's help. Never media, never what was said
 * or shown. Its tables carry their own schema version (like the account model), so the module is
 * the one owner of its migration too.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { migrateModuleTables } from '../module-schema';
import type { CallEndReason } from '../../contract/remote-help';
import type { CallEndedBy, CallRecorder } from './call-queue';

const migrations: readonly string[] = [
  `CREATE TABLE remote_help_calls (
     call_id TEXT PRIMARY KEY,
     terminal_id TEXT NOT NULL,
     service_point TEXT,
     officer_id TEXT,
     queued_at TEXT NOT NULL,
     answered_at TEXT,
     ended_at TEXT,
     ended_by TEXT,
     end_reason TEXT,
     case_number TEXT
   );
   CREATE INDEX remote_help_calls_terminal ON remote_help_calls(terminal_id, queued_at);
   CREATE INDEX remote_help_calls_case ON remote_help_calls(case_number);`,
  // The resident's consent as the terminal showed it: when, and the recording rule agreed to (null: not recorded).
  `ALTER TABLE remote_help_calls ADD COLUMN consented_at TEXT;
   ALTER TABLE remote_help_calls ADD COLUMN recording_days INTEGER;`,
];

export function migrateCallTables(db: BetterSqlite3.Database): void {
  migrateModuleTables(db, 'remote_help_schema', migrations);
}

export interface CallRecordRow {
  readonly call_id: string;
  readonly terminal_id: string;
  readonly service_point: string | null;
  readonly officer_id: string | null;
  readonly queued_at: string;
  readonly answered_at: string | null;
  readonly ended_at: string | null;
  readonly ended_by: CallEndedBy | null;
  readonly end_reason: CallEndReason | null;
  readonly case_number: string | null;
  readonly consented_at: string | null;
  /** The recording the resident agreed to: kept this many days; null, not recorded. */
  readonly recording_days: number | null;
}

export class CallRecords implements CallRecorder {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly now: () => Date,
  ) {
    migrateCallTables(db);
  }

  /**
   * Calls left open by a platform that stopped (they lived in its memory only) end `lost`.
   * Returns how many.
   */
  closeLeftOpen(): number {
    return this.db
      .prepare(
        "UPDATE remote_help_calls SET ended_at = ?, ended_by = 'platform', end_reason = 'lost' WHERE ended_at IS NULL",
      )
      .run(this.now().toISOString()).changes;
  }

  queued(call: { callId: string; terminalId: string; servicePoint: string | null }): void {
    this.db
      .prepare('INSERT INTO remote_help_calls (call_id, terminal_id, service_point, queued_at) VALUES (?, ?, ?, ?)')
      .run(call.callId, call.terminalId, call.servicePoint, this.now().toISOString());
  }

  answered(callId: string, officerId: string): void {
    this.db
      .prepare('UPDATE remote_help_calls SET officer_id = ?, answered_at = ? WHERE call_id = ?')
      .run(officerId, this.now().toISOString(), callId);
  }

  ended(callId: string, by: CallEndedBy, reason: CallEndReason): void {
    this.db
      .prepare(
        'UPDATE remote_help_calls SET ended_at = ?, ended_by = ?, end_reason = ? WHERE call_id = ? AND ended_at IS NULL',
      )
      .run(this.now().toISOString(), by, reason, callId);
  }

  /** The resident agreed to the call (and to its recording, when `recordingDays` is not null); the first consent counts. */
  consented(callId: string, recordingDays: number | null): void {
    this.db
      .prepare(
        'UPDATE remote_help_calls SET consented_at = ?, recording_days = ? WHERE call_id = ? AND consented_at IS NULL',
      )
      .run(this.now().toISOString(), recordingDays, callId);
  }

  call(callId: string): CallRecordRow | undefined {
    return this.db.prepare('SELECT * FROM remote_help_calls WHERE call_id = ?').get(callId) as
      CallRecordRow | undefined;
  }

  /**
   * Links an application's case number to the call that helped with it. A resident may file more
   * than one application in one call: the first keeps the link (the case records the call either way).
   */
  linkCase(callId: string, caseNumber: string): void {
    this.db
      .prepare('UPDATE remote_help_calls SET case_number = ? WHERE call_id = ? AND case_number IS NULL')
      .run(caseNumber, callId);
  }

  /** Newest first, for the hall's call log. */
  recent(limit = 50): CallRecordRow[] {
    return this.db
      .prepare('SELECT * FROM remote_help_calls ORDER BY queued_at DESC LIMIT ?')
      .all(Math.min(Math.max(limit, 1), 500)) as CallRecordRow[];
  }
}
