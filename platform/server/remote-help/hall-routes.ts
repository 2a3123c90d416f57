/**
 * The hall's side of remote help (docs/remote-help.md): the page where a signed-in officer (or
 * admin) sees the calls waiting, takes one, and talks to the resident; and the JSON routes its
 * script calls. Live updates are long polls on the hall session (the same mechanism as the
 * terminal's): `queue?version=V` answers when the queue changed, `calls/:id/events?after=N` when
 * the terminal sent something. Every POST carries the session's CSRF token like the hall's forms
 * (form-encoded, `_csrf`), and an officer reaches only the call they answered.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callIdSchema, rtcSignalSchema, type CallEndReason } from '../../contract/remote-help';
import { assertNever } from '../../../foundation/result';
import type { MountedAccounts, RouteAccess } from '../accounts/mount-accounts';
import { hallRoles } from '../hall-routes';
import { page } from '../hall-pages';
import { escapeHtml } from '../html';
import type { PlatformContext } from '../platform-context';
import { sendProblem } from '../problem';
import type { AcceptRefusal } from './call-queue';
import type { CallRecordRow } from './call-records';
import { iceServersFor } from './ice-servers';
import { maxSignalBodyBytes, parseAfter, signalRefusalStatus } from './terminal-routes';

const officers: RouteAccess = { kind: 'roles', roles: hallRoles };
export const hallScriptName = 'remote-help-hall.js';
/** A queue poll that a newer one of the same session replaced: the page waits this long before polling again. */
const replacedRetrySeconds = 5;

/**
 * Rate-limit buckets per signed-in account (every session and address of it together), so a stolen
 * session run by a script spends the account's own budget; per address before sign-in.
 */
function officerBucket(request: FastifyRequest): string {
  const accountId = request.session.accountId;
  return accountId === undefined ? `address:${request.ip}` : `account:${accountId}`;
}

/** The page runs its own script (and only that), talks only to this origin, shows camera streams. */
const pageCsp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    connectSrc: ["'self'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

function acceptRefusal(refusal: AcceptRefusal): { status: number; title: string } {
  switch (refusal) {
    case 'no-such-call':
      return { status: 404, title: '没有这个呼叫' };
    case 'taken':
      return { status: 409, title: '别的工作人员已接听' };
    case 'ended':
      return { status: 409, title: '呼叫已结束' };
    case 'officer-busy':
      return { status: 409, title: '您正在通话，请先挂断' };
    default:
      return assertNever(refusal);
  }
}

// Every end reason has its words: a new reason does not compile until it is named here.
const endReasonLabels: Record<CallEndReason, string> = {
  'hung-up': '挂断',
  'gave-up': '村民放弃等待',
  'no-answer': '无人接听',
  'session-ended': '终端结束',
  lost: '连接中断',
};

function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${d.slice(5, 10)} ${d.slice(11, 19)}`;
}

function callLog(rows: readonly CallRecordRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(formatTime(r.queued_at))}</td><td>${escapeHtml(r.terminal_id)}</td><td>${escapeHtml(r.service_point ?? '')}</td><td>${escapeHtml(r.officer_id ?? '—')}</td><td>${escapeHtml(formatTime(r.answered_at))}</td><td>${escapeHtml(formatTime(r.ended_at))}</td><td>${escapeHtml(r.end_reason === null ? (r.ended_at === null ? '进行中' : '') : endReasonLabels[r.end_reason])}</td><td>${escapeHtml(r.case_number ?? '')}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>呼叫时间</th><th>终端</th><th>服务点</th><th>接听人</th><th>接听</th><th>结束</th><th>结束原因</th><th>受理编号</th></tr></thead>
<tbody>${body === '' ? '<tr><td colspan="8">还没有呼叫</td></tr>' : body}</tbody></table>`;
}

const pageStyle = `<style>
main{max-width:1800px}
#rh-call .layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:32px}
@media (max-width:1300px){#rh-call .layout{grid-template-columns:1fr}}
#rh-call .videos{display:grid;grid-template-columns:3fr 1fr;gap:16px;align-items:start}
#rh-remote{width:100%;background:#000;border-radius:8px;aspect-ratio:4/3}#rh-local{width:100%;background:#000;border-radius:8px}
#rh-queue-list li{display:flex;gap:24px;align-items:center;margin:8px 0}
#rh-mirror{font-size:24px}#rh-mirror li{margin:6px 0}#rh-mirror button{font-size:22px;min-height:48px;min-width:0;margin:0;padding:6px 14px;background:#e7eef6;color:#0b4f8a;text-align:left}
#rh-mirror li.pointed button{outline:4px solid #c77700}#rh-mirror li.selected-field button{background:#0b4f8a;color:#fff}
.role{color:#4a5560;font-size:18px;margin-right:8px}
</style>`;

export function remoteHelpPage(
  csrf: string,
  recent: readonly CallRecordRow[],
  chrome: Parameters<typeof page>[2],
): string {
  return page(
    '远程帮办',
    `${pageStyle}
<section id="rh-queue"><h1>等待接听的视频呼叫</h1>
<p id="rh-queue-status" role="status">正在读取呼叫…</p>
<p id="rh-queue-notice" role="alert"></p>
<ul id="rh-queue-list"></ul>
<form id="rh-token" hidden>${csrf}</form></section>
<section id="rh-call" hidden><h1 id="rh-call-title">通话中</h1>
<p id="rh-call-status" role="status"></p>
<div class="layout"><div>
<div class="videos"><video id="rh-remote" autoplay playsinline></video><video id="rh-local" autoplay playsinline muted></video></div>
<button type="button" id="rh-hangup" class="danger">挂断</button></div>
<div><h2>村民的屏幕</h2><p id="rh-screen" class="note">还没有收到村民的屏幕。</p>
<p class="note">点一项，村民屏幕上的这一项会出现闪动的圆圈（“点这里”）。</p>
<ol id="rh-mirror"></ol>
<button type="button" id="rh-stop-point" class="warn">停止指示</button>
<form id="rh-propose"><label for="rh-propose-value">替村民填写：<span id="rh-propose-target">（先在上面点一个填写项）</span></label>
<input id="rh-propose-value" autocomplete="off" maxlength="500" disabled>
<button type="submit" id="rh-propose-send" disabled>发给村民确认</button></form>
<p id="rh-proposal-status" role="status"></p></div></div></section>
<section><h2>最近的呼叫</h2>${callLog(recent)}</section>
<script type="module" src="/hall/remote-help/${hallScriptName}"></script>`,
    chrome,
  );
}

export function registerRemoteHelpHallRoutes(
  hall: FastifyInstance,
  ctx: PlatformContext,
  accounts: MountedAccounts,
  assetsDir: string,
): void {
  const { queue } = ctx.remoteHelp;
  const help = ctx.remoteHelp;
  // Every route of the page: per route and account, generous for one page (a poll answered per
  // change of the queue, a few dozen signals per call), tight for a loop.
  const limited = { max: help.limits.hallRequestsPerMinute, timeWindow: 60_000, keyGenerator: officerBucket };
  const config = { access: officers, rateLimit: limited };
  const staffOf = (request: FastifyRequest) => {
    if (request.staff === null) throw new Error('remote help route reached without a signed-in person');
    return request.staff;
  };
  const json = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).header('cache-control', 'no-store').type('application/json').send(JSON.stringify(body));
  const formField = (request: FastifyRequest, name: string): string => {
    const value = (request.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  /** The call id of a route, if the signed-in officer answered that call; 404 otherwise. */
  const ownCall = (request: FastifyRequest<{ Params: { callId: string } }>, reply: FastifyReply): string | null => {
    const { callId } = request.params;
    if (!callIdSchema.safeParse(callId).success || !queue.answeredBy(staffOf(request).name, callId)) {
      sendProblem(reply, 404, 'No such call');
      return null;
    }
    return callId;
  };

  hall.get('/hall/remote-help', { config, helmet: { contentSecurityPolicy: pageCsp } }, (request, reply) => {
    staffOf(request);
    const csrf = accounts.csrfField(reply);
    return reply
      .code(200)
      .header('cache-control', 'no-store')
      .header('permissions-policy', 'camera=(self), microphone=(self)')
      .type('text/html; charset=utf-8')
      .send(remoteHelpPage(csrf, help.records.recent(20), { staff: staffOf(request), csrf }));
  });

  let script: Buffer | null = null;
  hall.get(`/hall/remote-help/${hallScriptName}`, { config }, async (_request, reply) => {
    try {
      script ??= await readFile(join(assetsDir, hallScriptName));
    } catch {
      ctx.log.error({ assetsDir }, 'remote help page script missing: run npm run build');
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('remote help page script not built (npm run build)');
    }
    return reply.code(200).header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(script);
  });

  // The page polls the queue by itself: an open page left alone still signs out after its idle time.
  const background = { config: { ...config, activity: 'background' as const } };
  hall.get<{ Querystring: { version?: string } }>('/hall/remote-help/queue', background, async (request, reply) => {
    const staff = staffOf(request);
    const after = parseAfter(request.query.version);
    if (after === null) return sendProblem(reply, 400, 'version must be a non-negative integer');
    // One poll per hall session: a second tab (or a script) polling on it answers this one.
    const waiting = queue.waitQueue(request.session.sessionId, after, help.pollMs);
    if (waiting === 'busy') return sendProblem(reply.header('retry-after', '2'), 503, 'Too many waiting requests');
    reply.raw.once('close', waiting.cancel);
    const outcome = await waiting.promise;
    reply.raw.off('close', waiting.cancel);
    if (outcome.kind === 'replaced')
      return sendProblem(
        reply.header('retry-after', String(replacedRetrySeconds)),
        409,
        'A newer poll of this session took this one’s place',
        { reason: 'replaced' },
      );
    const view = outcome.kind === 'changed' ? outcome.view : queue.view();
    return json(reply, 200, {
      version: view.version,
      waiting: view.waiting.map((c) => ({
        callId: c.callId,
        terminalId: c.terminalId,
        servicePoint: c.servicePoint,
        waitingSeconds: Math.floor(c.waitingMs / 1000),
      })),
      current: queue.callOf(staff.name),
    });
  });

  hall.post<{ Params: { callId: string } }>('/hall/remote-help/calls/:callId/accept', { config }, (request, reply) => {
    const staff = staffOf(request);
    const { callId } = request.params;
    if (!callIdSchema.safeParse(callId).success) return sendProblem(reply, 404, 'No such call');
    const accepted = queue.accept(callId, { id: staff.name, displayName: staff.name });
    if (!accepted.ok) {
      const { status, title } = acceptRefusal(accepted.error);
      return sendProblem(reply, status, title, { reason: accepted.error });
    }
    ctx.store.audit(
      { actor: staff.name, action: 'remote-help.accepted', terminalId: accepted.value.terminalId, detail: callId },
      ctx.now(),
    );
    ctx.log.info({ callId, terminalId: accepted.value.terminalId, role: staff.role }, 'remote help call accepted');
    return json(reply, 200, {
      callId,
      terminalId: accepted.value.terminalId,
      officer: { id: staff.name, displayName: staff.name },
      iceServers: iceServersFor(help.ice, `hall-${staff.id}`, ctx.now()),
      iceTransportPolicy: help.ice.transportPolicy ?? 'all',
    });
  });

  // Unlike the queue's, this poll counts as the officer's activity: it runs only during a call the
  // officer answered, and a call lives only while the resident is there too (it ends on hang-up, on
  // the resident's inactivity wipe, or 45 s after either side went silent). A call longer than the
  // idle time must not sign the officer out mid-sentence.
  hall.get<{ Params: { callId: string }; Querystring: { after?: string } }>(
    '/hall/remote-help/calls/:callId/events',
    { config },
    async (request, reply) => {
      const callId = ownCall(request, reply);
      if (callId === null) return reply;
      const after = parseAfter(request.query.after);
      if (after === null) return sendProblem(reply, 400, 'after must be a non-negative integer');
      const waiting = queue.waitOfficer(callId, after, help.pollMs);
      if (waiting === null) return sendProblem(reply, 404, 'No such call');
      const onClose = () => queue.abandon('officer', callId);
      reply.raw.once('close', onClose);
      const result = await waiting;
      reply.raw.off('close', onClose);
      if (result.kind === 'busy')
        return sendProblem(reply.header('retry-after', '2'), 503, 'Too many waiting requests');
      return json(reply, 200, { events: result.events });
    },
  );

  hall.post<{ Params: { callId: string } }>(
    '/hall/remote-help/calls/:callId/signals',
    // Form-encoded SDP is larger than the hall's 16 KiB form limit.
    { config, bodyLimit: 2 * maxSignalBodyBytes },
    (request, reply) => {
      const callId = ownCall(request, reply);
      if (callId === null) return reply;
      let parsed: unknown;
      try {
        parsed = JSON.parse(formField(request, 'signal'));
      } catch {
        return sendProblem(reply, 400, 'signal is not JSON');
      }
      const signal = rtcSignalSchema.safeParse(parsed);
      if (!signal.success) return sendProblem(reply, 422, 'Invalid signal');
      const sent = queue.signal('officer', callId, signal.data);
      if (!sent.ok) {
        const { status, title } = signalRefusalStatus(sent.error);
        return sendProblem(reply, status, title, { reason: sent.error });
      }
      return reply.code(204).send();
    },
  );

  hall.post<{ Params: { callId: string } }>('/hall/remote-help/calls/:callId/end', { config }, (request, reply) => {
    const callId = ownCall(request, reply);
    if (callId === null) return reply;
    const ended = queue.end(callId, 'officer', 'hung-up');
    ctx.log.info({ callId, ended }, 'remote help call hung up by the officer');
    return reply.code(204).send();
  });
}
