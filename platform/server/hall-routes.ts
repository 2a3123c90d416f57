/**
 * The hall's web pages (for staff on the hall's trusted network): verify a receipt, see the
 * application (masked), open its documents, and move its status along. Forms post and redirect
 * (POST → 303 → GET) so a reload never repeats an action.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseStatusSchema } from '../contract/api-schemas';
import { applicationPage, errorPage, nextStatuses, statusLabels, verifyFormPage, verifyResultPage } from './hall-pages';
import type { PlatformContext } from './platform-context';
import { checkReceipt, receiptApplication } from './receipt-check';

const pageSecurityHeaders = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(pageSecurityHeaders).type('text/html; charset=utf-8').send(body);
}

function form(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
}

/** A page elsewhere must not be able to post the hall's forms from a staff browser. */
function crossSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return request.headers['sec-fetch-site'] === 'cross-site';
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export function registerHallRoutes(app: FastifyInstance, ctx: PlatformContext): void {
  const serviceName = (code: string): string =>
    ctx.catalog.services.find((s) => s.code === code)?.name['zh-CN'] ?? code;

  app.get('/', (_request, reply) => reply.redirect('/hall', 303));
  app.get('/hall', (_request, reply) => html(reply, 200, verifyFormPage()));

  app.post('/hall/verify', (request, reply) => {
    if (crossSite(request)) return html(reply, 403, errorPage('请求被拒绝', '请从大厅核验页面提交。'));
    const fields = form(request);
    const payload = fields.get('payload')?.trim() ?? '';
    const number = fields.get('number')?.trim() ?? '';
    const code = fields.get('verificationCode')?.trim() ?? '';
    if (payload === '' && (number === '' || code === ''))
      return html(reply, 422, verifyFormPage('请扫描回执二维码，或输入编号和核验码。'));
    const result =
      payload !== '' ? checkReceipt(ctx, { payload }) : checkReceipt(ctx, { number, verificationCode: code });
    ctx.log.info({ valid: result.valid, by: payload !== '' ? 'payload' : 'code', via: 'hall' }, 'receipt checked');
    return html(reply, result.valid ? 200 : 422, verifyResultPage(result, serviceName));
  });

  app.get<{ Params: { id: string }; Querystring: { updated?: string } }>('/hall/applications/:id', (request, reply) => {
    const row = ctx.store.application(request.params.id);
    if (row === undefined) return html(reply, 404, errorPage('找不到申报', '没有这个申报记录。'));
    const updated = caseStatusSchema.safeParse(request.query.updated);
    return html(
      reply,
      200,
      applicationPage(
        receiptApplication(ctx, row),
        serviceName,
        updated.success ? `状态已更新为：${statusLabels[updated.data]}` : undefined,
      ),
    );
  });

  app.post<{ Params: { id: string } }>('/hall/applications/:id/status', (request, reply) => {
    if (crossSite(request)) return html(reply, 403, errorPage('请求被拒绝', '请从大厅核验页面提交。'));
    const row = ctx.store.application(request.params.id);
    if (row === undefined) return html(reply, 404, errorPage('找不到申报', '没有这个申报记录。'));
    const fields = form(request);
    const status = caseStatusSchema.safeParse(fields.get('status'));
    const note = (fields.get('note') ?? '').trim().slice(0, 500);
    if (!status.success || !nextStatuses[row.status].includes(status.data)) {
      return html(reply, 409, errorPage('不能这样变更', `当前状态“${statusLabels[row.status]}”不能变更为所选状态。`));
    }
    if (status.data === 'needs-material' && note === '') {
      return html(reply, 422, applicationPage(receiptApplication(ctx, row), serviceName, '请写明需要补充哪些材料。'));
    }
    ctx.store.setStatus(row.application_id, status.data, note === '' ? null : note, ctx.now());
    ctx.log.info({ caseNumber: row.case_number, from: row.status, to: status.data }, 'case status changed at the hall');
    return reply.redirect(`/hall/applications/${encodeURIComponent(row.application_id)}?updated=${status.data}`, 303);
  });

  app.get<{ Params: { id: string; sha256: string } }>('/hall/applications/:id/documents/:sha256', (request, reply) => {
    const stored = ctx.store.attachmentBytes(request.params.id, request.params.sha256);
    if (stored === undefined || ctx.store.application(request.params.id) === undefined)
      return html(reply, 404, errorPage('找不到材料', '没有这份材料。'));
    // Only images are shown inline; anything else downloads, and nothing may run.
    const inline = /^image\/(jpeg|png|webp)$/.test(stored.mime);
    return reply
      .code(200)
      .headers({ ...pageSecurityHeaders, 'content-security-policy': "default-src 'none'; sandbox" })
      .header('content-disposition', inline ? 'inline' : 'attachment')
      .type(inline ? stored.mime : 'application/octet-stream')
      .send(stored.bytes);
  });
}
