/**
 * Attacker: has rewritten or cut back the terminal's own audit log (to hide what was done there).
 * The platform keeps every audit-chain head the terminal reported in its heartbeat, so a head that
 * goes back, or changes at the same length, is flagged in the platform's audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../platform/contract/http-signature';
import { openPlatformDb, PlatformStore } from '../../platform/server/platform-db';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

async function heartbeat(auditHead?: { sequence: number; hash: string }): Promise<number> {
  const url = `${fx.platform.url}/v1/terminals/${fx.terminalId}/heartbeat`;
  const body = Buffer.from(
    JSON.stringify({ version: '0.1.0', devices: {}, outboxDepth: 0, oldestUnsentAt: null, auditHead }),
  );
  const headers = signRequest({ method: 'POST', url, body }, { keyId: fx.terminalId, privateKey: fx.keys.privateKey });
  return (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }))
    .status;
}

function platformRecords() {
  const db = openPlatformDb(fx.dataDir, null);
  try {
    const store = new PlatformStore(db, null);
    return {
      head: store.auditHead(fx.terminalId),
      flagged: store.auditEntries().filter((r) => r.action === 'terminal.audit-head-regressed'),
    };
  } finally {
    db.close();
  }
}

describe("the terminal's audit-chain head", () => {
  it('is optional, recorded per terminal, and a rewritten log is flagged', async () => {
    expect(await heartbeat()).toBe(204);
    expect(platformRecords().head).toBeUndefined();
    expect(await heartbeat({ sequence: 40, hash: 'a'.repeat(64) })).toBe(204);
    expect(await heartbeat({ sequence: 42, hash: 'b'.repeat(64) })).toBe(204);
    expect(platformRecords()).toMatchObject({ head: { sequence: 42, hash: 'b'.repeat(64) }, flagged: [] });
    // Cut back to 30 entries: the platform notices.
    expect(await heartbeat({ sequence: 30, hash: 'c'.repeat(64) })).toBe(204);
    // Same length, other content: rewritten.
    expect(await heartbeat({ sequence: 30, hash: 'd'.repeat(64) })).toBe(204);
    const { flagged } = platformRecords();
    expect(flagged.map((r) => [r.terminal_id, r.detail])).toEqual([
      [fx.terminalId, 'sequence 30'],
      [fx.terminalId, 'sequence 30'],
    ]);
  });
});
