/**
 * The /v1 resources terminals call (docs/platform-contract.md). Every request but enrolment and the
 * public receipt check is signed by an enrolled terminal; enrolment is signed by the key being
 * enrolled (proof that the terminal holds it) and needs a one-time code bound to that terminal. Logs carry ids, numbers and outcomes only, never the applicant or the answers.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  applicationSubmissionSchema,
  documentRequestSchema,
  enrolRequestSchema,
  fieldErrorsOf,
  heartbeatRequestSchema,
  maxAttachmentBytes,
  maxDiagnosticsBytes,
  ratingRequestSchema,
  receiptVerifyRequestSchema,
  sha256HexSchema,
  type ApplicationAccepted,
  type ApplicationStatus,
  type WireApplicationSubmission,
} from '../contract/api-schemas';
import type { RemoteAssistance } from '../contract/remote-help';
import { describeSignatureFailure, verifyRequest } from '../contract/http-signature';
import { maskIdNumber, maskName } from '../../foundation/masking';
import { keyFingerprint, parsePublicKey } from '../contract/terminal-identity';
import { canonicalJson } from '../../foundation/canonical-json';
import type { PlatformContext } from './platform-context';
import type { ApplicationRow } from './platform-db';
import { sendProblem } from './problem';
import { checkReceipt, publicAnswer } from './receipt-check';
import type { EnrolmentRefusal } from './platform-db';
import { assertNever } from '../../foundation/result';
import { localDay } from '../../foundation/local-time';
import { checkAnswer } from '../../kiosk-config/answer-rules';
import { containsPersonalPattern } from '../../foundation/personal-patterns';
import { checkDocument, issueDocument } from './documents/document-issuer';
import { escapeHtml } from './html';
import { page } from './hall-pages';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function requestUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${request.url}`;
}

/** The enrolled terminal that signed this request, or null after answering 401. */
export function authenticate(ctx: PlatformContext, request: FastifyRequest, reply: FastifyReply): string | null {
  const verified = verifyRequest(
    { method: request.method, url: requestUrl(request), headers: request.headers, body: rawBody(request) },
    {
      now: ctx.now(),
      windowSeconds: ctx.signatureWindowSeconds,
      resolveKey: (keyId) => {
        const terminal = ctx.store.terminal(keyId);
        if (terminal === undefined) return null;
        const key = parsePublicKey(terminal.public_key);
        return key.ok ? key.value : null;
      },
    },
  );
  if (!verified.ok) {
    ctx.log.warn(
      { refused: verified.error.kind, method: request.method, route: request.routeOptions.url },
      'request signature refused',
    );
    sendProblem(reply, 401, 'Request signature refused', {
      detail: describeSignatureFailure(verified.error),
      reason: verified.error.kind,
    });
    return null;
  }
  ctx.store.touchTerminal(verified.value.keyId, ctx.now());
  return verified.value.keyId;
}

/** Parses the raw body as JSON against a schema; answers 400/422 itself when it cannot. */
export function parseBody<S extends z.ZodType>(
  request: FastifyRequest,
  reply: FastifyReply,
  schema: S,
): z.infer<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(rawBody(request).toString('utf8'));
  } catch {
    sendProblem(reply, 400, 'Body is not JSON');
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    sendProblem(reply, 422, 'Invalid request body', { fieldErrors: fieldErrorsOf(parsed.error) });
    return undefined;
  }
  return parsed.data;
}

function accepted(row: ApplicationRow, duplicate: boolean): ApplicationAccepted {
  return {
    applicationId: row.application_id,
    caseNumber: row.case_number,
    status: row.status,
    receivedAt: row.received_at,
    duplicate,
  };
}

/**
 * A call of this terminal that this officer answered and the resident agreed to (the call's metadata
 * says so): help the resident never consented to is not recorded as help on their case.
 */
function remoteHelpVerified(ctx: PlatformContext, terminalId: string, claim: RemoteAssistance): boolean {
  const call = ctx.remoteHelp.records.call(claim.callId);
  return (
    call !== undefined &&
    call.terminal_id === terminalId &&
    call.answered_at !== null &&
    call.consented_at !== null &&
    call.officer_id === claim.officerId
  );
}

function withoutClaim(submission: WireApplicationSubmission): WireApplicationSubmission {
  const { remoteAssistance: _dropped, ...rest } = submission;
  return rest;
}

/** Whether the stored application kept its remote assistance (what a repeat is answered). */
function storedClaim(ctx: PlatformContext, applicationId: string): boolean {
  const body = ctx.store.applicationBody(applicationId);
  // Purged after retention: the case page no longer shows it either.
  return body !== null && (JSON.parse(body) as { remoteAssistance?: unknown }).remoteAssistance !== undefined;
}

/**
 * The answer says whether a claimed remote assistance was recorded, and only when one was claimed,
 * so a terminal that never claims one never sees the field. A terminal built before the field (3 Dec,
 * with remote help but a strict answer schema) that does claim one cannot read this answer and keeps
 * retrying: such terminals must be updated with the platform (docs/remote-help.md).
 */
function withClaim(
  answer: ApplicationAccepted,
  claimed: RemoteAssistance | undefined,
  recorded: () => boolean,
): ApplicationAccepted {
  return claimed === undefined ? answer : { ...answer, remoteAssistance: recorded() ? 'recorded' : 'not-recorded' };
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

const refusalDetail: Record<EnrolmentRefusal, string> = {
  'unknown-code': 'the code is unknown',
  'used-code': 'the code was already used',
  'expired-code': 'the code has expired',
  'wrong-terminal': 'the code was issued for another terminal',
  'already-enrolled': 'this terminal is enrolled with another key; an administrator must issue a re-key code',
};

export function registerTerminalApi(app: FastifyInstance, ctx: PlatformContext): void {
  const { store, log } = ctx;

  app.post(
    '/v1/terminals/enrol',
    { config: { rateLimit: { max: ctx.rateLimits.enrol, timeWindow: 60_000 } } },
    (request, reply) => {
      const body = parseBody(request, reply, enrolRequestSchema);
      if (body === undefined) return reply;
      const key = parsePublicKey(body.publicKey);
      if (!key.ok) return sendProblem(reply, 422, 'Invalid request body', { fieldErrors: { publicKey: key.error } });
      // Proof of possession: the enrolment request is signed by the key it enrols.
      const verified = verifyRequest(
        { method: request.method, url: requestUrl(request), headers: request.headers, body: rawBody(request) },
        {
          now: ctx.now(),
          windowSeconds: ctx.signatureWindowSeconds,
          resolveKey: (keyId) => (keyId === body.terminalId ? key.value : null),
        },
      );
      if (!verified.ok) {
        log.warn({ refused: verified.error.kind, route: 'enrol' }, 'enrolment signature refused');
        return sendProblem(reply, 401, 'Request signature refused', {
          detail: describeSignatureFailure(verified.error),
          reason: verified.error.kind,
        });
      }
      const fingerprint = keyFingerprint(key.value);
      const now = ctx.now();
      const result = store.enrol(body.code, body.terminalId, body.publicKey, fingerprint, now);
      if (!result.ok) {
        log.warn({ terminalId: body.terminalId, refusal: result.refusal }, 'enrolment refused');
        return sendProblem(reply, 403, 'Enrolment code not accepted', {
          detail: refusalDetail[result.refusal],
          reason: result.refusal,
        });
      }
      const { outcome } = result;
      const actor = result.issuedBy ?? '(unknown)';
      switch (outcome.kind) {
        case 'enrolled':
          store.audit({ actor, action: 'terminal.enrolled', terminalId: body.terminalId }, now);
          break;
        case 'unchanged':
          break;
        case 'rekeyed':
          store.audit(
            {
              actor,
              action: 'terminal.rekeyed',
              terminalId: body.terminalId,
              detail: `${outcome.previousFingerprint.slice(0, 9)} → ${fingerprint.slice(0, 9)}`,
            },
            now,
          );
          break;
        default:
          assertNever(outcome);
      }
      log.info({ terminalId: body.terminalId, fingerprint, outcome: outcome.kind }, 'terminal enrolled');
      // Broker credentials for the county's fleet link, when the platform issues them (docs/fleet.md).
      const fleet = ctx.fleetCredentials?.issue(body.terminalId);
      return reply
        .code(201)
        .send({ terminalId: body.terminalId, fingerprint, enrolledAt: now.toISOString(), ...(fleet ? { fleet } : {}) });
    },
  );

  app.get('/v1/catalog', (request, reply) => {
    if (authenticate(ctx, request, reply) === null) return reply;
    reply.header('etag', ctx.catalogEtag).header('cache-control', 'no-cache');
    if (etagMatches(request.headers['if-none-match'], ctx.catalogEtag)) return reply.code(304).send();
    return reply.code(200).type('application/json').send(ctx.catalogBody);
  });

  app.put<{ Params: { id: string; sha256: string } }>(
    '/v1/applications/:id/attachments/:sha256',
    { bodyLimit: maxAttachmentBytes },
    (request, reply) => {
      const terminalId = authenticate(ctx, request, reply);
      if (terminalId === null) return reply;
      const { id, sha256 } = request.params;
      if (!uuidPattern.test(id)) return sendProblem(reply, 404, 'No such application');
      if (!sha256HexSchema.safeParse(sha256).success)
        return sendProblem(reply, 404, 'Not a content address', { detail: 'expected a lower-case hex SHA-256' });
      const bytes = rawBody(request);
      if (createHash('sha256').update(bytes).digest('hex') !== sha256)
        return sendProblem(reply, 422, 'Content does not match its address', {
          fieldErrors: { sha256: 'SHA-256 of the body differs' },
        });
      const owner = store.application(id)?.terminal_id ?? store.attachment(id, sha256)?.terminal_id;
      if (owner !== undefined && owner !== terminalId)
        return sendProblem(reply, 409, 'Application belongs to another terminal');
      const mime =
        (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() ??
        'application/octet-stream';
      const created = store.putAttachment(id, sha256, terminalId, mime, bytes, ctx.now());
      log.info({ terminalId, applicationId: id, size: bytes.length, duplicate: !created }, 'attachment stored');
      return reply.code(created ? 201 : 200).send({ sha256, size: bytes.length, duplicate: !created });
    },
  );

  app.post('/v1/applications', (request, reply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return reply;
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '')
      return sendProblem(reply, 400, 'Idempotency-Key header required');
    const submission = parseBody(request, reply, applicationSubmissionSchema);
    if (submission === undefined) return reply;

    const fieldErrors: Record<string, string> = {};
    if (submission.id !== idempotencyKey) fieldErrors['id'] = 'must equal the Idempotency-Key header';
    if (submission.terminalId !== terminalId) fieldErrors['terminalId'] = 'must be the signing terminal';
    const service = ctx.catalog.services.find((s) => s.code === submission.serviceCode);
    if (service === undefined) fieldErrors['serviceCode'] = 'unknown service';
    // The catalogue's own rules, as the terminal applied them: a way out (没有手机) only where allowed.
    const today = localDay(ctx.now());
    for (const question of service?.questions ?? []) {
      // Each village has its own groups (the terminal checked the answer against its list): any short name here.
      const checked = checkAnswer(question, submission.answers[question.id], today, null);
      if (!checked.ok) fieldErrors[`answers.${question.id}`] = checked.problem;
    }
    submission.attachments.forEach((a, i) => {
      const stored = store.attachment(submission.id, a.sha256);
      if (stored === undefined) fieldErrors[`attachments.${i}.sha256`] = 'not uploaded';
      else if (stored.size !== a.size)
        fieldErrors[`attachments.${i}.size`] = `uploaded content has ${stored.size} bytes`;
    });
    if (store.attachment(submission.id, submission.signatureSha256) === undefined)
      fieldErrors['signatureSha256'] = 'not uploaded';
    // Remote help is recorded only for a call of this terminal that this officer answered. A claim
    // that cannot be verified is dropped (and audited), not the application: the resident's work
    // is theirs whatever the terminal claims about who helped (docs/threat-model.md).
    const claimed = submission.remoteAssistance;
    const assisted = claimed !== undefined && remoteHelpVerified(ctx, terminalId, claimed) ? claimed : undefined;
    // The hash is of the body as sent: a repeat of it is the same submission, claim and all.
    const bodyHash = createHash('sha256').update(canonicalJson(submission)).digest('hex');

    const existing = store.application(submission.id);
    if (existing !== undefined) {
      // A repeat answers with the original result, whatever has changed since (docs/platform-contract.md: exactly once).
      if (existing.terminal_id !== terminalId)
        return sendProblem(reply, 409, 'Application belongs to another terminal');
      if (existing.body_hash !== bodyHash)
        return sendProblem(reply, 422, 'Idempotency-Key reused with a different body', {
          fieldErrors: { id: 'already used for another submission' },
        });
      log.info(
        { terminalId, applicationId: existing.application_id, caseNumber: existing.case_number, duplicate: true },
        'application repeated',
      );
      return reply
        .code(200)
        .send(withClaim(accepted(existing, true), claimed, () => storedClaim(ctx, existing.application_id)));
    }
    if (Object.keys(fieldErrors).length > 0) return sendProblem(reply, 422, 'Invalid application', { fieldErrors });

    const result = store.insertApplication(
      {
        application_id: submission.id,
        terminal_id: terminalId,
        local_number: submission.localNumber,
        service_code: submission.serviceCode,
        body: JSON.stringify(assisted === undefined ? withoutClaim(submission) : submission),
        body_hash: bodyHash,
        masked_name: maskName(submission.applicant.name),
        masked_id_number: maskIdNumber(submission.applicant.idNumber),
      },
      ctx.now(),
      ctx.caseNumberPrefix,
    );
    if (!result.created && result.row.body_hash !== bodyHash)
      return sendProblem(reply, 422, 'Idempotency-Key reused with a different body', {
        fieldErrors: { id: 'already used for another submission' },
      });
    if (result.created && claimed !== undefined && assisted === undefined) {
      store.audit(
        {
          actor: terminalId,
          action: 'case.remote-assistance-unverified',
          caseNumber: result.row.case_number,
          terminalId,
          detail: `call ${claimed.callId} officer ${claimed.officerId}`,
        },
        ctx.now(),
      );
      log.warn(
        { terminalId, applicationId: submission.id, callId: claimed.callId },
        'remote assistance claim not verified: application accepted without it',
      );
    }
    if (result.created && assisted !== undefined) {
      ctx.remoteHelp.records.linkCase(assisted.callId, result.row.case_number);
      store.audit(
        {
          actor: assisted.officerId,
          action: 'case.remote-assisted',
          caseNumber: result.row.case_number,
          terminalId,
          detail: assisted.callId,
        },
        ctx.now(),
      );
    }
    log.info(
      {
        terminalId,
        applicationId: submission.id,
        caseNumber: result.row.case_number,
        serviceCode: submission.serviceCode,
        attachments: submission.attachments.length,
        remoteAssistance: assisted?.callId ?? null,
        duplicate: !result.created,
      },
      result.created ? 'application received' : 'application repeated',
    );
    const answer = accepted(result.row, !result.created);
    return reply
      .code(result.created ? 201 : 200)
      .send(
        withClaim(answer, claimed, () =>
          result.created ? assisted !== undefined : storedClaim(ctx, result.row.application_id),
        ),
      );
  });

  app.get<{ Params: { id: string } }>('/v1/applications/:id', (request, reply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return reply;
    const row = store.application(request.params.id);
    if (row === undefined || row.terminal_id !== terminalId) return sendProblem(reply, 404, 'No such application');
    const body: ApplicationStatus = {
      applicationId: row.application_id,
      caseNumber: row.case_number,
      serviceCode: row.service_code,
      status: row.status,
      history: store
        .history(row.application_id)
        .map((e) => (e.note === null ? { status: e.status, at: e.at } : { status: e.status, at: e.at, note: e.note })),
    };
    return reply.code(200).send(body);
  });

  app.post('/v1/ratings', (request, reply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return reply;
    const rating = parseBody(request, reply, ratingRequestSchema);
    if (rating === undefined) return reply;
    const row = store.application(rating.applicationId);
    if (row === undefined || row.terminal_id !== terminalId)
      return sendProblem(reply, 404, 'No such application', { detail: 'submit the application before its rating' });
    if (rating.caseNumber !== undefined && rating.caseNumber !== row.case_number)
      return sendProblem(reply, 422, 'Invalid rating', {
        fieldErrors: { caseNumber: 'does not belong to this application' },
      });
    const created = store.putRating(
      rating.applicationId,
      terminalId,
      rating.level,
      rating.reasons ?? [],
      rating.comment ?? null,
      ctx.now(),
    );
    log.info({ terminalId, caseNumber: row.case_number, level: rating.level, duplicate: !created }, 'rating received');
    return reply
      .code(created ? 201 : 200)
      .send({ applicationId: rating.applicationId, level: rating.level, duplicate: !created });
  });

  app.post<{ Params: { terminalId: string } }>('/v1/terminals/:terminalId/heartbeat', (request, reply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return reply;
    if (request.params.terminalId !== terminalId)
      return sendProblem(reply, 403, 'A terminal reports only its own health');
    const beat = parseBody(request, reply, heartbeatRequestSchema);
    if (beat === undefined) return reply;
    const now = ctx.now();
    store.touchTerminal(terminalId, now, JSON.stringify(beat));
    if (beat.auditHead !== undefined && store.recordAuditHead(terminalId, beat.auditHead, now).regressed) {
      // The terminal's audit log is shorter or different from what it reported before: rewritten or restored.
      log.warn({ terminalId, sequence: beat.auditHead.sequence }, 'terminal audit chain head went back');
      store.audit(
        {
          actor: terminalId,
          action: 'terminal.audit-head-regressed',
          terminalId,
          detail: `sequence ${beat.auditHead.sequence}`,
        },
        now,
      );
    }
    log.info({ terminalId, version: beat.version, outboxDepth: beat.outboxDepth, devices: beat.devices }, 'heartbeat');
    return reply.code(204).send();
  });

  // A fleet command asks the terminal for its diagnostic bundle (docs/fleet.md). Signed by the
  // terminal, for itself only; size-limited; rate-limited per address (terminals behind one NAT share it); refused when it looks like personal data.
  app.put<{ Params: { terminalId: string } }>(
    '/v1/terminals/:terminalId/diagnostics',
    { bodyLimit: maxDiagnosticsBytes, config: { rateLimit: { max: 60, timeWindow: 3600_000 } } },
    (request, reply) => {
      const terminalId = authenticate(ctx, request, reply);
      if (terminalId === null) return reply;
      if (request.params.terminalId !== terminalId)
        return sendProblem(reply, 403, 'A terminal uploads only its own diagnostics');
      const bytes = rawBody(request);
      let kind: unknown;
      try {
        kind = (JSON.parse(bytes.toString('utf8')) as { kind?: unknown }).kind;
      } catch {
        kind = undefined;
      }
      if (kind !== 'village-kiosk diagnostics')
        return sendProblem(reply, 422, 'Not a diagnostic bundle', { detail: 'expected the kiosk diagnostics JSON' });
      if (containsPersonalPattern(bytes.toString('utf8'))) {
        log.warn({ terminalId, size: bytes.length }, 'diagnostic bundle refused: it holds an ID or phone number');
        return sendProblem(reply, 422, 'The bundle holds what looks like personal data');
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const now = ctx.now();
      store.putDiagnostics(terminalId, sha256, bytes, now);
      store.audit({ actor: terminalId, action: 'terminal.diagnostics-uploaded', terminalId, detail: sha256 }, now);
      log.info({ terminalId, size: bytes.length }, 'diagnostic bundle stored');
      return reply.code(201).send({ sha256, size: bytes.length });
    },
  );

  app.post('/v1/documents', async (request, reply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return reply;
    const body = parseBody(request, reply, documentRequestSchema);
    if (body === undefined) return reply;
    const base = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
    const answer = await issueDocument({ store, ...ctx.documents, verifyBaseUrl: base }, terminalId, body, ctx.now());
    // Logs name the type and number only, never who asked.
    log.info(
      {
        terminalId,
        type: body.type,
        outcome: answer.outcome,
        ...(answer.outcome === 'issued' ? { documentNumber: answer.documentNumber, pages: answer.pageCount } : {}),
      },
      'document requested',
    );
    return reply.code(200).header('cache-control', 'no-store').send(answer);
  });

  // Anyone holding the paper (a bank clerk, a school) checks it here: unsigned, rate-limited, and
  // it shows what the record says, nothing more. JSON for machines, a page for people.
  app.get<{ Querystring: { n?: string; c?: string } }>(
    '/documents/verify',
    { config: { rateLimit: { max: ctx.rateLimits.receiptVerify, timeWindow: 60_000 } } },
    (request, reply) => {
      const number = String(request.query.n ?? '').slice(0, 40);
      const code = String(request.query.c ?? '').slice(0, 20);
      const answer = checkDocument(store, ctx.documents.keys, number, code);
      log.info({ valid: answer.valid }, 'document checked');
      reply.header('cache-control', 'no-store');
      if ((request.headers.accept ?? '').includes('application/json')) return reply.code(200).send(answer);
      const rows = answer.valid
        ? [
            ['核验结果', '真实有效'],
            ['证明名称', answer.title],
            ['证明编号', answer.documentNumber],
            ['出具日期', answer.issuedOn],
            ['证明对象', answer.maskedName],
            ['文件摘要（SHA-256）', answer.sha256],
            ['平台签名（Ed25519）', answer.signature],
            ['平台公钥', answer.publicKey],
          ]
        : [['核验结果', answer.reason]];
      const table = rows
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td class="mono">${escapeHtml(v)}</td></tr>`)
        .join('');
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .send(page('证明核验', `<h1>证明核验</h1><table>${table}</table>`));
    },
  );

  // Anyone holding a receipt may check it: unsigned (hall scanners, residents' relatives are not
  // terminals), so it answers only what the paper shows, and is rate-limited.
  app.post(
    '/v1/receipts/verify',
    { config: { rateLimit: { max: ctx.rateLimits.receiptVerify, timeWindow: 60_000 } } },
    (request, reply) => {
      const body = parseBody(request, reply, receiptVerifyRequestSchema);
      if (body === undefined) return reply;
      const result = checkReceipt(ctx, body);
      log.info({ valid: result.valid, by: 'payload' in body ? 'payload' : 'code' }, 'receipt checked');
      return reply.code(200).header('cache-control', 'no-store').send(publicAnswer(result));
    },
  );
}
