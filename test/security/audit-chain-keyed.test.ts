/**
 * Attacker: has the terminal's database file (a shell on the box, or the SD card) and wants to hide
 * what was done there by editing or deleting audit rows — recomputing every later row's hash, as
 * one could for a plain hash chain. The chain is an HMAC under a key derived from the data key, so
 * without that key the rewrite cannot be made to verify: `kiosk audit verify` names the first row
 * touched. And the head travels in the heartbeat, so the platform holds it off the box.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Timers } from '../../foundation/clock';
import { createFileKeyProvider } from '../../foundation/key-provider';
import { silentLog } from '../../foundation/log';
import { runCli } from '../../electron/cli/main';
import { createOutboxWorker } from '../../electron/services/outbox/outbox-worker';
import { auditHeadOf, genesisHash } from '../../electron/services/store/audit-log';
import { openStore, type Store } from '../../electron/services/store/store';
import { openPlatformDb, PlatformStore } from '../../platform/server/platform-db';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

function kioskStore(dir: string, rows = 6): Store {
  const keyProvider = createFileKeyProvider(join(dir, 'data.key'));
  if (!keyProvider.ok) throw new Error('key');
  const opened = openStore({
    dataDir: dir,
    keyProvider: keyProvider.value,
    terminalId: fx.terminalId,
    terminalCode: 'QS01',
    clock: systemClock,
    log: silentLog,
  });
  if (!opened.ok) throw new Error('store');
  for (let i = 1; i <= rows; i++)
    opened.value.audit({ actor: `staff:S-0${i}`, action: 'receipt.reprint', details: { n: i } });
  return opened.value;
}

async function verify(dir: string) {
  const err: string[] = [];
  const code = await runCli(['node', 'kiosk', 'audit', 'verify', '--data', dir], {
    out: () => {},
    err: (line) => err.push(line),
    progress: () => {},
  });
  return { code, err: err.join('\n') };
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
}

/** What an attacker without the key can do: recompute every row's hash from `from` on, as a plain hash chain. */
function rechain(db: Database.Database, from: number): void {
  const rows = db
    .prepare('SELECT seq, at, actor, action, details, prev_hash FROM audit_log ORDER BY seq')
    .all() as Row[];
  let prev =
    from === 1
      ? genesisHash
      : (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(from - 1) as { hash: string }).hash;
  for (const row of rows.filter((r) => r.seq >= from)) {
    const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.details, prev]);
    const hash = createHash('sha256').update(canonical, 'utf8').digest('hex');
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
    prev = hash;
  }
}

/**
 * A kiosk data folder with six audit rows, rewritten by `tamper` on the database file (then, if given, the kiosk
 * started on it again); kiosk audit verify's answer.
 */
async function verifyAfter(tamper: (db: Database.Database) => void, thenStart?: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-'));
  try {
    kioskStore(dir).close();
    expect((await verify(dir)).code).toBe(0);
    const db = new Database(join(dir, 'kiosk.sqlite'));
    tamper(db);
    db.close();
    thenStart?.(dir);
    return await verify(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("rewriting the terminal's audit log", () => {
  it('an edited row, with the chain after it recomputed, is named by kiosk audit verify', async () => {
    const verdict = await verifyAfter((db) => {
      db.prepare(`UPDATE audit_log SET actor = 'staff:S-99' WHERE seq = 3`).run();
      rechain(db, 3);
    });
    expect(verdict.code).not.toBe(0);
    expect(verdict.err).toContain('BROKEN at row 3');
  });

  it('a deleted row, with the rows after it renumbered and recomputed, is named too', async () => {
    const verdict = await verifyAfter((db) => {
      db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
      const later = db.prepare('SELECT seq FROM audit_log WHERE seq > 4 ORDER BY seq').all() as Array<{ seq: number }>;
      for (const { seq } of later) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq - 1, seq);
      rechain(db, 4);
    });
    expect(verdict.code).not.toBe(0);
    expect(verdict.err).toContain('BROKEN at row 4');
  });

  it('a whole log rewritten as a plain hash chain stays broken after the kiosk restarts (nothing re-keys it)', async () => {
    const verdict = await verifyAfter(
      (db) => {
        // What older builds would have taken for a chain written before the key, and re-keyed at open.
        db.prepare("DELETE FROM settings WHERE key = 'audit.keyed'").run();
        db.prepare(`UPDATE audit_log SET actor = 'staff:S-99' WHERE seq = 2`).run();
        rechain(db, 1);
      },
      (dir) => kioskStore(dir, 0).close(),
    );
    expect(verdict.code).not.toBe(0);
    expect(verdict.err).toContain('BROKEN at row 1');
  });

  it('the chain head goes to the platform in the heartbeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-audit-'));
    const store = kioskStore(dir);
    try {
      const inert: Timers = { setTimeout: () => 0, clearTimeout: () => {} };
      const worker = createOutboxWorker({
        store,
        port: fx.client,
        log: silentLog,
        clock: systemClock,
        timers: inert,
        heartbeat: { version: '0.1.0', devices: () => ({}), auditHead: () => auditHeadOf(store.db) },
      });
      expect(await worker.sendHeartbeat()).toBe(true);
      const platformDb = openPlatformDb(fx.dataDir, null);
      try {
        expect(new PlatformStore(platformDb, null).auditHead(fx.terminalId)).toMatchObject(auditHeadOf(store.db) ?? {});
        expect(auditHeadOf(store.db)).toMatchObject({ sequence: 6 });
      } finally {
        platformDb.close();
      }
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
