import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationSubmission } from '../../electron/services/outbox/platform-port';
import { receiptVerify } from '../../electron/services/platform-client/http-platform-client';
import { maskIdNumber, maskName } from '../../foundation/masking';
import {
  createReceiptPayload,
  formatVerificationCode,
  verificationCode,
} from '../../platform/contract/receipt-payload';
import {
  applicantIdNumber,
  applicantName,
  sampleDocuments,
  sampleSubmission,
  sha256Hex,
  startPlatformFixture,
  uploadDocuments,
  type PlatformFixture,
} from '../support/platform-fixture';
import { addHallAccount, HallClient } from '../support/hall-client';

let fx: PlatformFixture;
let submission: ApplicationSubmission;
let caseNumber: string;
let docs: { face: Buffer; signature: Buffer };

beforeAll(async () => {
  fx = await startPlatformFixture();
  docs = sampleDocuments();
  submission = sampleSubmission(fx.terminalId, docs);
  submission = {
    ...submission,
    attachments: [{ ...submission.attachments[0]!, label: '<script>alert(1)</script>照片' }],
  };
  await uploadDocuments(fx.client, submission, docs);
  const submitted = await fx.client.submitApplication(submission, submission.id);
  if (!submitted.ok) throw new Error('submit failed');
  caseNumber = submitted.value.caseNumber;
});
afterAll(async () => {
  await fx.close();
});

function receiptFor(s: ApplicationSubmission, number: string | null): string {
  const made = createReceiptPayload(
    {
      terminalId: s.terminalId,
      applicationId: s.id,
      localNumber: s.localNumber,
      caseNumber: number,
      serviceCode: s.serviceCode,
      issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
      applicant: { maskedName: maskName(s.applicant.name), maskedIdNumber: maskIdNumber(s.applicant.idNumber) },
    },
    fx.keys.privateKey,
  );
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

describe('POST /v1/receipts/verify', () => {
  it('says a genuine receipt is genuine, with only what the paper shows', async () => {
    const result = await receiptVerify(fx.platform.url, { payload: `${receiptFor(submission, caseNumber)}\r\n` });
    expect(result.ok && result.value).toEqual({
      valid: true,
      caseNumber,
      localNumber: submission.localNumber,
      serviceCode: 'PENSION-CERT',
      maskedName: '欧***',
      status: 'submitted',
    });
  });

  it('says a receipt printed offline is genuine though the application has not arrived', async () => {
    const offline = sampleSubmission(fx.terminalId, sampleDocuments(), randomUUID());
    const result = await receiptVerify(fx.platform.url, { payload: receiptFor(offline, null) });
    expect(result.ok && result.value).toMatchObject({
      valid: true,
      status: null,
      caseNumber: null,
      localNumber: offline.localNumber,
    });
  });

  it('refuses altered receipts, receipts of unknown terminals, and wrong manual codes', async () => {
    const payload = receiptFor(submission, caseNumber);
    const altered = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    const r1 = await receiptVerify(fx.platform.url, { payload: altered });
    expect(r1.ok && r1.value.valid).toBe(false);
    const wrongCase = await receiptVerify(fx.platform.url, { payload: receiptFor(submission, 'YL2026010100001') });
    expect(wrongCase.ok && !wrongCase.value.valid && wrongCase.value.reason).toMatch(/does not match/);
    const code = verificationCode({
      terminalId: fx.terminalId,
      applicationId: submission.id,
      localNumber: submission.localNumber,
    });
    const manual = await receiptVerify(fx.platform.url, {
      number: caseNumber,
      verificationCode: formatVerificationCode(code),
    });
    expect(manual.ok && manual.value.valid && manual.value.caseNumber).toBe(caseNumber);
    const byLocal = await receiptVerify(fx.platform.url, { number: submission.localNumber, verificationCode: code });
    expect(byLocal.ok && byLocal.value.valid).toBe(true);
    const wrong = await receiptVerify(fx.platform.url, {
      number: caseNumber,
      verificationCode: code.replace(/^./, (d) => String((Number(d) + 1) % 10)),
    });
    expect(wrong.ok && wrong.value.valid).toBe(false);
  });
});

describe('hall pages, signed in as an officer', () => {
  const hall = () => officer;
  let officer: HallClient;
  beforeAll(async () => {
    await addHallAccount(fx.dataDir, 'li.na', 'officer');
    officer = new HallClient(fx.platform.url);
    expect(await officer.signIn('li.na')).toBe(303);
  });

  it('shows the verified application masked, with escaped document labels, and serves the documents', async () => {
    await hall().get('/hall');
    const { response, body: html } = await hall().post('/hall/verify', { payload: receiptFor(submission, caseNumber) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('回执真实有效');
    expect(html).toContain(caseNumber);
    expect(html).toContain('欧***');
    expect(html).toContain('110105********0021');
    expect(html).not.toContain(applicantName);
    expect(html).not.toContain(applicantIdNumber);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;照片');
    expect(html).toContain('城乡居民养老保险待遇资格认证');
    const doc = await hall().get(`/hall/applications/${submission.id}/documents/${sha256Hex(docs.face)}`);
    expect(doc.response.status).toBe(200);
    expect(doc.response.headers.get('cache-control')).toBe('no-store');
    expect(doc.response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('says why a receipt is invalid', async () => {
    const { response, body: html } = await hall().post('/hall/verify', { payload: 'VK1.garbage.<b>' });
    expect(response.status).toBe(422);
    expect(html).toContain('回执无效');
    expect(html).not.toContain('<b>');
  });

  it('moves the status along and the terminal sees it, refusing impossible moves', async () => {
    const page = `/hall/applications/${submission.id}`;
    await hall().get(page);
    const accept = await hall().post(`${page}/status`, { status: 'accepted', note: '' });
    expect(accept.response.status).toBe(303);
    expect(accept.response.headers.get('location')).toBe(`${page}?updated=accepted`);
    expect((await hall().get(`${page}?updated=accepted`)).body).toContain('状态已更新为：已受理');

    expect((await hall().post(`${page}/status`, { status: 'needs-material', note: '' })).response.status).toBe(422);
    expect(
      (await hall().post(`${page}/status`, { status: 'needs-material', note: '请补交户口簿 <原件>' })).response.status,
    ).toBe(303);
    expect((await hall().post(`${page}/status`, { status: 'completed' })).response.status).toBe(409);
    expect((await hall().post(`${page}/status`, { status: 'accepted' })).response.status).toBe(303);
    expect((await hall().post(`${page}/status`, { status: 'completed' })).response.status).toBe(303);
    expect((await hall().post(`${page}/status`, { status: 'rejected' })).response.status).toBe(409);

    const status = await fx.client.getApplicationStatus(submission.id);
    expect(status.ok && status.value.status).toBe('completed');
    expect(status.ok && status.value.history.map((h) => [h.status, h.note])).toEqual([
      ['submitted', undefined],
      ['accepted', undefined],
      ['needs-material', '请补交户口簿 <原件>'],
      ['accepted', undefined],
      ['completed', undefined],
    ]);
    const html = (await hall().get(page)).body;
    expect(html).toContain('请补交户口簿 &lt;原件&gt;');
    expect(html).toContain('此申报已结束');
  });
});
