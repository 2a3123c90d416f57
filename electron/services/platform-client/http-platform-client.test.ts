import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WireApplicationSubmission } from '../../../platform/contract/api-schemas';
import { verifyRequest } from '../../../platform/contract/http-signature';
import type { ApplicationSubmission } from '../outbox/platform-port';
import {
  createHttpPlatformClient,
  createRemoteHelpClient,
  failureOfResponse,
  parseRetryAfter,
} from './http-platform-client';

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

describe('remote help calls', () => {
  const keys = generateKeyPairSync('ed25519');
  const callId = '3f6c1d2e-8a4b-4c5d-9e0f-123456789abc';
  const clientWith = (fakeFetch: (url: string, init: RequestInit) => Promise<Response>) =>
    createRemoteHelpClient({
      baseUrl: 'http://platform.test/',
      terminalId: 'QS-LX-0001',
      privateKey: keys.privateKey,
      fetch: fakeFetch as unknown as typeof fetch,
      now: () => now,
      timeoutMs: 50,
    });

  it('signs every call, polls after the last event, and checks what comes back', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const client = clientWith((url, init) => {
      seen.push({ url, init });
      return Promise.resolve(
        new Response(
          JSON.stringify({ events: [{ seq: 4, event: { type: 'queued', position: 2, expectedWaitSeconds: 40 } }] }),
        ),
      );
    });
    expect(await client.callEvents(callId, 3, new AbortController().signal)).toEqual({
      ok: true,
      value: { events: [{ seq: 4, event: { type: 'queued', position: 2, expectedWaitSeconds: 40 } }] },
    });
    expect(seen[0]?.url).toBe(`http://platform.test/v1/remote-help/calls/${callId}/events?after=3`);
    const headers = seen[0]?.init.headers as Record<string, string>;
    const verified = verifyRequest(
      { method: 'GET', url: seen[0]?.url ?? '', headers, body: new Uint8Array() },
      { resolveKey: () => keys.publicKey, now },
    );
    expect(verified.ok).toBe(true);
  });

  it('an event the contract does not know is an unreadable answer, not passed on', async () => {
    const client = clientWith(() =>
      Promise.resolve(new Response(JSON.stringify({ events: [{ seq: 1, event: { type: 'eval', code: 'x' } }] }))),
    );
    expect(await client.callEvents(callId, 0, new AbortController().signal)).toMatchObject({
      ok: false,
      error: { kind: 'retryable' },
    });
  });

  it('gives a long poll longer than the ordinary timeout, and stops it when aborted', async () => {
    const abort = new AbortController();
    const client = clientWith(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const polling = client.callEvents(callId, 0, abort.signal);
    // The ordinary 50 ms timeout would have ended it by now; the poll is still waiting.
    const quick = await client.endCall(callId, 'hung-up');
    expect(quick).toMatchObject({ ok: false, error: { reason: 'timeout after 50 ms' } });
    abort.abort();
    expect(await polling).toEqual({ ok: false, error: { kind: 'retryable', reason: 'aborted' } });
  });

  it('sends signals and the end as the contract says', async () => {
    const bodies: unknown[] = [];
    const client = clientWith((_url, init) => {
      bodies.push(JSON.parse(Buffer.from(init.body as Uint8Array).toString()));
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    expect(await client.sendSignal(callId, { description: { type: 'answer', sdp: 'v=0' } })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await client.endCall(callId, 'gave-up')).toEqual({ ok: true, value: undefined });
    expect(bodies).toEqual([{ description: { type: 'answer', sdp: 'v=0' } }, { reason: 'gave-up' }]);
  });
});
