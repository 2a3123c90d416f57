/**
 * The staff account model over a SQLite handle the host application owns (the platform's database,
 * or a fleet console's): accounts with scrypt hashes, per-account and per-address sign-in
 * throttles, and server-side sessions stored by the hash of their id. The tables carry their own
 * schema version, so several applications can mount the model on their own databases.
 *
 * better-sqlite3 is synchronous: each method below is one transaction that no concurrent request
 * can interleave with, which is what makes the lock-out hold under parallel guesses.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { migrateModuleTables } from '../module-schema';

const migrations: readonly string[] = [
  `CREATE TABLE accounts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     must_change_password INTEGER NOT NULL DEFAULT 1,
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     password_changed_at TEXT NOT NULL,
     failed_count INTEGER NOT NULL DEFAULT 0,
     last_failed_at TEXT,
     locked_until TEXT
   );
   CREATE TABLE account_address_throttle (
     address TEXT PRIMARY KEY,
     failed_count INTEGER NOT NULL DEFAULT 0,
     last_failed_at TEXT,
     locked_until TEXT
   );
   CREATE TABLE account_sessions (
     id_hash TEXT PRIMARY KEY,
     account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
     data TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL
   );
   CREATE INDEX account_sessions_account ON account_sessions(account_id);`,
];

/** Creates or upgrades the account tables on `db`; safe to call on every start and from the CLI. */
export function migrateAccountTables(db: BetterSqlite3.Database): void {
  migrateModuleTables(db, 'account_schema', migrations);
}

export interface AccountRow {
  readonly id: number;
  readonly name: string;
  readonly role: string;
  readonly password_hash: string;
  readonly must_change_password: number;
  readonly disabled: number;
  readonly created_at: string;
  readonly password_changed_at: string;
  readonly failed_count: number;
  readonly last_failed_at: string | null;
  readonly locked_until: string | null;
}

export interface LockoutPolicy {
  /** Wrong passwords for one account before it locks. */
  readonly accountFailures: number;
  /** Wrong passwords from one address (any accounts, unknown names too) before it locks. */
  readonly addressFailures: number;
  /** How long a lock lasts; failures older than this are forgotten. */
  readonly lockMs: number;
}

/** How stale a session's last-seen time may grow before a request writes it anew. */
export const sessionTouchEveryMs = 30_000;

export const defaultLockout: LockoutPolicy = { accountFailures: 5, addressFailures: 20, lockMs: 15 * 60_000 };

export type AttemptReservation =
  | { readonly kind: 'go'; readonly account: AccountRow | null }
  | { readonly kind: 'locked'; readonly scope: 'account' | 'address'; readonly until: string | null };

/** Sessions are looked up by the SHA-256 of their id: a copied database hands out no session. */
export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export class AccountStore {
  constructor(readonly db: BetterSqlite3.Database) {}

  create(name: string, role: string, passwordHash: string, now: Date): AccountRow | 'exists' {
    if (this.byName(name) !== undefined) return 'exists';
    const at = now.toISOString();
    this.db
      .prepare(
        'INSERT INTO accounts (name, role, password_hash, must_change_password, created_at, password_changed_at) VALUES (?, ?, ?, 1, ?, ?)',
      )
      .run(name, role, passwordHash, at, at);
    return this.byName(name) ?? 'exists';
  }

  byName(name: string): AccountRow | undefined {
    return this.db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as AccountRow | undefined;
  }

  byId(id: number): AccountRow | undefined {
    return this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
  }

  list(): AccountRow[] {
    return this.db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[];
  }

  /** A new password ends every other session of the account; `mustChange` when an admin set it. */
  setPassword(id: number, passwordHash: string, mustChange: boolean, now: Date, keepSession?: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE accounts SET password_hash = ?, must_change_password = ?, password_changed_at = ?, failed_count = 0, locked_until = NULL WHERE id = ?',
        )
        .run(passwordHash, mustChange ? 1 : 0, now.toISOString(), id);
      this.db
        .prepare('DELETE FROM account_sessions WHERE account_id = ? AND id_hash IS NOT ?')
        .run(id, keepSession === undefined ? null : sessionKey(keepSession));
    })();
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE accounts SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
      if (disabled) this.db.prepare('DELETE FROM account_sessions WHERE account_id = ?').run(id);
    })();
  }

  // ---------------------------------------------------------------- sign-in throttle

  /**
   * Counts this attempt as a failure BEFORE the (slow, asynchronous) password check, so parallel
   * guesses cannot all pass the check "fewer than N failures so far". `settleAttempt` takes the
   * count back on success.
   */
  reserveAttempt(name: string, address: string, now: Date, policy: LockoutPolicy): AttemptReservation {
    return this.db.transaction((): AttemptReservation => {
      const at = now.toISOString();
      const forgetBefore = new Date(now.getTime() - policy.lockMs).toISOString();
      this.db
        .prepare('INSERT INTO account_address_throttle (address) VALUES (?) ON CONFLICT(address) DO NOTHING')
        .run(address);
      // Expired locks and old failures are forgotten.
      this.db
        .prepare(
          `UPDATE account_address_throttle SET failed_count = 0, locked_until = NULL
           WHERE address = ? AND ((locked_until IS NOT NULL AND locked_until <= ?) OR (locked_until IS NULL AND last_failed_at <= ?))`,
        )
        .run(address, at, forgetBefore);
      this.db
        .prepare(
          `UPDATE accounts SET failed_count = 0, locked_until = NULL
           WHERE name = ? AND ((locked_until IS NOT NULL AND locked_until <= ?) OR (locked_until IS NULL AND last_failed_at <= ?))`,
        )
        .run(name, at, forgetBefore);
      const byAddress = this.db
        .prepare('SELECT failed_count, locked_until FROM account_address_throttle WHERE address = ?')
        .get(address) as { failed_count: number; locked_until: string | null };
      if (byAddress.locked_until !== null || byAddress.failed_count >= policy.addressFailures)
        return { kind: 'locked', scope: 'address', until: byAddress.locked_until };
      const account = this.byName(name);
      if (account !== undefined && (account.locked_until !== null || account.failed_count >= policy.accountFailures))
        return { kind: 'locked', scope: 'account', until: account.locked_until };
      this.db
        .prepare(
          'UPDATE account_address_throttle SET failed_count = failed_count + 1, last_failed_at = ? WHERE address = ?',
        )
        .run(at, address);
      if (account !== undefined)
        this.db
          .prepare('UPDATE accounts SET failed_count = failed_count + 1, last_failed_at = ? WHERE id = ?')
          .run(at, account.id);
      return { kind: 'go', account: account ?? null };
    })();
  }

  /** Ends an attempt: success forgets the account's failures; a failure may start a lock. */
  settleAttempt(
    accountId: number | null,
    address: string,
    success: boolean,
    now: Date,
    policy: LockoutPolicy,
  ): { lockedAccount: boolean; lockedAddress: boolean } {
    return this.db.transaction(() => {
      const until = new Date(now.getTime() + policy.lockMs).toISOString();
      if (success) {
        if (accountId !== null)
          this.db.prepare('UPDATE accounts SET failed_count = 0, locked_until = NULL WHERE id = ?').run(accountId);
        // Only this attempt's own count is taken back: one good account does not wipe a spray from the same address.
        this.db
          .prepare('UPDATE account_address_throttle SET failed_count = MAX(failed_count - 1, 0) WHERE address = ?')
          .run(address);
        return { lockedAccount: false, lockedAddress: false };
      }
      const lockedAccount =
        accountId !== null &&
        this.db
          .prepare('UPDATE accounts SET locked_until = ? WHERE id = ? AND locked_until IS NULL AND failed_count >= ?')
          .run(until, accountId, policy.accountFailures).changes === 1;
      const lockedAddress =
        this.db
          .prepare(
            'UPDATE account_address_throttle SET locked_until = ? WHERE address = ? AND locked_until IS NULL AND failed_count >= ?',
          )
          .run(until, address, policy.addressFailures).changes === 1;
      return { lockedAccount, lockedAddress };
    })();
  }

  // ---------------------------------------------------------------- sessions

  /**
   * The session's data, or null when unknown, idle too long or too old (then it is deleted). Reading
   * is not activity: `touchSession` says the person did something.
   */
  session(sessionId: string, now: Date, idleMs: number, absoluteMs: number): string | null {
    return this.db.transaction(() => {
      const key = sessionKey(sessionId);
      const row = this.db
        .prepare('SELECT data, created_at, last_seen_at FROM account_sessions WHERE id_hash = ?')
        .get(key) as { data: string; created_at: string; last_seen_at: string } | undefined;
      if (row === undefined) return null;
      const t = now.getTime();
      if (t - Date.parse(row.last_seen_at) > idleMs || t - Date.parse(row.created_at) > absoluteMs) {
        this.db.prepare('DELETE FROM account_sessions WHERE id_hash = ?').run(key);
        return null;
      }
      return row.data;
    })();
  }

  /**
   * The person used the session now: its idle time starts again (never past its absolute limit).
   * Written at most every `sessionTouchEveryMs`: the idle limit is minutes, and a write for every
   * request (each page, each of a busy officer's clicks) would be disk work for nothing.
   */
  touchSession(sessionId: string, now: Date): void {
    this.db
      .prepare('UPDATE account_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?')
      .run(now.toISOString(), sessionKey(sessionId), new Date(now.getTime() - sessionTouchEveryMs).toISOString());
  }

  saveSession(sessionId: string, accountId: number | null, data: string, now: Date): void {
    const at = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO account_sessions (id_hash, account_id, data, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id_hash) DO UPDATE SET account_id = excluded.account_id, data = excluded.data, last_seen_at = excluded.last_seen_at`,
      )
      .run(sessionKey(sessionId), accountId, data, at, at);
  }

  destroySession(sessionId: string): void {
    this.db.prepare('DELETE FROM account_sessions WHERE id_hash = ?').run(sessionKey(sessionId));
  }

  purgeSessions(now: Date, idleMs: number, absoluteMs: number): number {
    return this.db
      .prepare('DELETE FROM account_sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(new Date(now.getTime() - idleMs).toISOString(), new Date(now.getTime() - absoluteMs).toISOString()).changes;
  }
}
