import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AccountStore, migrateAccountTables, sessionKey, sessionTouchEveryMs } from './account-db';

const policy = { accountFailures: 3, addressFailures: 5, lockMs: 60_000 };
const t0 = new Date('2026-11-24T08:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function store(): AccountStore {
  const db = new Database(':memory:');
  migrateAccountTables(db);
  migrateAccountTables(db); // idempotent: the CLI and the server both call it
  return new AccountStore(db);
}

describe('account store', () => {
  it('counts an attempt before its check: reservations past the limit are refused while the first are in flight', () => {
    const s = store();
    const account = s.create('li.na', 'officer', 'hash', t0);
    if (account === 'exists') throw new Error('exists');
    const answers = Array.from({ length: 6 }, () => s.reserveAttempt('li.na', '10.0.0.1', t0, policy).kind);
    expect(answers).toEqual(['go', 'go', 'go', 'locked', 'locked', 'locked']);
    expect(s.settleAttempt(account.id, '10.0.0.1', false, t0, policy).lockedAccount).toBe(true);
    expect(s.reserveAttempt('li.na', '10.0.0.2', at(59_000), policy)).toMatchObject({
      kind: 'locked',
      scope: 'account',
    });
    expect(s.reserveAttempt('li.na', '10.0.0.2', at(61_000), policy).kind).toBe('go');
  });

  it('forgets failures after a success, but an address only its own attempt', () => {
    const s = store();
    const account = s.create('li.na', 'officer', 'hash', t0);
    if (account === 'exists') throw new Error('exists');
    for (let i = 0; i < 2; i++) {
      s.reserveAttempt('li.na', '10.0.0.1', t0, policy);
      s.settleAttempt(account.id, '10.0.0.1', false, t0, policy);
    }
    s.reserveAttempt('li.na', '10.0.0.1', t0, policy);
    s.settleAttempt(account.id, '10.0.0.1', true, t0, policy);
    expect(s.byId(account.id)?.failed_count).toBe(0);
    for (let i = 0; i < 3; i++) expect(s.reserveAttempt(`nobody${i}`, '10.0.0.1', t0, policy).kind).toBe('go');
    expect(s.reserveAttempt('nobody9', '10.0.0.1', t0, policy)).toMatchObject({ kind: 'locked', scope: 'address' });
  });

  it('ends sessions when idle or too old, stores only the hash of the id, and ends them with a new password', () => {
    const s = store();
    const account = s.create('li.na', 'officer', 'hash', t0);
    if (account === 'exists') throw new Error('exists');
    s.saveSession('session-a', account.id, '{"accountId":1}', t0);
    expect(s.db.prepare('SELECT id_hash FROM account_sessions').get()).toEqual({ id_hash: sessionKey('session-a') });
    expect(s.session('session-a', at(9 * 60_000), 10 * 60_000, 3600_000)).toBe('{"accountId":1}');
    expect(s.session('session-a', at(20 * 60_000), 10 * 60_000, 3600_000)).toBeNull();
    // Reading a session is not activity; a touch is (a page's background poll reads only).
    s.saveSession('session-d', account.id, '{}', t0);
    expect(s.session('session-d', at(9 * 60_000), 10 * 60_000, 3600_000)).toBe('{}');
    expect(s.session('session-d', at(11 * 60_000), 10 * 60_000, 3600_000)).toBeNull();
    s.saveSession('session-e', account.id, '{}', t0);
    s.touchSession('session-e', at(9 * 60_000));
    expect(s.session('session-e', at(18 * 60_000), 10 * 60_000, 3600_000)).toBe('{}');
    // A touch within sessionTouchEveryMs of the last one writes nothing: the idle time runs from 9 min.
    s.touchSession('session-e', at(9 * 60_000 + sessionTouchEveryMs - 1));
    expect(s.session('session-e', at(19 * 60_000 + 1), 10 * 60_000, 3600_000)).toBeNull();
    s.saveSession('session-b', account.id, '{}', t0);
    s.saveSession('session-c', account.id, '{}', t0);
    s.setPassword(account.id, 'new-hash', false, t0, 'session-c');
    expect(s.session('session-b', t0, 60_000, 3600_000)).toBeNull();
    expect(s.session('session-c', t0, 60_000, 3600_000)).toBe('{}');
    s.setDisabled(account.id, true);
    expect(s.session('session-c', t0, 60_000, 3600_000)).toBeNull();
  });
});
