import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAudit, genesisHash, rowMac, verifyAuditChain, type AuditRow } from './audit-log';
import { manualClock } from '../../../foundation/clock';
import { openDatabase, type Db } from './database';

const key = Buffer.alloc(32, 3);

function freshDb(): Db {
  const db = openDatabase(':memory:');
  if (!db.ok) throw new Error('open');
  return db.value;
}

function seeded(): Db {
  const db = freshDb();
  const clock = manualClock();
  for (let i = 0; i < 5; i++) {
    appendAudit(db, key, clock, {
      actor: `staff:${i}`,
      action: 'receipt.reprint',
      details: { count: i, applicationId: `app-${i}`, nested: { z: [1, 'a', null, { y: true, b: 2.5 }], a: '中文' } },
    });
    clock.advance(1000);
  }
  return db;
}

const row = (db: Db, seq: number) => db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow;

describe('audit log', () => {
  it('verifies an untouched chain and reports its head', () => {
    const verdict = verifyAuditChain(seeded(), key);
    expect(verdict).toMatchObject({ ok: true, rows: 5 });
    expect(verifyAuditChain(freshDb(), key)).toMatchObject({ ok: true, rows: 0 });
  });

  it('finds a modified row', () => {
    const db = seeded();
    db.prepare(`UPDATE audit_log SET actor = 'staff:9' WHERE seq = 3`).run();
    expect(verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('finds a modified row even when its MAC was recomputed with the key (the next row no longer follows)', () => {
    const db = seeded();
    db.prepare(`UPDATE audit_log SET details = '{}' WHERE seq = 2`).run();
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(rowMac(key, row(db, 2)));
    expect(verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('finds a row forged without the key, even with the whole chain after it recomputed', () => {
    const db = seeded();
    const otherKey = Buffer.alloc(32, 9);
    db.prepare(`UPDATE audit_log SET actor = 'staff:9' WHERE seq = 2`).run();
    let prev = row(db, 1).hash;
    for (let seq = 2; seq <= 5; seq++) {
      const mac = rowMac(otherKey, { ...row(db, seq), prev_hash: prev });
      db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, mac, seq);
      prev = mac;
    }
    expect(verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('finds a deleted row', () => {
    const db = seeded();
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('a chain hashed without the key (plain SHA-256) does not verify, however intact', () => {
    const db = freshDb();
    let prev = genesisHash;
    for (let seq = 1; seq <= 3; seq++) {
      const r = {
        seq,
        at: `2026-11-24T08:00:0${seq}.000Z`,
        actor: 'system',
        action: 'x',
        details: '{}',
        prev_hash: prev,
      };
      const canonical = JSON.stringify([r.seq, r.at, r.actor, r.action, r.details, r.prev_hash]);
      const hash = createHash('sha256').update(canonical, 'utf8').digest('hex');
      db.prepare(
        'INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(r.seq, r.at, r.actor, r.action, r.details, r.prev_hash, hash);
      prev = hash;
    }
    expect(verifyAuditChain(db, key)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('refuses details that carry an ID number', () => {
    expect(() =>
      appendAudit(freshDb(), key, manualClock(), {
        actor: 'staff:1',
        action: 'x',
        details: { who: '110105194912310021' },
      }),
    ).toThrow(/ID number/);
  });
});
