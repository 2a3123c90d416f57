/**
 * Attacker: anyone with a receipt (or a pile of guessed numbers) calling the unsigned receipt
 * check. It answers only what the paper shows, is rate-limited, and refuses oversized bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verificationCode } from '../../platform/contract/receipt-payload';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { applicantIdNumber, applicantName, sha256Hex } from '../support/platform-fixture';

let h: HallFixture;
beforeAll(async () => {
  h = await startHallFixture({ rateLimits: { receiptVerify: 8 } });
});
afterAll(async () => {
  await h.close();
});

const verify = (body: unknown) =>
  fetch(`${h.fx.platform.url}/v1/receipts/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /v1/receipts/verify', () => {
  it('answers a genuine receipt with what the paper shows and nothing of the application', async () => {
    const byPayload = await verify({ payload: h.payload });
    const code = verificationCode({
      terminalId: h.fx.terminalId,
      applicationId: h.submission.id,
      localNumber: h.submission.localNumber,
    });
    const byCode = await verify({ number: h.caseNumber, verificationCode: code });
    for (const response of [byPayload, byCode]) {
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(
        ['caseNumber', 'localNumber', 'maskedName', 'serviceCode', 'status', 'valid'].sort(),
      );
      for (const secret of [
        h.submission.id,
        sha256Hex(h.docs.face),
        applicantName,
        applicantIdNumber,
        '13812345678',
        '青石镇',
        '本人正面照片',
        'documents',
        'history',
      ])
        expect(text, secret).not.toContain(secret);
    }
  });

  it('refuses a body past the size limit without reading it whole', async () => {
    const response = await verify({ payload: 'A'.repeat(300 * 1024) });
    expect(response.status).toBe(413);
  });
  it('is rate-limited per address', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        (await verify({ number: `YL2026010100${String(i).padStart(3, '0')}`, verificationCode: '0000000000' })).status,
      );
    expect(answers).toContain(429);
    expect(answers.filter((s) => s === 200).length).toBeLessThanOrEqual(8);
  });
});
