/**
 * Attacker: has a spare enrolment code (or any code) and wants to take over an enrolled terminal's
 * identity with a key of their own. A code enrols only its own terminal, and an enrolled terminal
 * changes key only with an admin's re-key code; the old key still vouches for receipts it signed
 * before, and the change is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol } from '../../electron/services/platform-client/http-platform-client';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { HallClient } from '../support/hall-client';
import { receiptPayloadFor, startHallFixture, type HallFixture } from '../support/hall-fixture';

let h: HallFixture;
beforeAll(async () => {
  h = await startHallFixture();
});
afterAll(async () => {
  await h.close();
});

const verify = async (payload: string) =>
  (await (
    await fetch(`${h.fx.platform.url}/v1/receipts/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload }),
    })
  ).json()) as { valid: boolean };

describe('taking over an enrolled terminal', () => {
  it('refuses a spare enrolment code for a terminal that is already enrolled', async () => {
    const terminalId = 'QS-LX-0500';
    const first = h.fx.platform.createEnrolmentCode({ terminalId });
    const spare = h.fx.platform.createEnrolmentCode({ terminalId });
    expect((await enrol(h.fx.platform.url, first, { terminalId, ...generateTerminalKeys() })).ok).toBe(true);
    const takeover = await enrol(h.fx.platform.url, spare, { terminalId, ...generateTerminalKeys() });
    expect(!takeover.ok && takeover.error).toMatchObject({ kind: 'final', status: 403 });
    expect(!takeover.ok && takeover.error.reason).toMatch(/already-enrolled|re-key/);
    // Nor will the platform issue a plain code for it any more.
    expect(() => h.fx.platform.createEnrolmentCode({ terminalId })).toThrow(/already enrolled/);
  });

  it('refuses a code issued for another terminal', async () => {
    const code = h.fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0600' });
    const result = await enrol(h.fx.platform.url, code, { terminalId: h.fx.terminalId, ...generateTerminalKeys() });
    expect(!result.ok && result.error).toMatchObject({ kind: 'final', status: 403 });
    // …nor to claim a terminal id nobody has enrolled yet (a squatter would then own it).
    const squat = await enrol(h.fx.platform.url, code, { terminalId: 'QS-LX-0700', ...generateTerminalKeys() });
    expect(!squat.ok && squat.error.reason).toMatch(/wrong-terminal|another terminal/);
    const receipt = await verify(h.payload);
    expect(receipt.valid).toBe(true); // the real terminal's key is untouched
  });

  it("re-keys only with an admin's code, keeps old receipts valid, and audits who allowed it", async () => {
    const before = new Date(Date.now() - 60_000);
    const oldReceipt = receiptPayloadFor(h.fx, h.submission, h.caseNumber, before);

    const admin = new HallClient(h.fx.platform.url);
    expect(await admin.signIn('zhao.admin')).toBe(303);
    await admin.get('/hall/admin/terminals');
    const issued = await admin.post('/hall/admin/terminals/code', { terminalId: h.fx.terminalId, rekey: 'yes' });
    expect(issued.response.status).toBe(200);
    const code = /<p class="big">([0-9A-Z]{4}-[0-9A-Z]{4})<\/p>/.exec(issued.body)?.[1] ?? '';
    const newKeys = generateTerminalKeys();
    expect((await enrol(h.fx.platform.url, code, { terminalId: h.fx.terminalId, ...newKeys })).ok).toBe(true);

    expect((await verify(oldReceipt)).valid).toBe(true);
    // The retired key vouches for nothing issued after it was retired.
    const forged = receiptPayloadFor(h.fx, h.submission, h.caseNumber, new Date(Date.now() + 60_000));
    expect((await verify(forged)).valid).toBe(false);
    const fresh = receiptPayloadFor(h.fx, h.submission, h.caseNumber, new Date(), newKeys.privateKey);
    expect((await verify(fresh)).valid).toBe(true);

    const audit = await admin.get('/hall/admin/audit');
    expect(audit.body).toMatch(/zhao\.admin<\/td><td>签发终端注册码<\/td><td><\/td><td>QS-LX-0001<\/td><td>rekey/);
    expect(audit.body).toMatch(/zhao\.admin<\/td><td>终端更换密钥<\/td><td><\/td><td>QS-LX-0001/);
  });
});
