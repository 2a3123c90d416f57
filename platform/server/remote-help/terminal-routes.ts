/**
 * The terminal's side of remote help signalling (docs/remote-help.md): queue a call, read its
 * events by long poll, record the resident's consent, send session descriptions and ICE candidates,
 * end it. Every request is
 * signed like the rest of /v1; a terminal sees only its own calls; bodies are small and requests
 * counted per terminal and address. Logs carry call and terminal ids and outcomes, never SDP.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  callConsentSchema,
  callEndRequestSchema,
  callIdSchema,
  callRequestSchema,
  rtcSignalSchema,
  type CallEvents,
  type CallQueued,
} from '../../contract/remote-help';
import { assertNever } from '../../../foundation/result';
import type { PlatformContext } from '../platform-context';
import { sendProblem } from '../problem';
import { authenticate, parseBody } from '../terminal-api';
import type { SignalRefusal } from './call-queue';
import { iceServersFor } from './ice-servers';
import type { RemoteHelp } from './remote-help';

/** A signal carries one SDP (≤ 20,000 characters) or one candidate. */
export const maxSignalBodyBytes = 32 * 1024;
const maxCallBodyBytes = 1024;

/**
 * Rate-limit buckets per address and claimed key id: terminals behind one village NAT get one each,
 * and a request claiming another terminal's id only spends its own address's bucket.
 */
function terminalBucket(request: FastifyRequest): string {
  const input = request.headers['signature-input'];
  const keyId = /keyid="([^"]{1,64})"/.exec(typeof input === 'string' ? input : '')?.[1] ?? '';
  return `${request.ip}|${keyId}`;
}

export function signalRefusalStatus(refusal: SignalRefusal): { status: number; title: string } {
  switch (refusal) {
    case 'no-such-call':
      return { status: 404, title: 'No such call' };
    case 'not-answered':
      return { status: 409, title: 'Nobody has answered the call yet' };
    case 'ended':
      return { status: 409, title: 'The call has ended' };
    case 'too-many':
      return { status: 429, title: 'Too many unread signals' };
    default:
      return assertNever(refusal);
  }
}

/** `after` of a long poll: a non-negative integer, 0 when absent. */
export function parseAfter(value: string | undefined): number | null {
  if (value === undefined || value === '') return 0;
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export function registerRemoteHelpTerminalRoutes(app: FastifyInstance, ctx: PlatformContext, help: RemoteHelp): void {
  const { log } = ctx;
  const { queue } = help;
  const limited = (max: number) => ({ rateLimit: { max, timeWindow: 60_000, keyGenerator: terminalBucket } });

  /** The terminal and call of a signed request for one of its calls, or null after answering. */
  const ownCall = (request: FastifyRequest<{ Params: { callId: string } }>, reply: FastifyReply) => {
    const terminalId = authenticate(ctx, request, reply);
    if (terminalId === null) return null;
    const { callId } = request.params;
    // Another terminal's call answers exactly like one that does not exist.
    if (!callIdSchema.safeParse(callId).success || !queue.ownedBy(terminalId, callId)) {
      log.warn({ terminalId, route: request.routeOptions.url }, 'remote help: not this terminal’s call');
      sendProblem(reply, 404, 'No such call');
      return null;
    }
    return { terminalId, callId };
  };

  app.post(
    '/v1/remote-help/calls',
    { bodyLimit: maxCallBodyBytes, config: limited(help.limits.callsPerMinute) },
    (request, reply) => {
      const terminalId = authenticate(ctx, request, reply);
      if (terminalId === null) return reply;
      const body = parseBody(request, reply, callRequestSchema);
      if (body === undefined) return reply;
      const opened = queue.open(terminalId, body.servicePoint ?? null);
      log.info(
        { terminalId, callId: opened.callId, position: opened.position, replaced: opened.replaced },
        'remote help call queued',
      );
      const answer: CallQueued = {
        callId: opened.callId,
        position: opened.position,
        expectedWaitSeconds: opened.expectedWaitSeconds,
        iceServers: iceServersFor(help.ice, terminalId, ctx.now()),
        iceTransportPolicy: help.ice.transportPolicy ?? 'all',
        recording: help.recording,
      };
      return reply.code(201).header('cache-control', 'no-store').send(answer);
    },
  );

  app.get<{ Params: { callId: string }; Querystring: { after?: string } }>(
    '/v1/remote-help/calls/:callId/events',
    // A poll per terminal about every 20 s, sooner while signals flow.
    { config: limited(help.limits.signalsPerMinute) },
    async (request, reply) => {
      const own = ownCall(request, reply);
      if (own === null) return reply;
      const after = parseAfter(request.query.after);
      if (after === null) return sendProblem(reply, 400, 'after must be a non-negative integer');
      const waiting = queue.waitTerminal(own.callId, after, help.pollMs);
      if (waiting === null) return sendProblem(reply, 404, 'No such call');
      // A client that goes away frees its place at once (waiters are bounded). The response's
      // `close`, not the request's: the request's fires as soon as its (empty) body is read.
      const onClose = () => queue.abandon('terminal', own.callId);
      reply.raw.once('close', onClose);
      const result = await waiting;
      reply.raw.off('close', onClose);
      if (result.kind === 'busy')
        return sendProblem(reply.header('retry-after', '2'), 503, 'Too many waiting requests');
      const body: CallEvents = { events: result.events };
      return reply.code(200).header('cache-control', 'no-store').send(body);
    },
  );

  app.post<{ Params: { callId: string } }>(
    '/v1/remote-help/calls/:callId/signals',
    { bodyLimit: maxSignalBodyBytes, config: limited(help.limits.signalsPerMinute) },
    (request, reply) => {
      const own = ownCall(request, reply);
      if (own === null) return reply;
      const signal = parseBody(request, reply, rtcSignalSchema);
      if (signal === undefined) return reply;
      const sent = queue.signal('terminal', own.callId, signal);
      if (!sent.ok) {
        const { status, title } = signalRefusalStatus(sent.error);
        return sendProblem(reply, status, title, { reason: sent.error });
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { callId: string } }>(
    '/v1/remote-help/calls/:callId/consent',
    { bodyLimit: maxCallBodyBytes, config: limited(help.limits.callsPerMinute) },
    (request, reply) => {
      const own = ownCall(request, reply);
      if (own === null) return reply;
      const body = parseBody(request, reply, callConsentSchema);
      if (body === undefined) return reply;
      if (queue.state(own.callId) === 'ended')
        return sendProblem(reply, 409, 'The call has ended', { reason: 'ended' });
      // The resident must have read the rule this platform applies, not another.
      const rule = help.recording.enabled ? help.recording.retentionDays : null;
      if (body.recordingDays !== rule)
        return sendProblem(reply, 409, 'The consent names another recording rule than the platform’s', {
          reason: 'recording-rule',
        });
      help.records.consented(own.callId, rule);
      log.info({ terminalId: own.terminalId, callId: own.callId, recorded: rule !== null }, 'remote help consent');
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { callId: string } }>(
    '/v1/remote-help/calls/:callId/end',
    { bodyLimit: maxCallBodyBytes, config: limited(help.limits.callsPerMinute) },
    (request, reply) => {
      const own = ownCall(request, reply);
      if (own === null) return reply;
      const body = parseBody(request, reply, callEndRequestSchema);
      if (body === undefined) return reply;
      const ended = queue.end(own.callId, 'terminal', body.reason);
      log.info(
        { terminalId: own.terminalId, callId: own.callId, reason: body.reason, ended },
        'remote help call ended',
      );
      return reply.code(204).send();
    },
  );
}
