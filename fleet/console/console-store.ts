/**
 * The fleet console's store: every terminal's latest state in memory (the list a technician looks
 * at, rebuilt from SQLite at start), and in SQLite the state history, events, alerts with their
 * acknowledgement, online/offline intervals (availability) and commands with replies — all kept for
 * `retentionDays`. Incoming states are written in one transaction per flush, not one per message,
 * so 10,000 terminals reporting every minute cost a few small transactions a second.
 */
import { hash } from 'node:crypto';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../foundation/clock';
import {
  alertCatalogue,
  isCondition,
  type AlertCode,
  type CommandBody,
  type CommandReply,
  type FleetEvent,
  type OnlineState,
  type Severity,
  type TerminalState,
} from '../contract/fleet-payloads';

export type Db = BetterSqlite3.Database;

const schema = `
  CREATE TABLE IF NOT EXISTS terminals (
    terminal TEXT PRIMARY KEY,
    county TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('online', 'offline')),
    state_json TEXT,
    offline_reason TEXT,
    last_seen TEXT NOT NULL,
    first_seen TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS state_samples (
    terminal TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    state_json TEXT
  );
  CREATE INDEX IF NOT EXISTS state_samples_terminal ON state_samples (terminal, at);
  CREATE TABLE IF NOT EXISTS events (
    terminal TEXT NOT NULL,
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    phase TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (terminal, stream, seq)
  );
  CREATE INDEX IF NOT EXISTS events_terminal_at ON events (terminal, received_at);
  CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    terminal TEXT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    detail TEXT,
    cleared_at TEXT,
    acked_by TEXT,
    acked_at TEXT
  );
  CREATE INDEX IF NOT EXISTS alerts_open ON alerts (terminal) WHERE cleared_at IS NULL;
  CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);
  CREATE TABLE IF NOT EXISTS availability (
    terminal TEXT NOT NULL,
    online INTEGER NOT NULL,
    from_at TEXT NOT NULL,
    to_at TEXT
  );
  CREATE INDEX IF NOT EXISTS availability_terminal ON availability (terminal, from_at);
  CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY,
    terminal TEXT NOT NULL,
    kind TEXT NOT NULL,
    body_json TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    outcome TEXT,
    refusal TEXT,
    message TEXT,
    replied_at TEXT
  );
  CREATE INDEX IF NOT EXISTS commands_terminal ON commands (terminal, issued_at);
  CREATE TABLE IF NOT EXISTS staff_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT
  );
`;

export interface OpenAlertView {
  readonly id: number;
  readonly code: AlertCode;
  readonly severity: Severity;
  readonly raisedAt: string;
  readonly detail: string | null;
  readonly ackedBy: string | null;
  readonly ackedAt: string | null;
}

export type Health = 'red' | 'amber' | 'green' | 'grey';

/** The list's order: what needs a technician first (red, amber), then offline, then the healthy ones. */
const healthsInOrder: readonly Health[] = ['red', 'amber', 'grey', 'green'];

/** What a technician narrows the list to (all given conditions hold). */
export interface ListFilter {
  readonly health?: Health;
  readonly alert?: AlertCode;
  /** Part of the terminal's id, name or village, any case. */
  readonly text?: string;
}

/** One page of the filtered, ordered list, with the whole fleet's counts per colour. */
export interface ListPage {
  readonly counts: Readonly<Record<Health, number>>;
  /** Terminals matching the filter, on all pages. */
  readonly matched: number;
  /** Of the first row shown (clamped to the last page). */
  readonly offset: number;
  readonly rows: readonly TerminalView[];
}

export interface TerminalView {
  readonly terminal: string;
  readonly county: string;
  readonly status: 'online' | 'offline';
  readonly state: OnlineState | null;
  readonly offlineReason: string | null;
  readonly lastSeen: string;
  readonly alerts: readonly OpenAlertView[];
  readonly health: Health;
}

export interface AlertCounts {
  readonly code: AlertCode;
  readonly raised: number;
  readonly open: number;
  readonly acknowledged: number;
}

export interface EventView {
  readonly seq: number;
  readonly at: string;
  readonly receivedAt: string;
  readonly code: AlertCode;
  readonly severity: Severity;
  readonly phase: string;
  readonly detail: string | null;
}

export interface CommandView {
  readonly id: string;
  readonly kind: string;
  readonly body: CommandBody;
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly outcome: string | null;
  readonly refusal: string | null;
  readonly message: string | null;
  readonly repliedAt: string | null;
}

export interface SampleView {
  readonly at: string;
  readonly status: string;
  readonly state: OnlineState | null;
}

export interface StoreOptions {
  readonly path: string;
  readonly clock: Clock;
  readonly retentionDays: number;
  /** A state is kept in history when it changed meaningfully, or at least this often. */
  readonly sampleEveryMs?: number;
}

/** What changed, for live pages: the terminals whose row looks different now. */
export type ChangeListener = (terminals: ReadonlySet<string>) => void;

export interface ConsoleStore {
  readonly db: Db;
  /**
   * `text` is the state as it arrived (its JSON, already validated): kept as is in the database and
   * history, and remembered by digest so that the same state arriving again costs next to nothing.
   */
  applyState(terminal: string, county: string, state: TerminalState, text?: string): void;
  /**
   * True when `text` is byte for byte the state last applied for this terminal and applying it again
   * would change nothing but "last seen" (a restarted console gets every retained state again): then
   * only that is recorded, without parsing. False means: validate it and call applyState.
   */
  seenUnchanged(terminal: string, text: string): boolean;
  /** False for a repeat (same stream and seq already stored). */
  applyEvent(event: FleetEvent): boolean;
  applyReply(reply: CommandReply): boolean;
  recordCommand(body: CommandBody): void;
  acknowledge(terminal: string, alertId: number, who: string): boolean;
  /** Records a staff account event (recordStaffAudit). */
  audit(actor: string, action: string, detail?: string): void;
  terminals(): TerminalView[];
  /**
   * `limit` rows of the filtered list from `offset`, red and amber first, then by id. Only the rows
   * shown are built: a phone asking for a page of a 10,000-terminal county gets a page, not the county.
   */
  listPage(filter: ListFilter, offset: number, limit: number): ListPage;
  /** Up to `limit` terminals in id order after the id `after` ('' for the first): the JSON list's pages. */
  terminalsAfter(after: string, limit: number): TerminalView[];
  terminal(id: string): TerminalView | undefined;
  events(terminal: string, limit: number): EventView[];
  eventsBetween(from: string, to: string): Array<EventView & { terminal: string }>;
  samples(terminal: string, sinceIso: string, limit: number): SampleView[];
  commands(terminal: string, limit: number): CommandView[];
  command(id: string): CommandView | undefined;
  /** Fraction of [now − days, now] the terminal was online (from its first sighting if later); null if never seen. */
  availability(terminal: string, days: number): number | null;
  /**
   * Fraction of [from, min(to, now)] each terminal was online (from its first sighting if later), for
   * every terminal known in that window: one query over the intervals, not one per terminal.
   */
  availabilityBetween(from: string, to: string): Map<string, number>;
  /** Alerts raised in [from, to), oldest first, at most `limit` of them. */
  alertsRaisedBetween(
    from: string,
    to: string,
    limit?: number,
  ): Array<OpenAlertView & { terminal: string; clearedAt: string | null }>;
  /** Per alert code: how many were raised in [from, to), how many of those are still open, how many acknowledged. */
  alertCountsBetween(from: string, to: string): AlertCounts[];
  onChange(listener: ChangeListener): () => void;
  /** Writes pending state changes now (also done every second). */
  flush(): void;
  prune(): void;
  close(): void;
}

/** A terminal's row as kept in memory: its state only parsed (in `Live.state`), serialised on writing. */
interface Row {
  terminal: string;
  county: string;
  status: 'online' | 'offline';
  offline_reason: string | null;
  last_seen: string;
}

/** What the list's search looks in: id, name and village, lower-cased once per state, not per search. */
function searchTextOf(terminal: string, state: OnlineState | null): string {
  return `${terminal}\n${state?.name ?? ''}\n${state?.village ?? ''}`.toLowerCase();
}

function matchesFilter(
  searchText: string,
  alerts: readonly OpenAlertView[],
  health: Health,
  filter: ListFilter,
  needle: string,
): boolean {
  if (filter.health !== undefined && health !== filter.health) return false;
  if (filter.alert !== undefined && !alerts.some((a) => a.code === filter.alert)) return false;
  return needle === '' || searchText.includes(needle);
}

/** Terminal ids in plain code-unit order (cheap; ids are ASCII). */
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function healthOf(status: 'online' | 'offline', alerts: readonly OpenAlertView[]): Health {
  if (status === 'offline') return 'grey';
  if (alerts.some((a) => a.severity === 'critical')) return 'red';
  if (alerts.some((a) => a.severity === 'warning')) return 'amber';
  return 'green';
}

/** What changes with every publish and is not worth a history sample on its own. */
const unremarkable: ReadonlySet<string> = new Set(['publishedAt', 'uptimeSeconds', 'diskFreeBytes', 'clockOffsetMs']);

/** Equal JSON values (parsed payloads: plain objects, arrays, strings, numbers, booleans, null). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && sameJson(aRecord[key], bRecord[key]));
}

/**
 * States differ for history only in what a person would notice (not uptime or publish time, only the
 * outbox's depth). Compared field by field: no copy, no serialising, on every one of a storm's states.
 */
function sameMeaning(a: OnlineState | null, b: OnlineState | null): boolean {
  if (a === null || b === null) return a === b;
  const aRecord = a as unknown as Record<string, unknown>;
  const bRecord = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (unremarkable.has(key)) continue;
    if (key === 'outbox' ? a.outbox.depth !== b.outbox.depth : !sameJson(aRecord[key], bRecord[key])) return false;
  }
  return true;
}

/**
 * Whether applying a state would leave the open alerts as they are: it opens every alert it lists
 * and closes the open conditions it does not list (applyState).
 */
function alertsAgree(listed: OnlineState['alerts'], open: readonly OpenAlertView[]): boolean {
  return (
    listed.every((a) => open.some((o) => o.code === a.code)) &&
    open.every((o) => !isCondition(o.code) || listed.some((a) => a.code === o.code))
  );
}

/** A state's bytes, remembered per terminal as a short digest (not a copy of 10,000 states). */
const digestOf = (text: string): string => hash('sha256', text, 'base64url');

/** The console's database with its tables; `fleet user …` opens it this way while a console may run. */
export function openConsoleDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  return db;
}

/** Staff account events (sign-in, lock-out, account changes): staff names only, never a resident's. */
export function recordStaffAudit(db: Db, at: string, actor: string, action: string, detail?: string): void {
  db.prepare('INSERT INTO staff_audit (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(
    at,
    actor.slice(0, 64),
    action,
    detail ?? null,
  );
}

export function openConsoleStore(options: StoreOptions): ConsoleStore {
  const { clock } = options;
  const db = openConsoleDb(options.path);
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  const sampleEveryMs = options.sampleEveryMs ?? 15 * 60_000;

  // ------------------------------------------------------------ the in-memory view
  interface Live {
    row: Row;
    state: OnlineState | null;
    alerts: OpenAlertView[];
    lastSampleAt: number;
    /** False until a state was applied (a terminal first heard of through an event). */
    stateKnown: boolean;
    /** Of `state`'s text as it arrived, while online; '' otherwise (see seenUnchanged). */
    digest: string;
    searchText: string;
  }
  const live = new Map<string, Live>();
  const openAlertsStmt = db.prepare(
    'SELECT id, terminal, code, severity, raised_at, detail, acked_by, acked_at FROM alerts WHERE cleared_at IS NULL ORDER BY id',
  );
  const alertsByTerminal = new Map<string, OpenAlertView[]>();
  for (const a of openAlertsStmt.all() as Array<{
    id: number;
    terminal: string;
    code: AlertCode;
    severity: Severity;
    raised_at: string;
    detail: string | null;
    acked_by: string | null;
    acked_at: string | null;
  }>) {
    const list = alertsByTerminal.get(a.terminal) ?? [];
    list.push({
      id: a.id,
      code: a.code,
      severity: a.severity,
      raisedAt: a.raised_at,
      detail: a.detail,
      ackedBy: a.acked_by,
      ackedAt: a.acked_at,
    });
    alertsByTerminal.set(a.terminal, list);
  }
  const lastSample = new Map(
    (
      db.prepare('SELECT terminal, MAX(at) AS at FROM state_samples GROUP BY terminal').all() as Array<{
        terminal: string;
        at: string;
      }>
    ).map((r) => [r.terminal, Date.parse(r.at)]),
  );
  for (const { state_json, ...row } of db
    .prepare('SELECT terminal, county, status, state_json, offline_reason, last_seen FROM terminals')
    .all() as Array<Row & { state_json: string | null }>) {
    const state = state_json === null ? null : (JSON.parse(state_json) as OnlineState);
    live.set(row.terminal, {
      row,
      state,
      alerts: alertsByTerminal.get(row.terminal) ?? [],
      lastSampleAt: lastSample.get(row.terminal) ?? 0,
      stateKnown: true,
      // The stored text is the state as it arrived; an offline terminal's last message was its Will.
      digest: row.status === 'online' && state_json !== null ? digestOf(state_json) : '',
      searchText: searchTextOf(row.terminal, state),
    });
  }

  // Every terminal id, sorted once and kept sorted, so a page is one pass without sorting 10,000 rows.
  const order = [...live.keys()].sort(byId);
  /** Where `terminal` is or would be in `order`. */
  function positionOf(terminal: string): number {
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((order[mid] ?? '') < terminal) low = mid + 1;
      else high = mid;
    }
    return low;
  }
  function remember(terminal: string): void {
    order.splice(positionOf(terminal), 0, terminal);
  }

  const listeners = new Set<ChangeListener>();
  let changed = new Set<string>();
  let notifyScheduled = false;
  function touched(terminal: string): void {
    changed.add(terminal);
    if (notifyScheduled) return;
    notifyScheduled = true;
    // Coalesce a burst (a broker restart delivers thousands of states) into one notification per tick.
    setImmediate(() => {
      notifyScheduled = false;
      const batch = changed;
      changed = new Set();
      for (const listener of listeners) listener(batch);
    });
  }

  // ------------------------------------------------------------ writes
  const dirty = new Set<string>();
  const upsertTerminal = db.prepare(
    `INSERT INTO terminals (terminal, county, status, state_json, offline_reason, last_seen, first_seen)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (terminal) DO UPDATE SET county = excluded.county, status = excluded.status,
       state_json = COALESCE(excluded.state_json, terminals.state_json), offline_reason = excluded.offline_reason, last_seen = excluded.last_seen`,
  );
  const insertSample = db.prepare('INSERT INTO state_samples (terminal, at, status, state_json) VALUES (?, ?, ?, ?)');
  const closeInterval = db.prepare('UPDATE availability SET to_at = ? WHERE terminal = ? AND to_at IS NULL');
  const openInterval = db.prepare('INSERT INTO availability (terminal, online, from_at) VALUES (?, ?, ?)');
  const insertAlert = db.prepare(
    'INSERT INTO alerts (terminal, code, severity, raised_at, detail) VALUES (?, ?, ?, ?, ?) RETURNING id',
  );
  const clearAlert = db.prepare('UPDATE alerts SET cleared_at = ? WHERE id = ?');
  // Milliseconds online per terminal within [from, end], and its first sighting there (ms since the epoch).
  const availabilityStmt = db.prepare(
    `SELECT terminal,
       SUM(CASE WHEN online = 1 THEN MAX(0, MIN(julianday(COALESCE(to_at, @now)), julianday(@end)) - MAX(julianday(from_at), julianday(@from))) ELSE 0 END) * 86400000.0 AS up,
       (MIN(julianday(from_at)) - 2440587.5) * 86400000.0 AS first
     FROM availability
     WHERE from_at < @end AND (to_at IS NULL OR to_at > @from)
     GROUP BY terminal`,
  );
  const pendingSamples: Array<[string, string, string, string | null]> = [];
  /** Online states' texts not yet written (the database keeps a terminal's last online state). */
  const pendingTexts = new Map<string, string>();
  const pendingIntervals: Array<{ terminal: string; online: boolean; at: string }> = [];

  const writeBatch = db.transaction(() => {
    for (const terminal of dirty) {
      const entry = live.get(terminal);
      if (entry === undefined) continue;
      const { row } = entry;
      upsertTerminal.run(
        row.terminal,
        row.county,
        row.status,
        pendingTexts.get(terminal) ?? null,
        row.offline_reason,
        row.last_seen,
        row.last_seen,
      );
    }
    dirty.clear();
    pendingTexts.clear();
    for (const sample of pendingSamples.splice(0)) insertSample.run(...sample);
    for (const change of pendingIntervals.splice(0)) {
      closeInterval.run(change.at, change.terminal);
      openInterval.run(change.terminal, change.online ? 1 : 0, change.at);
    }
  });
  const flushTimer = setInterval(() => writeBatch(), 1000);
  flushTimer.unref();

  // The same text is digested to ask seenUnchanged and, when it was not, to apply it: once.
  let lastDigested = { text: '', digest: '' };
  function digestOnce(text: string): string {
    if (text !== lastDigested.text) lastDigested = { text, digest: digestOf(text) };
    return lastDigested.digest;
  }

  function openAlert(entry: Live, code: AlertCode, severity: Severity, at: string, detail: string | null): void {
    if (entry.alerts.some((a) => a.code === code)) return;
    const row = insertAlert.get(entry.row.terminal, code, severity, at, detail) as { id: number };
    entry.alerts = [
      ...entry.alerts,
      { id: row.id, code, severity, raisedAt: at, detail, ackedBy: null, ackedAt: null },
    ];
  }
  function closeAlert(entry: Live, code: AlertCode, at: string): void {
    const open = entry.alerts.find((a) => a.code === code);
    if (open === undefined) return;
    clearAlert.run(at, open.id);
    entry.alerts = entry.alerts.filter((a) => a.id !== open.id);
  }

  function entryFor(terminal: string, county: string): Live {
    let entry = live.get(terminal);
    if (entry === undefined) {
      entry = {
        row: { terminal, county, status: 'offline', offline_reason: null, last_seen: iso() },
        state: null,
        alerts: [],
        lastSampleAt: 0,
        stateKnown: false,
        digest: '',
        searchText: searchTextOf(terminal, null),
      };
      live.set(terminal, entry);
      remember(terminal);
    }
    return entry;
  }

  const store: ConsoleStore = {
    db,
    applyState(terminal, county, state, text = JSON.stringify(state)) {
      const entry = entryFor(terminal, county);
      const now = clock.now();
      const at = iso(now);
      const wasOnline = entry.row.status === 'online' && entry.state !== null;
      const before = wasOnline ? entry.state : null;
      if (state.status === 'online') {
        if (entry.state?.name !== state.name || entry.state.village !== state.village)
          entry.searchText = searchTextOf(terminal, state);
        entry.state = state;
        entry.row = {
          terminal,
          county,
          status: 'online',
          offline_reason: null,
          last_seen: at,
        };
        pendingTexts.set(terminal, text);
        // The state lists the alerts open on the terminal: it is the truth if an event was missed.
        const openNow = new Set(state.alerts.map((a) => a.code));
        for (const alert of [...entry.alerts])
          if (isCondition(alert.code) && !openNow.has(alert.code)) closeAlert(entry, alert.code, at);
        for (const alert of state.alerts)
          openAlert(entry, alert.code, alert.severity, alert.since, alert.detail ?? null);
      } else {
        entry.row = { ...entry.row, county, status: 'offline', offline_reason: state.reason };
      }
      if (wasOnline !== (state.status === 'online') || !entry.stateKnown)
        pendingIntervals.push({ terminal, online: state.status === 'online', at });
      const after = state.status === 'online' ? state : null;
      if (!entry.stateKnown || !sameMeaning(before, after) || now - entry.lastSampleAt >= sampleEveryMs) {
        pendingSamples.push([terminal, at, state.status, after === null ? null : text]);
        entry.lastSampleAt = now;
      }
      entry.stateKnown = true;
      entry.digest = after === null ? '' : digestOnce(text);
      dirty.add(terminal);
      touched(terminal);
    },
    seenUnchanged(terminal, text) {
      const entry = live.get(terminal);
      if (entry === undefined || entry.digest === '' || clock.now() - entry.lastSampleAt >= sampleEveryMs) return false;
      if (digestOnce(text) !== entry.digest) return false;
      // An event opened or closed an alert since (before a restart too): applying it again restores them.
      if (entry.state === null || !alertsAgree(entry.state.alerts, entry.alerts)) return false;
      entry.row = { ...entry.row, last_seen: iso() };
      dirty.add(terminal);
      touched(terminal);
      return true;
    },
    applyEvent(event) {
      const entry = entryFor(event.terminal, event.county);
      const at = iso();
      const inserted = db
        .prepare(
          `INSERT OR IGNORE INTO events (terminal, stream, seq, at, received_at, code, severity, phase, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          event.terminal,
          event.stream,
          event.seq,
          event.at,
          at,
          event.code,
          event.severity,
          event.phase,
          event.detail ?? null,
        ).changes;
      if (inserted === 0) return false;
      switch (event.phase) {
        case 'raised':
        case 'once':
          // A happening stays open until someone acknowledges it.
          openAlert(entry, event.code, event.severity, event.at, event.detail ?? null);
          break;
        case 'cleared':
          closeAlert(entry, event.code, at);
          break;
      }
      entry.row = { ...entry.row, last_seen: at };
      dirty.add(event.terminal);
      touched(event.terminal);
      return true;
    },
    applyReply(reply) {
      const updated = db
        .prepare(
          'UPDATE commands SET outcome = ?, refusal = ?, message = ?, replied_at = ? WHERE id = ? AND terminal = ?',
        )
        .run(reply.outcome, reply.refusal ?? null, reply.message, reply.at, reply.id, reply.terminal).changes;
      if (updated > 0) touched(reply.terminal);
      return updated > 0;
    },
    recordCommand(body) {
      db.prepare(
        'INSERT INTO commands (id, terminal, kind, body_json, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(body.id, body.terminal, body.command.kind, JSON.stringify(body), body.issuedBy, body.issuedAt);
      touched(body.terminal);
    },
    audit(actor, action, detail) {
      recordStaffAudit(db, iso(), actor, action, detail);
    },
    acknowledge(terminal, alertId, who) {
      const entry = live.get(terminal);
      const alert = entry?.alerts.find((a) => a.id === alertId);
      if (entry === undefined || alert === undefined || alert.ackedAt !== null) return false;
      const at = iso();
      db.prepare('UPDATE alerts SET acked_by = ?, acked_at = ? WHERE id = ?').run(who, at, alertId);
      // A happening has nothing to clear it: acknowledging closes it.
      if (!isCondition(alert.code)) closeAlert(entry, alert.code, at);
      else entry.alerts = entry.alerts.map((a) => (a.id === alertId ? { ...a, ackedBy: who, ackedAt: at } : a));
      touched(terminal);
      return true;
    },
    terminals: () => [...live.values()].map(view),
    listPage(filter, offset, limit) {
      const counts: Record<Health, number> = { red: 0, amber: 0, grey: 0, green: 0 };
      // A line break never matches: the search looks within the id, the name or the village.
      const needle = (filter.text ?? '').toLowerCase().replace(/\n/g, ' ');
      const matched: Record<Health, Live[]> = { red: [], amber: [], grey: [], green: [] };
      for (const id of order) {
        const entry = live.get(id);
        if (entry === undefined) continue;
        const health = healthOf(entry.row.status, entry.alerts);
        counts[health] += 1;
        if (matchesFilter(entry.searchText, entry.alerts, health, filter, needle)) matched[health].push(entry);
      }
      const total = healthsInOrder.reduce((n, h) => n + matched[h].length, 0);
      const size = Math.max(1, limit);
      const start = Math.min(Math.max(0, offset), Math.max(0, Math.ceil(total / size) - 1) * size);
      const rows: TerminalView[] = [];
      let skip = start;
      for (const health of healthsInOrder) {
        const bucket = matched[health];
        if (skip >= bucket.length) {
          skip -= bucket.length;
          continue;
        }
        for (const entry of bucket.slice(skip, skip + size - rows.length)) rows.push(view(entry));
        skip = 0;
        if (rows.length >= size) break;
      }
      return { counts, matched: total, offset: start, rows };
    },
    terminalsAfter(after, limit) {
      let start = after === '' ? 0 : positionOf(after);
      if (order[start] === after) start += 1;
      const rows: TerminalView[] = [];
      for (const id of order.slice(start, start + Math.max(0, limit))) {
        const entry = live.get(id);
        if (entry !== undefined) rows.push(view(entry));
      }
      return rows;
    },
    terminal: (id) => {
      const entry = live.get(id);
      return entry === undefined ? undefined : view(entry);
    },
    events: (terminal, limit) =>
      (
        db
          .prepare(
            'SELECT seq, at, received_at, code, severity, phase, detail FROM events WHERE terminal = ? ORDER BY received_at DESC, seq DESC LIMIT ?',
          )
          .all(terminal, limit) as Array<Record<string, unknown>>
      ).map(eventView),
    eventsBetween: (from, to) =>
      (
        db
          .prepare(
            'SELECT terminal, seq, at, received_at, code, severity, phase, detail FROM events WHERE received_at >= ? AND received_at < ? ORDER BY received_at',
          )
          .all(from, to) as Array<Record<string, unknown>>
      ).map((r) => ({ ...eventView(r), terminal: String(r['terminal']) })),
    samples: (terminal, sinceIso, limit) =>
      (
        db
          .prepare(
            'SELECT at, status, state_json FROM state_samples WHERE terminal = ? AND at >= ? ORDER BY at DESC LIMIT ?',
          )
          .all(terminal, sinceIso, limit) as Array<{ at: string; status: string; state_json: string | null }>
      ).map((r) => ({
        at: r.at,
        status: r.status,
        state: r.state_json === null ? null : (JSON.parse(r.state_json) as OnlineState),
      })),
    commands: (terminal, limit) =>
      (
        db
          .prepare('SELECT * FROM commands WHERE terminal = ? ORDER BY issued_at DESC LIMIT ?')
          .all(terminal, limit) as Array<Record<string, unknown>>
      ).map(commandView),
    command: (id) => {
      const row = db.prepare('SELECT * FROM commands WHERE id = ?').get(id) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : commandView(row);
    },
    availability(terminal, days) {
      const now = clock.now();
      const from = now - days * 86_400_000;
      const rows = db
        .prepare(
          'SELECT online, from_at, to_at FROM availability WHERE terminal = ? AND (to_at IS NULL OR to_at > ?) ORDER BY from_at',
        )
        .all(terminal, iso(from)) as Array<{ online: number; from_at: string; to_at: string | null }>;
      const pending = pendingIntervals.filter((p) => p.terminal === terminal);
      if (rows.length === 0 && pending.length === 0) return null;
      const intervals = rows.map((r) => ({
        online: r.online === 1,
        from: Date.parse(r.from_at),
        to: r.to_at === null ? now : Date.parse(r.to_at),
      }));
      for (const p of pending) {
        const last = intervals.at(-1);
        if (last !== undefined && last.to === now) last.to = Date.parse(p.at);
        intervals.push({ online: p.online, from: Date.parse(p.at), to: now });
      }
      const start = Math.max(from, intervals[0]?.from ?? from);
      const span = now - start;
      if (span <= 0) return intervals.at(-1)?.online === true ? 1 : 0;
      let up = 0;
      for (const i of intervals) if (i.online) up += Math.max(0, Math.min(i.to, now) - Math.max(i.from, start));
      return Math.min(1, up / span);
    },
    availabilityBetween(from, to) {
      writeBatch(); // the intervals of the last second too
      const end = Math.min(Date.parse(to), clock.now());
      const fromMs = Date.parse(from);
      const rows = availabilityStmt.all({ from, end: iso(end), now: iso() }) as Array<{
        terminal: string;
        up: number;
        first: number;
      }>;
      return new Map(
        rows.map((r) => {
          const start = Math.max(fromMs, r.first);
          return [r.terminal, end <= start ? 0 : Math.min(1, Math.max(0, r.up / (end - start)))];
        }),
      );
    },
    alertsRaisedBetween: (from, to, limit = -1) =>
      (
        db
          .prepare(
            'SELECT id, terminal, code, severity, raised_at, detail, cleared_at, acked_by, acked_at FROM alerts WHERE raised_at >= ? AND raised_at < ? ORDER BY raised_at LIMIT ?',
          )
          .all(from, to, limit) as Array<Record<string, unknown>>
      ).map((r) => ({
        id: Number(r['id']),
        terminal: String(r['terminal']),
        code: r['code'] as AlertCode,
        severity: r['severity'] as Severity,
        raisedAt: String(r['raised_at']),
        detail: (r['detail'] as string | null) ?? null,
        clearedAt: (r['cleared_at'] as string | null) ?? null,
        ackedBy: (r['acked_by'] as string | null) ?? null,
        ackedAt: (r['acked_at'] as string | null) ?? null,
      })),
    alertCountsBetween: (from, to) =>
      db
        .prepare(
          `SELECT code, COUNT(*) AS raised, SUM(cleared_at IS NULL) AS open, SUM(acked_by IS NOT NULL) AS acknowledged
           FROM alerts WHERE raised_at >= ? AND raised_at < ? GROUP BY code ORDER BY raised DESC, code`,
        )
        .all(from, to) as AlertCounts[],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: () => writeBatch(),
    prune() {
      const before = iso(clock.now() - options.retentionDays * 86_400_000);
      db.transaction(() => {
        db.prepare('DELETE FROM state_samples WHERE at < ?').run(before);
        db.prepare('DELETE FROM events WHERE received_at < ?').run(before);
        db.prepare('DELETE FROM alerts WHERE cleared_at IS NOT NULL AND cleared_at < ?').run(before);
        db.prepare('DELETE FROM availability WHERE to_at IS NOT NULL AND to_at < ?').run(before);
        db.prepare('DELETE FROM commands WHERE issued_at < ?').run(before);
        db.prepare('DELETE FROM staff_audit WHERE at < ?').run(before);
      })();
    },
    close() {
      clearInterval(flushTimer);
      writeBatch();
      db.close();
    },
  };
  return store;
}

function view(entry: { row: Row; state: OnlineState | null; alerts: OpenAlertView[] }): TerminalView {
  return {
    terminal: entry.row.terminal,
    county: entry.row.county,
    status: entry.row.status,
    state: entry.state,
    offlineReason: entry.row.offline_reason,
    lastSeen: entry.row.last_seen,
    alerts: entry.alerts,
    health: healthOf(entry.row.status, entry.alerts),
  };
}

function eventView(r: Record<string, unknown>): EventView {
  return {
    seq: Number(r['seq']),
    at: String(r['at']),
    receivedAt: String(r['received_at']),
    code: r['code'] as AlertCode,
    severity: r['severity'] as Severity,
    phase: String(r['phase']),
    detail: (r['detail'] as string | null) ?? null,
  };
}

function commandView(r: Record<string, unknown>): CommandView {
  return {
    id: String(r['id']),
    kind: String(r['kind']),
    body: JSON.parse(String(r['body_json'])) as CommandBody,
    issuedBy: String(r['issued_by']),
    issuedAt: String(r['issued_at']),
    outcome: (r['outcome'] as string | null) ?? null,
    refusal: (r['refusal'] as string | null) ?? null,
    message: (r['message'] as string | null) ?? null,
    repliedAt: (r['replied_at'] as string | null) ?? null,
  };
}

export const alertCodesInOrder = Object.keys(alertCatalogue) as AlertCode[];
