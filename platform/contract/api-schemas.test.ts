import { describe, expect, it } from 'vitest';
import {
  applicationSubmissionSchema,
  enrolRequestSchema,
  fieldErrorsOf,
  heartbeatRequestSchema,
  problemDetailsSchema,
  ratingRequestSchema,
  receiptVerifyRequestSchema,
  receiptVerifyResponseSchema,
} from './api-schemas';

const hash = 'a'.repeat(64);
const validSubmission = {
  id: '3f6c1d2e-8a4b-4c5d-9e0f-123456789abc',
  localNumber: 'QSLX01-20261124-0007',
  terminalId: 'QS-LX-0001',
  serviceCode: 'PENSION-CERT',
  createdAt: '2026-11-24T16:00:00+08:00',
  applicant: {
    cardType: 'resident',
    name: '张三丰',
    gender: 'male',
    birthDate: '19491231',
    idNumber: '110105194912310021',
  },
  answers: { phone: '13800138000', 'living-at-address': true },
  attachments: [{ sha256: hash, mime: 'image/jpeg', size: 1234, label: 'face' }],
  signatureSha256: hash,
  consent: { accepted: true, textVersion: 'v1', at: '2026-11-24T16:00:00+08:00' },
};

describe('api schemas', () => {
  it('accepts a complete submission and names each wrong field', () => {
    expect(applicationSubmissionSchema.safeParse(validSubmission).success).toBe(true);
    const bad = applicationSubmissionSchema.safeParse({
      ...validSubmission,
      id: 'not-a-uuid',
      attachments: [{ ...validSubmission.attachments[0], sha256: 'XYZ' }],
      consent: { ...validSubmission.consent, accepted: false },
      extra: 1,
    });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(Object.keys(fieldErrorsOf(bad.error)).sort()).toEqual([
      '(body)',
      'attachments.0.sha256',
      'consent.accepted',
      'id',
    ]);
  });

  it('reads RFC 9457 problem details with field errors and unknown extension members', () => {
    const parsed = problemDetailsSchema.parse({
      title: 'Unprocessable',
      status: 422,
      fieldErrors: { id: 'bad' },
      traceId: 'x',
    });
    expect(parsed.type).toBe('about:blank');
    expect(parsed.fieldErrors).toEqual({ id: 'bad' });
    expect(problemDetailsSchema.safeParse({ status: 422 }).success).toBe(false);
  });

  it('bounds ratings, heartbeats and enrolment requests', () => {
    expect(ratingRequestSchema.safeParse({ applicationId: validSubmission.id, level: 5 }).success).toBe(true);
    expect(ratingRequestSchema.safeParse({ applicationId: validSubmission.id, level: 6 }).success).toBe(false);
    expect(
      heartbeatRequestSchema.safeParse({
        version: '0.1.0',
        devices: { printer: 'ready' },
        outboxDepth: 0,
        oldestUnsentAt: null,
      }).success,
    ).toBe(true);
    expect(
      heartbeatRequestSchema.safeParse({ version: '0.1.0', devices: {}, outboxDepth: -1, oldestUnsentAt: null })
        .success,
    ).toBe(false);
    expect(
      enrolRequestSchema.safeParse({ code: 'K7QP-M2XD', terminalId: 'QS-LX-0001', publicKey: 'A'.repeat(43) }).success,
    ).toBe(true);
    expect(
      enrolRequestSchema.safeParse({ code: 'k7qp', terminalId: 'QS-LX-0001', publicKey: 'A'.repeat(43) }).success,
    ).toBe(false);
  });

  it('takes a receipt either as a payload or as number plus code', () => {
    expect(receiptVerifyRequestSchema.safeParse({ payload: 'VK1.x.y' }).success).toBe(true);
    expect(
      receiptVerifyRequestSchema.safeParse({ number: 'YL2026112400001', verificationCode: '12345 67890' }).success,
    ).toBe(true);
    expect(receiptVerifyRequestSchema.safeParse({ number: 'YL2026112400001' }).success).toBe(false);
    expect(receiptVerifyResponseSchema.safeParse({ valid: false, reason: 'bad signature' }).success).toBe(true);
    const paper = {
      valid: true,
      caseNumber: 'YL2026112400001',
      localNumber: 'QSLX01-20261124-0001',
      serviceCode: 'PENSION-CERT',
      maskedName: '王**',
      status: 'accepted',
    };
    expect(receiptVerifyResponseSchema.safeParse(paper).success).toBe(true);
    // Nothing beyond the paper: an application or its documents make the answer invalid.
    expect(receiptVerifyResponseSchema.safeParse({ ...paper, application: { documents: [] } }).success).toBe(false);
  });

  it('takes an optional audit-chain head in the heartbeat', () => {
    const beat = { version: '0.1.0', devices: {}, outboxDepth: 0, oldestUnsentAt: null };
    expect(heartbeatRequestSchema.safeParse(beat).success).toBe(true);
    expect(
      heartbeatRequestSchema.safeParse({ ...beat, auditHead: { sequence: 12, hash: 'a'.repeat(64) } }).success,
    ).toBe(true);
    expect(heartbeatRequestSchema.safeParse({ ...beat, auditHead: { sequence: 12, hash: 'nothex' } }).success).toBe(
      false,
    );
  });
});
