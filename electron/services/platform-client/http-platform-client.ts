/**
 * PlatformPort over the reference HTTP contract (docs/platform-contract.md), with Node's global fetch.
 * Every request is signed (platform/contract/http-signature.ts) and bounded by a timeout that
 * covers the body too. Responses become values: 2xx ok; 408, 429, 5xx, resets and timeouts
 * retryable (honouring Retry-After); other 4xx final with the problem's reason and field errors.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import {
  applicationAcceptedSchema,
  diagnosticsStoredSchema,
  applicationStatusSchema,
  documentResponseSchema,
  enrolResponseSchema,
  problemDetailsSchema,
  receiptVerifyResponseSchema,
  type EnrolResponse,
  type ReceiptVerifyRequest,
  type ReceiptVerifyResponse,
  type DocumentRequest,
  type DocumentResponse,
} from '../../../platform/contract/api-schemas';
import { signRequest } from '../../../platform/contract/http-signature';
import { publicKeyBase64Url } from '../../../platform/contract/terminal-identity';
import { isFinalStatus, type PlatformHold, type PlatformPort, type PortFailure } from '../outbox/platform-port';
import {
  callConsentSchema,
  callEndRequestSchema,
  callEventsSchema,
  callQueuedSchema,
  rtcSignalSchema,
} from '../../../platform/contract/remote-help';
import type { RemoteHelpPort } from '../remote-help/remote-help-port';
import { createPlatformClock, type PlatformClock } from './platform-clock';

export interface HttpOptions {
  readonly timeoutMs?: number;
  /** Injectable for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly log?: Log;
}

export interface HttpPlatformClientOptions extends HttpOptions {
  readonly baseUrl: string;
  readonly terminalId: string;
  readonly privateKey: KeyObject;
  /** Signing time corrected from the platform's Date header; one per link, so the fleet can read the offset. */
  readonly clock?: PlatformClock;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** Terminal clock minus the platform's, measured from this answer's Date header. */
  readonly clockOffsetMs?: number | null;
}

interface SendRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Signed with this key id and key; unsigned when absent (receipt checks). */
  readonly signer?: { keyId: string; privateKey: KeyObject };
  /** Ends the request early (a long poll of a call that ended meanwhile). */
  readonly abort?: AbortSignal;
  /** This request's own timeout (a long poll waits longer than an ordinary request). */
  readonly timeoutMs?: number;
}

const defaultTimeoutMs = 15_000;
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `network error: ${detail}`;
}

/** Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** A 401 that is about the terminal (its clock, its enrolment), not about what it sent. */
function holdOf(signatureRefusal: string | undefined, clockOffsetMs: number | null): PlatformHold | null {
  if (signatureRefusal === 'stale-date' || signatureRefusal === 'future-date')
    return { kind: 'clock', offsetMs: clockOffsetMs };
  if (signatureRefusal === 'unknown-key') return { kind: 'not-enrolled' };
  return null;
}

/** Status → failure, for responses that are not the expected success. */
export function failureOfResponse(response: RawResponse, now: Date): PortFailure {
  const problem = problemDetailsSchema.safeParse(safeJson(response.body));
  const reason = problem.success
    ? [problem.data.title, problem.data.detail].filter((s) => s !== undefined && s !== '').join(': ')
    : `HTTP ${response.status}`;
  if (response.status === 401) {
    const hold = holdOf(problem.success ? problem.data.reason : undefined, response.clockOffsetMs ?? null);
    if (hold !== null) return { kind: 'held', hold, reason: `401 ${reason}` };
  }
  if (isFinalStatus(response.status)) {
    const fieldErrors = problem.success ? problem.data.fieldErrors : undefined;
    return fieldErrors === undefined
      ? { kind: 'final', status: response.status, reason }
      : { kind: 'final', status: response.status, reason, fieldErrors };
  }
  if (response.status >= 300 && response.status < 400)
    return {
      kind: 'final',
      status: response.status,
      reason: `unexpected redirect (HTTP ${response.status}); check the platform URL`,
    };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  // 408, 429, 5xx, and an unexpected 1xx/2xx: a repeat is safe (idempotent resources) and may succeed.
  return retryAfterMs === undefined ? { kind: 'retryable', reason } : { kind: 'retryable', reason, retryAfterMs };
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function send(
  baseUrl: string,
  request: SendRequest,
  options: HttpOptions & { readonly clock?: PlatformClock },
): Promise<Result<RawResponse, PortFailure>> {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs;
  const url = new URL(request.path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...request.headers };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.signer !== undefined)
    Object.assign(
      headers,
      signRequest(
        { method: request.method, url, body: request.body },
        request.signer,
        (options.clock ?? { now }).now(),
      ),
    );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = performance.now(); // the request's duration, for the log
  const sentAt = now().getTime();
  try {
    const response = await fetchFn(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : new Uint8Array(request.body),
      signal: request.abort === undefined ? controller.signal : AbortSignal.any([controller.signal, request.abort]),
      redirect: 'manual',
    });
    const body = Buffer.from(await response.arrayBuffer()); // inside the timeout: a stalled body is a timeout too
    const clockOffsetMs = options.clock?.observe(response.headers.get('date'), sentAt, now().getTime()) ?? null;
    options.log?.debug(
      {
        method: request.method,
        path: new URL(url).pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      'platform request',
    );
    return ok({ status: response.status, headers: response.headers, body, clockOffsetMs });
  } catch (error) {
    const reason = controller.signal.aborted
      ? `timeout after ${timeoutMs} ms`
      : request.abort?.aborted === true
        ? 'aborted'
        : describeNetworkError(error);
    options.log?.debug({ method: request.method, path: new URL(url).pathname, reason }, 'platform request failed');
    return err({ kind: 'retryable', reason });
  } finally {
    clearTimeout(timer);
  }
}

/** Expected statuses → parsed body; anything else → failure. A 2xx with a body we cannot read is retried (all resources are idempotent). */
function expect<S extends z.ZodType>(
  response: Result<RawResponse, PortFailure>,
  statuses: readonly number[],
  schema: S,
  now: Date,
): Result<{ status: number; body: z.infer<S>; headers: Headers }, PortFailure> {
  if (!response.ok) return response;
  const { status, body, headers } = response.value;
  if (!statuses.includes(status)) return err(failureOfResponse(response.value, now));
  const parsed = schema.safeParse(body.length === 0 ? undefined : safeJson(body));
  if (!parsed.success) return err({ kind: 'retryable', reason: `unreadable response to HTTP ${status}` });
  return ok({ status, body: parsed.data, headers });
}

export function createHttpPlatformClient(options: HttpPlatformClientOptions): PlatformPort {
  const signer = { keyId: options.terminalId, privateKey: options.privateKey };
  const now = () => (options.now ?? (() => new Date()))();
  const clock =
    options.clock ??
    createPlatformClock({ localNow: () => now().getTime(), ...(options.log ? { log: options.log } : {}) });
  const call = (request: Omit<SendRequest, 'signer'>) =>
    send(options.baseUrl, { ...request, signer }, { ...options, clock });
  const log = options.log;
  const noteFinal = <T>(result: Result<T, PortFailure>, what: string): Result<T, PortFailure> => {
    if (!result.ok && result.error.kind === 'final')
      log?.warn({ status: result.error.status, reason: result.error.reason }, `${what} refused by the platform`);
    if (!result.ok && result.error.kind === 'held')
      log?.warn(
        { hold: result.error.hold, reason: result.error.reason },
        `${what} held: the platform refuses this terminal`,
      );
    return result;
  };
  const anyBody = z.unknown();

  return {
    async uploadAttachment(applicationId, sha256, mime, bytes) {
      const path = `v1/applications/${encodeURIComponent(applicationId)}/attachments/${encodeURIComponent(sha256)}`;
      const result = expect(
        await call({ method: 'PUT', path, body: bytes, contentType: mime }),
        [200, 201],
        anyBody,
        now(),
      );
      return noteFinal(result.ok ? ok() : result, 'attachment');
    },

    async submitApplication(submission, idempotencyKey) {
      const response = await call({
        method: 'POST',
        path: 'v1/applications',
        body: json(submission),
        contentType: 'application/json',
        headers: { 'idempotency-key': idempotencyKey },
      });
      const result = expect(response, [200, 201], applicationAcceptedSchema, now());
      if (!result.ok) return noteFinal(result, 'application');
      const { body, status } = result.value;
      return ok({
        caseNumber: body.caseNumber,
        status: body.status,
        duplicate: status === 200,
        ...(body.remoteAssistance === undefined ? {} : { remoteAssistance: body.remoteAssistance }),
      });
    },

    async getApplicationStatus(applicationId) {
      const result = expect(
        await call({ method: 'GET', path: `v1/applications/${encodeURIComponent(applicationId)}` }),
        [200],
        applicationStatusSchema,
        now(),
      );
      if (!result.ok) return noteFinal(result, 'status query');
      const { status, caseNumber, history } = result.value.body;
      return ok({ status, caseNumber, history });
    },

    async submitRating(rating) {
      const result = expect(
        await call({ method: 'POST', path: 'v1/ratings', body: json(rating), contentType: 'application/json' }),
        [200, 201],
        anyBody,
        now(),
      );
      return noteFinal(result.ok ? ok() : result, 'rating');
    },

    async uploadDiagnostics(bundle) {
      const path = `v1/terminals/${encodeURIComponent(options.terminalId)}/diagnostics`;
      const result = expect(
        await call({ method: 'PUT', path, body: Buffer.from(bundle), contentType: 'application/json' }),
        [201],
        diagnosticsStoredSchema,
        now(),
      );
      return noteFinal(result.ok ? ok(result.value.body) : result, 'diagnostics');
    },

    async heartbeat(beat) {
      const path = `v1/terminals/${encodeURIComponent(options.terminalId)}/heartbeat`;
      const result = expect(
        await call({ method: 'POST', path, body: json(beat), contentType: 'application/json' }),
        [200, 204],
        anyBody,
        now(),
      );
      return noteFinal(result.ok ? ok() : result, 'heartbeat');
    },

    async fetchCatalog(etag) {
      const response = await call({
        method: 'GET',
        path: 'v1/catalog',
        headers: etag === null ? {} : { 'if-none-match': etag },
      });
      if (response.ok && response.value.status === 304) return ok({ notModified: true as const });
      const result = expect(response, [200], anyBody, now());
      if (!result.ok) return noteFinal(result, 'catalogue');
      if (result.value.body === undefined) return err({ kind: 'retryable', reason: 'empty catalogue response' });
      return ok({ notModified: false as const, etag: result.value.headers.get('etag') ?? '', body: result.value.body });
    },
  };
}

export interface EnrolIdentity {
  readonly terminalId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * For calls answered at once (not queued): a refusal for the terminal's clock has just corrected the
 * clock from that answer's Date header, so one more try at the platform's time may pass.
 */
async function onceMoreForClock<T>(attempt: () => Promise<Result<T, PortFailure>>): Promise<Result<T, PortFailure>> {
  const first = await attempt();
  return !first.ok && first.error.kind === 'held' && first.error.hold.kind === 'clock' ? attempt() : first;
}

/**
 * Registers this terminal's public key with a one-time code; the request is signed with the key being
 * enrolled. A refusal for the terminal's clock is tried once more at the platform's time (the code is
 * only spent by an accepted request), so a new terminal with a wrong clock still enrols.
 */
export async function enrol(
  platformUrl: string,
  code: string,
  identity: EnrolIdentity,
  options: HttpOptions = {},
): Promise<Result<EnrolResponse, PortFailure>> {
  const body = json({
    code: code.trim().toUpperCase(),
    terminalId: identity.terminalId,
    publicKey: publicKeyBase64Url(identity.publicKey),
  });
  const now = options.now ?? (() => new Date());
  const clock = createPlatformClock({ localNow: () => now().getTime(), ...(options.log ? { log: options.log } : {}) });
  const attempt = async () => {
    const response = await send(
      platformUrl,
      {
        method: 'POST',
        path: 'v1/terminals/enrol',
        body,
        contentType: 'application/json',
        signer: { keyId: identity.terminalId, privateKey: identity.privateKey },
      },
      { ...options, clock },
    );
    const result = expect(response, [200, 201], enrolResponseSchema, now());
    return result.ok ? ok(result.value.body) : result;
  };
  return onceMoreForClock(attempt);
}

/** Asks the platform to check a receipt (scanned payload, or number plus verification code). */
export async function receiptVerify(
  platformUrl: string,
  request: ReceiptVerifyRequest,
  options: HttpOptions = {},
): Promise<Result<ReceiptVerifyResponse, PortFailure>> {
  const response = await send(
    platformUrl,
    { method: 'POST', path: 'v1/receipts/verify', body: json(request), contentType: 'application/json' },
    options,
  );
  const result = expect(response, [200], receiptVerifyResponseSchema, (options.now ?? (() => new Date()))());
  return result.ok ? ok(result.value.body) : result;
}

/** Asks the platform for a proof or record (查询打印), signed by the terminal; the PDF comes back whole. */
export async function requestDocument(
  options: HttpPlatformClientOptions,
  request: DocumentRequest,
): Promise<Result<DocumentResponse, PortFailure>> {
  return onceMoreForClock(async () => {
    const response = await send(
      options.baseUrl,
      {
        method: 'POST',
        path: 'v1/documents',
        body: json(request),
        contentType: 'application/json',
        signer: { keyId: options.terminalId, privateKey: options.privateKey },
      },
      options,
    );
    const result = expect(response, [200], documentResponseSchema, (options.now ?? (() => new Date()))());
    return result.ok ? ok(result.value.body) : result;
  });
}

/**
 * The remote-help calls (docs/remote-help.md), signed with the terminal's key. The long poll gets
 * its own timeout: the platform holds it about 20 s, so the ordinary request timeout would cut it.
 */
export function createRemoteHelpClient(options: HttpPlatformClientOptions): RemoteHelpPort {
  const signer = { keyId: options.terminalId, privateKey: options.privateKey };
  const now = () => (options.now ?? (() => new Date()))();
  const call = (request: Omit<SendRequest, 'signer'>) => send(options.baseUrl, { ...request, signer }, options);
  const callPath = (callId: string) => `v1/remote-help/calls/${encodeURIComponent(callId)}`;
  const post = (path: string, body: unknown) =>
    call({ method: 'POST', path, body: json(body), contentType: 'application/json' });
  return {
    async queueCall(request) {
      const result = expect(await post('v1/remote-help/calls', request), [200, 201], callQueuedSchema, now());
      return result.ok ? ok(result.value.body) : result;
    },
    async callEvents(callId, after, abort) {
      const response = await call({
        method: 'GET',
        path: `${callPath(callId)}/events?after=${after}`,
        abort,
        timeoutMs: longPollTimeoutMs,
      });
      const result = expect(response, [200], callEventsSchema, now());
      return result.ok ? ok(result.value.body) : result;
    },
    async consentCall(callId, consent) {
      const result = expect(
        await post(`${callPath(callId)}/consent`, callConsentSchema.parse(consent)),
        [200, 204],
        z.unknown(),
        now(),
      );
      return result.ok ? ok() : result;
    },
    async sendSignal(callId, signal) {
      const result = expect(
        await post(`${callPath(callId)}/signals`, rtcSignalSchema.parse(signal)),
        [200, 201, 202, 204],
        z.unknown(),
        now(),
      );
      return result.ok ? ok() : result;
    },
    async endCall(callId, reason) {
      const result = expect(
        await post(`${callPath(callId)}/end`, callEndRequestSchema.parse({ reason })),
        [200, 204],
        z.unknown(),
        now(),
      );
      return result.ok ? ok() : result;
    },
  };
}

/** The platform answers a call's long poll within about 20 s; this leaves room for a slow link. */
export const longPollTimeoutMs = 35_000;
