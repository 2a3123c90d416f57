import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { maskIdNumber } from '../../foundation/masking';
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

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('reference platform with the real HTTP client', () => {
  it('takes uploads and a submission, and answers a repeat with the original case number', async () => {
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    await uploadDocuments(fx.client, submission, docs);
    // A retried upload of the same content is fine.
    expect((await fx.client.uploadAttachment(submission.id, sha256Hex(docs.face), 'image/jpeg', docs.face)).ok).toBe(
      true,
    );

    const first = await fx.client.submitApplication(submission, submission.id);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.duplicate).toBe(false);
    expect(first.value.status).toBe('submitted');
    expect(first.value.caseNumber).toMatch(/^YL\d{8}\d{5}$/);

    const again = await fx.client.submitApplication(submission, submission.id);
    expect(again).toEqual({ ok: true, value: { ...first.value, duplicate: true } });

    const status = await fx.client.getApplicationStatus(submission.id);
    expect(status.ok && status.value.caseNumber).toBe(first.value.caseNumber);
    expect(status.ok && status.value.history.map((h) => h.status)).toEqual(['submitted']);
  });

  it('gives concurrent duplicates one case number', async () => {
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    await uploadDocuments(fx.client, submission, docs);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => fx.client.submitApplication(submission, submission.id)),
    );
    const numbers = new Set(results.map((r) => (r.ok ? r.value.caseNumber : 'failed')));
    expect(numbers.size).toBe(1);
    expect([...numbers][0]).toMatch(/^YL/);
    expect(results.filter((r) => r.ok && !r.value.duplicate)).toHaveLength(1);
  });

  it('numbers cases in a daily sequence', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const docs = sampleDocuments();
      const submission = sampleSubmission(fx.terminalId, docs);
      await uploadDocuments(fx.client, submission, docs);
      const r = await fx.client.submitApplication(submission, submission.id);
      if (r.ok) numbers.push(r.value.caseNumber);
    }
    expect(numbers).toHaveLength(2);
    expect(Number(numbers[1]?.slice(-5)) - Number(numbers[0]?.slice(-5))).toBe(1);
  });

  it('refuses invalid bodies and missing attachments with field errors (final)', async () => {
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    const missing = await fx.client.submitApplication(submission, submission.id);
    expect(missing).toEqual({
      ok: false,
      error: {
        kind: 'final',
        status: 422,
        reason: 'Invalid application',
        fieldErrors: { 'attachments.0.sha256': 'not uploaded', signatureSha256: 'not uploaded' },
      },
    });
    await uploadDocuments(fx.client, submission, docs);
    const invalid = await fx.client.submitApplication(
      { ...submission, serviceCode: 'NO-SUCH', consent: { ...submission.consent, at: 'yesterday' } },
      submission.id,
    );
    expect(!invalid.ok && invalid.error.kind === 'final' && invalid.error.status).toBe(422);
    expect(!invalid.ok && invalid.error.kind === 'final' && Object.keys(invalid.error.fieldErrors ?? {})).toEqual([
      'consent.at',
    ]);
    // Answers are checked by the catalogue's rules: a phone that is no mobile, a way out the question
    // does not offer, a missing required answer.
    const badAnswers = await fx.client.submitApplication(
      { ...submission, answers: { phone: 'family:12345', 'living-at-address': 'maybe' } },
      submission.id,
    );
    expect(!badAnswers.ok && badAnswers.error.kind === 'final' && badAnswers.error.fieldErrors).toEqual({
      'answers.phone': 'phone',
      'answers.living-at-address': 'required',
    });
    const wrongKey = await fx.client.submitApplication(submission, '00000000-0000-4000-8000-000000000000');
    expect(!wrongKey.ok && wrongKey.error.kind === 'final' && wrongKey.error.fieldErrors).toEqual({
      id: 'must equal the Idempotency-Key header',
    });
    // Same key, different body: refused rather than silently answered with the first result.
    expect((await fx.client.submitApplication(submission, submission.id)).ok).toBe(true);
    const changed = await fx.client.submitApplication(
      { ...submission, answers: { phone: '13900000000' } },
      submission.id,
    );
    expect(!changed.ok && changed.error.kind === 'final' && changed.error.status).toBe(422);
  });

  it('refuses an upload whose content does not match its address', async () => {
    const docs = sampleDocuments();
    const r = await fx.client.uploadAttachment(
      '6c1a3d56-1f43-4c8b-9a7d-2f1e0b9c8d7e',
      sha256Hex(docs.signature),
      'image/jpeg',
      docs.face,
    );
    expect(!r.ok && r.error.kind === 'final' && r.error.status).toBe(422);
  });

  it('takes a large photo on the attachment route but keeps JSON bodies small', async () => {
    const photo = Buffer.alloc(1024 * 1024, 7);
    expect(
      (await fx.client.uploadAttachment('6c1a3d56-1f43-4c8b-9a7d-2f1e0b9c8d7e', sha256Hex(photo), 'image/jpeg', photo))
        .ok,
    ).toBe(true);
    const tooBig = Buffer.alloc(9 * 1024 * 1024, 1);
    const refused = await fx.client.uploadAttachment(
      '6c1a3d56-1f43-4c8b-9a7d-2f1e0b9c8d7e',
      sha256Hex(tooBig),
      'image/jpeg',
      tooBig,
    );
    expect(!refused.ok && refused.error.kind === 'final' && refused.error.status).toBe(413);
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    const bloated = await fx.client.submitApplication(
      { ...submission, answers: { note: 'x'.repeat(300 * 1024) } },
      submission.id,
    );
    expect(!bloated.ok && bloated.error.kind === 'final' && bloated.error.status).toBe(413);
  });

  it('serves the catalogue with an ETag and answers 304 to If-None-Match', async () => {
    const first = await fx.client.fetchCatalog(null);
    expect(first.ok).toBe(true);
    if (!first.ok || first.value.notModified) return;
    expect(first.value.body).toEqual(JSON.parse(JSON.stringify(embeddedCatalogue)));
    expect(first.value.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(await fx.client.fetchCatalog(first.value.etag)).toEqual({ ok: true, value: { notModified: true } });
    const stale = await fx.client.fetchCatalog('"something-else"');
    expect(stale.ok && !stale.value.notModified).toBe(true);
  });

  it('takes ratings (a repeat replaces) and heartbeats', async () => {
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    await uploadDocuments(fx.client, submission, docs);
    const submitted = await fx.client.submitApplication(submission, submission.id);
    const caseNumber = submitted.ok ? submitted.value.caseNumber : '';
    expect(
      (await fx.client.submitRating({ applicationId: submission.id, caseNumber, level: 2, reasons: ['等待时间长'] }))
        .ok,
    ).toBe(true);
    expect((await fx.client.submitRating({ applicationId: submission.id, caseNumber, level: 5 })).ok).toBe(true);
    const unknown = await fx.client.submitRating({ applicationId: '6c1a3d56-1f43-4c8b-9a7d-2f1e0b9c8d7e', level: 5 });
    expect(!unknown.ok && unknown.error.kind === 'final' && unknown.error.status).toBe(404);
    expect(
      (
        await fx.client.heartbeat({
          version: '0.1.0',
          devices: { printer: 'ready', idReader: 'ready' },
          outboxDepth: 3,
          oldestUnsentAt: null,
        })
      ).ok,
    ).toBe(true);
  });

  it('keeps personal data out of its pino log', async () => {
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    const logged = await startPlatformFixture({ log: pino({ level: 'debug' }, sink) });
    try {
      const docs = sampleDocuments();
      const submission = sampleSubmission(logged.terminalId, docs);
      await uploadDocuments(logged.client, submission, docs);
      expect((await logged.client.submitApplication(submission, submission.id)).ok).toBe(true);
      expect((await logged.client.submitApplication({ ...submission, answers: {} }, submission.id)).ok).toBe(false);
      expect((await logged.client.getApplicationStatus(submission.id)).ok).toBe(true);
      expect((await logged.client.submitRating({ applicationId: submission.id, level: 1, comment: '太慢了' })).ok).toBe(
        true,
      );
    } finally {
      await logged.close();
    }
    expect(text).toContain('"msg":"application received"');
    for (const secret of [
      applicantName,
      applicantIdNumber,
      '青石镇柳溪村8组12号',
      '13812345678',
      '19491231',
      '太慢了',
      maskIdNumber(applicantIdNumber),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
