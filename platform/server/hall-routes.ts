/**
 * The hall's web pages, for signed-in hall staff only (accounts/): verify a receipt, see the
 * application (masked), open its documents, move its status along; admins also read the audit log
 * and issue terminal enrolment and re-key codes. Every view of a case or a document is audited
 * (who, which case, when). Forms post and redirect (POST → 303 → GET) so a reload never repeats
 * an action.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseStatusSchema } from '../contract/api-schemas';
import type { MountedAccounts, RouteAccess } from './accounts/mount-accounts';
import { issueEnrolmentCode } from './enrolment-codes';
import {
  auditPage,
  casePage,
  errorPage,
  nextStatuses,
  statusLabels,
  terminalsPage,
  verifyFormPage,
  verifyResultPage,
  type PageChrome,
} from './hall-pages';
import type { PlatformContext } from './platform-context';
import { checkReceipt, hallCase } from './receipt-check';

/** Hall roles: officers handle cases; admins also read the audit log and manage terminals. */
export const hallRoles = ['officer', 'admin'] as const;
export type HallRole = (typeof hallRoles)[number];

const officers: RouteAccess = { kind: 'roles', roles: hallRoles };
const admins: RouteAccess = { kind: 'roles', roles: ['admin'] };

/** The hall's CSP: no script at all; documents get a sandbox of their own. */
export const hallContentSecurityPolicy = {
  // Only these directives: helmet's defaults would add script sources the hall never needs.
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function field(request: FastifyRequest, name: string): string {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

export function registerHallRoutes(hall: FastifyInstance, ctx: PlatformContext, accounts: MountedAccounts): void {
  const serviceName = (code: string): string =>
    ctx.catalog.services.find((s) => s.code === code)?.name['zh-CN'] ?? code;
  const chrome = (request: FastifyRequest, reply: FastifyReply): PageChrome => {
    if (request.staff === null) throw new Error('hall page rendered without a signed-in person');
    return { staff: request.staff, csrf: accounts.csrfField(reply) };
  };
  const audit = (
    request: FastifyRequest,
    action: string,
    about: { caseNumber?: string; terminalId?: string; detail?: string },
  ) => ctx.store.audit({ actor: request.staff?.name ?? '(nobody)', action, ...about }, ctx.now());

  hall.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) ctx.log.error({ route: request.routeOptions.url, code: error.code }, 'hall request failed');
    const [title, message] =
      status === 403
        ? ['请求被拒绝', '页面已过期或不是从大厅页面提交的，请返回重新操作。']
        : status === 413
          ? ['内容太大', '提交的内容超过了允许的大小。']
          : status === 429
            ? ['操作太频繁', '请稍后再试。']
            : status === 500
              ? ['出错了', '服务器内部错误，已记录。']
              : ['请求有误', '请返回重新操作。'];
    return html(reply, status, errorPage(title, message));
  });

  hall.get('/', { config: { access: { kind: 'public' } } }, (_request, reply) => reply.redirect('/hall', 303));
  hall.get('/hall', { config: { access: officers } }, (request, reply) =>
    html(reply, 200, verifyFormPage(chrome(request, reply))),
  );

  hall.post('/hall/verify', { config: { access: officers } }, (request, reply) => {
    const payload = field(request, 'payload');
    const number = field(request, 'number');
    const code = field(request, 'verificationCode');
    if (
      (payload === '' && (number === '' || code === '')) ||
      payload.length > 2000 ||
      number.length > 40 ||
      code.length > 14
    )
      return html(reply, 422, verifyFormPage(chrome(request, reply), '请扫描回执二维码，或输入编号和核验码。'));
    const result =
      payload !== '' ? checkReceipt(ctx, { payload }) : checkReceipt(ctx, { number, verificationCode: code });
    const found = result.valid && result.row !== null ? hallCase(ctx, result.row) : null;
    if (found !== null) audit(request, 'case.viewed', { caseNumber: found.caseNumber, detail: 'receipt verified' });
    ctx.log.info({ valid: result.valid, by: payload !== '' ? 'payload' : 'code', via: 'hall' }, 'receipt checked');
    return html(reply, result.valid ? 200 : 422, verifyResultPage(result, found, serviceName, chrome(request, reply)));
  });

  hall.get<{ Params: { id: string }; Querystring: { updated?: string } }>(
    '/hall/applications/:id',
    { config: { access: officers } },
    (request, reply) => {
      const row = ctx.store.application(request.params.id);
      if (row === undefined)
        return html(reply, 404, errorPage('找不到申报', '没有这个申报记录。', chrome(request, reply)));
      audit(request, 'case.viewed', { caseNumber: row.case_number });
      const updated = caseStatusSchema.safeParse(request.query.updated);
      return html(
        reply,
        200,
        casePage(
          hallCase(ctx, row),
          serviceName,
          chrome(request, reply),
          updated.success ? `状态已更新为：${statusLabels[updated.data]}` : undefined,
        ),
      );
    },
  );

  hall.post<{ Params: { id: string } }>(
    '/hall/applications/:id/status',
    { config: { access: officers } },
    (request, reply) => {
      const row = ctx.store.application(request.params.id);
      if (row === undefined)
        return html(reply, 404, errorPage('找不到申报', '没有这个申报记录。', chrome(request, reply)));
      const status = caseStatusSchema.safeParse(field(request, 'status'));
      const note = field(request, 'note').slice(0, 500);
      if (!status.success || !nextStatuses[row.status].includes(status.data)) {
        return html(
          reply,
          409,
          errorPage(
            '不能这样变更',
            `当前状态“${statusLabels[row.status]}”不能变更为所选状态。`,
            chrome(request, reply),
          ),
        );
      }
      if (status.data === 'needs-material' && note === '') {
        return html(
          reply,
          422,
          casePage(hallCase(ctx, row), serviceName, chrome(request, reply), '请写明需要补充哪些材料。'),
        );
      }
      ctx.store.setStatus(row.application_id, status.data, note === '' ? null : note, ctx.now());
      audit(request, 'case.status-changed', { caseNumber: row.case_number, detail: `${row.status} → ${status.data}` });
      ctx.log.info(
        { caseNumber: row.case_number, from: row.status, to: status.data },
        'case status changed at the hall',
      );
      return reply.redirect(`/hall/applications/${encodeURIComponent(row.application_id)}?updated=${status.data}`, 303);
    },
  );

  hall.get<{ Params: { id: string; sha256: string } }>(
    '/hall/applications/:id/documents/:sha256',
    {
      config: { access: officers },
      // A document is shown, never run: a sandbox and no sources at all.
      helmet: { contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], sandbox: [] } } },
    },
    (request, reply) => {
      const row = ctx.store.application(request.params.id);
      const stored =
        row === undefined ? undefined : ctx.store.attachmentBytes(request.params.id, request.params.sha256);
      if (row === undefined || stored === undefined)
        return html(
          reply,
          404,
          errorPage('找不到材料', '没有这份材料（或已按保存期限删除）。', chrome(request, reply)),
        );
      audit(request, 'document.viewed', { caseNumber: row.case_number, detail: request.params.sha256.slice(0, 12) });
      // Only images are shown inline; anything else downloads.
      const inline = /^image\/(jpeg|png|webp)$/.test(stored.mime);
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .header('content-disposition', inline ? 'inline' : 'attachment')
        .type(inline ? stored.mime : 'application/octet-stream')
        .send(stored.bytes);
    },
  );

  // ---------------------------------------------------------------- admin

  hall.get<{ Querystring: { case?: string } }>(
    '/hall/admin/audit',
    { config: { access: admins } },
    (request, reply) => {
      const caseNumber = request.query.case?.trim().slice(0, 40) || undefined;
      const rows = ctx.store.auditEntries(caseNumber === undefined ? {} : { caseNumber });
      audit(request, 'audit.viewed', caseNumber === undefined ? {} : { caseNumber });
      return html(reply, 200, auditPage(rows, caseNumber, chrome(request, reply)));
    },
  );

  hall.get('/hall/admin/terminals', { config: { access: admins } }, (request, reply) =>
    html(reply, 200, terminalsPage(ctx.store.terminals(), ctx.store.diagnosticsIndex(), chrome(request, reply))),
  );

  hall.get<{ Params: { id: string; sha256: string } }>(
    '/hall/admin/terminals/:id/diagnostics/:sha256',
    { config: { access: admins } },
    (request, reply) => {
      const { id, sha256 } = request.params;
      const stored = ctx.store.diagnostics(id).find((d) => d.sha256 === sha256);
      if (stored === undefined)
        return html(
          reply,
          404,
          errorPage('找不到诊断包', '没有这个诊断包（每台终端只保留最近几个）。', chrome(request, reply)),
        );
      audit(request, 'diagnostics.downloaded', { terminalId: id, detail: sha256.slice(0, 12) });
      // The id is a terminal id and the digest hex (both checked by the lookup), safe in a file name.
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="diagnostics-${id}-${sha256.slice(0, 12)}.json"`)
        .type('application/octet-stream')
        .send(stored.bundle);
    },
  );

  hall.post('/hall/admin/terminals/code', { config: { access: admins } }, (request, reply) => {
    const terminalId = field(request, 'terminalId');
    const purpose = field(request, 'rekey') === 'yes' ? 'rekey' : 'enrol';
    const issued = issueEnrolmentCode(ctx.store, ctx.now(), {
      terminalId,
      purpose,
      issuedBy: request.staff?.name ?? '(nobody)',
    });
    if (!issued.ok)
      return html(
        reply,
        422,
        terminalsPage(
          ctx.store.terminals(),
          ctx.store.diagnosticsIndex(),
          chrome(request, reply),
          undefined,
          issued.error,
        ),
      );
    ctx.log.info({ terminalId, purpose }, 'enrolment code issued at the hall');
    return html(
      reply,
      200,
      terminalsPage(ctx.store.terminals(), ctx.store.diagnosticsIndex(), chrome(request, reply), {
        terminalId,
        code: issued.value,
        purpose,
      }),
    );
  });
}
