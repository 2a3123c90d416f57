import { describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, rowHash, verifyAuditChain, type AuditRow } from './audit-log';
import { manualClock } from '../../../foundation/clock';
import { openDatabase, type Db } from './database';

function freshDb(): Db {
  const db = openDatabase(':memory:');
  if (!db.ok) throw new Error('open');
  return db.value;
}

function seeded(): Db {
  const db = freshDb();
  const clock = manualClock();
  for (let i = 0; i < 5; i++) {
    appendAudit(db, clock, {
      actor: `staff:${i}`,
      action: 'receipt.reprint',
      details: { applicationId: `app-${i}`, count: i },
    });
    clock.advance(1000);
  }
  return db;
}

describe('audit log', () => {
  it('verifies an untouched chain and reports its head', () => {
    const verdict = verifyAuditChain(seeded());
    expect(verdict).toMatchObject({ ok: true, rows: 5 });
    expect(verifyAuditChain(freshDb())).toMatchObject({ ok: true, rows: 0 });
  });

  it('finds a modified row', () => {
    const db = seeded();
    db.prepare(`UPDATE audit_log SET actor = 'staff:9' WHERE seq = 3`).run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('finds a modified row even when its hash was recomputed (the next row no longer follows)', () => {
    const db = seeded();
    db.prepare(`UPDATE audit_log SET details = '{}' WHERE seq = 2`).run();
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as AuditRow;
    // An attacker fixing up row 2's own hash still breaks row 3's link.
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(rowHash(row));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('finds a deleted row', () => {
    const db = seeded();
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('hashes details canonically: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe(canonicalJson({ a: [{ c: null, d: 2 }], b: 1 }));
  });

  it('refuses details that carry an ID number', () => {
    expect(() =>
      appendAudit(freshDb(), manualClock(), { actor: 'staff:1', action: 'x', details: { who: '110105194912310021' } }),
    ).toThrow(/ID number/);
  });
});
