import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformPort } from '../../electron/services/outbox/platform-port';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import {
  sampleDocuments,
  sampleSubmission,
  startPlatformFixture,
  uploadDocuments,
  type PlatformFixture,
} from '../support/platform-fixture';

let fx: PlatformFixture;
let proxy: FaultProxy;
let client: PlatformPort;

beforeAll(async () => {
  fx = await startPlatformFixture();
  proxy = await startFaultProxy(fx.platform.url);
  client = fx.clientFor(proxy.url, 800);
});
afterEach(() => {
  proxy.log.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await fx.close();
});

const beat = { version: '0.1.0', devices: {}, outboxDepth: 0, oldestUnsentAt: null };

describe('the HTTP client through a misbehaving network', () => {
  it('passes signed requests through unchanged', async () => {
    expect((await client.heartbeat(beat)).ok).toBe(true);
    expect(proxy.log.map((r) => r.fault)).toEqual(['pass']);
  });

  it('treats 500, 503 and 408 as retryable, and honours Retry-After on 429 (seconds and HTTP-date)', async () => {
    proxy.next(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503, retryAfter: '7' },
      { kind: 'status', status: 408 },
    );
    expect(await client.heartbeat(beat)).toEqual({ ok: false, error: { kind: 'retryable', reason: 'injected 500' } });
    expect(await client.heartbeat(beat)).toEqual({
      ok: false,
      error: { kind: 'retryable', reason: 'injected 503', retryAfterMs: 7000 },
    });
    expect(await client.heartbeat(beat)).toMatchObject({ ok: false, error: { kind: 'retryable' } });
    proxy.next({ kind: 'status', status: 429, retryAfter: '30' });
    expect(await client.heartbeat(beat)).toEqual({
      ok: false,
      error: { kind: 'retryable', reason: 'injected 429', retryAfterMs: 30_000 },
    });
    proxy.next({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const dated = await client.heartbeat(beat);
    const retryAfterMs = !dated.ok && dated.error.kind === 'retryable' ? (dated.error.retryAfterMs ?? 0) : 0;
    expect(retryAfterMs).toBeGreaterThan(55_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('treats closed connections, resets mid-body, slow answers and refused connections as retryable', async () => {
    proxy.next({ kind: 'close' });
    const closed = await client.fetchCatalog(null);
    expect(!closed.ok && closed.error.kind).toBe('retryable');
    expect(!closed.ok && closed.error.reason).toMatch(/^network error/);

    proxy.next({ kind: 'reset-mid-body', afterBytes: 200 });
    const cut = await client.fetchCatalog(null);
    expect(!cut.ok && cut.error.kind).toBe('retryable');

    proxy.next({ kind: 'hang' });
    const started = Date.now();
    expect(await client.fetchCatalog(null)).toEqual({
      ok: false,
      error: { kind: 'retryable', reason: 'timeout after 800 ms' },
    });
    expect(Date.now() - started).toBeLessThan(3000);

    proxy.next({ kind: 'delay', ms: 100 });
    expect((await client.fetchCatalog(null)).ok).toBe(true);

    await proxy.down();
    const refused = await client.heartbeat(beat);
    // Refused when the client dials anew; "closed" when it had a pooled connection the proxy just cut.
    // Either is the same to the outbox: a network error, retried later.
    expect(!refused.ok && refused.error.kind).toBe('retryable');
    expect(!refused.ok && refused.error.reason).toMatch(
      /^network error: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed)/,
    );
    await proxy.up();
    expect((await client.heartbeat(beat)).ok).toBe(true);
  });

  it('delivers exactly once when the answer to a processed submission is lost', async () => {
    const docs = sampleDocuments();
    const submission = sampleSubmission(fx.terminalId, docs);
    await uploadDocuments(client, submission, docs);
    proxy.next({ kind: 'drop-after-forward' });
    const lost = await client.submitApplication(submission, submission.id);
    expect(!lost.ok && lost.error.kind).toBe('retryable');
    proxy.next({ kind: 'reset-mid-body', afterBytes: 10 });
    expect((await client.submitApplication(submission, submission.id)).ok).toBe(false);
    const retried = await client.submitApplication(submission, submission.id);
    expect(retried.ok && retried.value.duplicate).toBe(true);
    const status = await fx.client.getApplicationStatus(submission.id);
    expect(status.ok && retried.ok && status.value.caseNumber === retried.value.caseNumber).toBe(true);
  });
});
