import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WireApplicationSubmission } from '../../../platform/contract/api-schemas';
import { verifyRequest } from '../../../platform/contract/http-signature';
import type { ApplicationSubmission } from '../outbox/platform-port';
import { createHttpPlatformClient, failureOfResponse, parseRetryAfter } from './http-platform-client';

const now = new Date('2026-11-24T08:00:00Z');
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: Buffer.from(JSON.stringify(body)),
});

describe('response mapping', () => {
  it('reads Retry-After as seconds or an HTTP-date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('makes 4xx final with the problem reason and field errors, and 408/429/5xx retryable', () => {
    expect(
      failureOfResponse(response(422, { title: 'Invalid application', status: 422, fieldErrors: { id: 'bad' } }), now),
    ).toEqual({ kind: 'final', status: 422, reason: 'Invalid application', fieldErrors: { id: 'bad' } });
    expect(failureOfResponse(response(404, 'not json either'), now)).toEqual({
      kind: 'final',
      status: 404,
      reason: 'HTTP 404',
    });
    expect(failureOfResponse(response(429, {}, { 'retry-after': '5' }), now)).toEqual({
      kind: 'retryable',
      reason: 'HTTP 429',
      retryAfterMs: 5000,
    });
    expect(failureOfResponse(response(408, {}), now)).toEqual({ kind: 'retryable', reason: 'HTTP 408' });
    expect(failureOfResponse(response(502, { title: 'Bad gateway', status: 502, detail: 'upstream' }), now)).toEqual({
      kind: 'retryable',
      reason: 'Bad gateway: upstream',
    });
    expect(failureOfResponse(response(302, {}), now).kind).toBe('final');
  });
});

describe('requests', () => {
  it('signs what it sends, with the idempotency key, and reads 200 as a duplicate', async () => {
    const keys = generateKeyPairSync('ed25519');
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fakeFetch = ((url: string, init: RequestInit) => {
      seen.push({ url, init });
      return Promise.resolve(
        new Response(
          JSON.stringify({
            applicationId: '3f6c1d2e-8a4b-4c5d-9e0f-123456789abc',
            caseNumber: 'YL2026112400001',
            status: 'submitted',
            receivedAt: now.toISOString(),
            duplicate: true,
          }),
          { status: 200 },
        ),
      );
    }) as unknown as typeof fetch;
    const client = createHttpPlatformClient({
      baseUrl: 'http://platform.test/base',
      terminalId: 'QS-LX-0001',
      privateKey: keys.privateKey,
      fetch: fakeFetch,
      now: () => now,
    });
    const submission = { id: '3f6c1d2e-8a4b-4c5d-9e0f-123456789abc' } as ApplicationSubmission;
    expect(await client.submitApplication(submission, submission.id)).toEqual({
      ok: true,
      value: { caseNumber: 'YL2026112400001', status: 'submitted', duplicate: true },
    });
    const sent = seen[0];
    expect(sent?.url).toBe('http://platform.test/base/v1/applications');
    const headers = sent?.init.headers as Record<string, string>;
    expect(headers['idempotency-key']).toBe(submission.id);
    const verified = verifyRequest(
      { method: 'POST', url: sent?.url ?? '', headers, body: Buffer.from(sent?.init.body as Uint8Array) },
      { resolveKey: () => keys.publicKey, now },
    );
    expect(verified.ok).toBe(true);
  });

  it('keeps the wire schema and the outbox type the same shape', () => {
    expectTypeOf<WireApplicationSubmission>().toEqualTypeOf<ApplicationSubmission>();
  });
});
