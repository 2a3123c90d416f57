import { describe, expect, it } from 'vitest';
import { appendAudit, rowHash, verifyAuditChain, type AuditRow } from './audit-log';
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
      details: { count: i, applicationId: `app-${i}`, nested: { z: [1, 'a', null, { y: true, b: 2.5 }], a: '中文' } },
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

  it('writes the same chain as every earlier version: terminals in the field keep verifying', () => {
    // Pinned from the chain the first release wrote for these entries; key order does not matter.
    expect(verifyAuditChain(seeded())).toEqual({
      ok: true,
      rows: 5,
      head: '2a6ec4a14e304603a56d6430be537130df77d0d6f850c8073a35108b00c5b94b',
    });
  });

  it('refuses details that carry an ID number', () => {
    expect(() =>
      appendAudit(freshDb(), manualClock(), { actor: 'staff:1', action: 'x', details: { who: '110105194912310021' } }),
    ).toThrow(/ID number/);
  });
});
