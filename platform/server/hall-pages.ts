/**
 * The hall's pages, rendered on the server as plain HTML: no script, big Chinese text, one form
 * per action. Everything that comes from data passes through `escapeHtml`.
 */
import type { ReceiptApplication, ReceiptVerifyResponse, WireCaseStatus } from '../contract/api-schemas';
import { formatVerificationCode } from '../contract/receipt-payload';

export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export const statusLabels: Record<WireCaseStatus, string> = {
  submitted: '已提交，待受理',
  accepted: '已受理',
  'needs-material': '需补充材料',
  completed: '已办结',
  rejected: '不予受理',
};

/** What hall staff may do next from each status; closed cases offer nothing. */
export const nextStatuses: Record<WireCaseStatus, readonly WireCaseStatus[]> = {
  submitted: ['accepted', 'needs-material', 'rejected'],
  accepted: ['completed', 'needs-material', 'rejected'],
  'needs-material': ['accepted', 'rejected'],
  completed: [],
  rejected: [],
};

const actionLabels: Record<WireCaseStatus, string> = {
  submitted: '退回待受理',
  accepted: '受理',
  'needs-material': '需补充材料',
  completed: '办结',
  rejected: '不予受理',
};

const style = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;font-size:28px;line-height:1.5;margin:0;background:#f4f6f8;color:#1a1a1a}
header{background:#0b4f8a;color:#fff;padding:20px 40px;font-size:36px;font-weight:bold}
main{max-width:1100px;margin:0 auto;padding:24px 40px}
section{background:#fff;border-radius:12px;padding:24px 32px;margin:0 0 24px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:36px;margin:0 0 16px}h2{font-size:30px;margin:0 0 12px}
textarea,input{font-size:28px;width:100%;box-sizing:border-box;padding:12px;border:2px solid #56606b;border-radius:8px}
textarea{height:140px;font-family:monospace}
label{display:block;margin:12px 0 6px;font-weight:bold}
button{font-size:30px;min-height:72px;min-width:200px;padding:12px 28px;margin:12px 16px 0 0;border:0;border-radius:10px;background:#0b4f8a;color:#fff;cursor:pointer}
button.warn{background:#8a5a00}button.danger{background:#a1261c}button.ok{background:#1e6b30}
.valid{border-left:12px solid #1e6b30}.invalid{border-left:12px solid #a1261c}
.big{font-size:40px;font-weight:bold;letter-spacing:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 24px;margin:0}dt{color:#4a5560}dd{margin:0;font-weight:bold}
ul{margin:0;padding-left:1.2em}a{color:#0b4f8a}
.note{color:#4a5560;font-size:24px}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><header>政务服务大厅 · 自助终端申报核验</header><main>${body}</main></body></html>`;
}

function formatTime(iso: string): string {
  // Hall staff read China Standard Time.
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function verifyFormPage(message?: string): string {
  return page(
    '回执核验',
    `${message === undefined ? '' : `<section class="invalid"><p>${escapeHtml(message)}</p></section>`}
<section><h1>扫描或粘贴回执二维码</h1>
<!-- An input, not a textarea: the scanner's closing Enter submits the form. -->
<form method="post" action="/hall/verify">
<label for="payload">二维码内容（扫码枪扫描后自动提交）</label>
<input id="payload" name="payload" autofocus autocomplete="off" spellcheck="false" style="font-family:monospace">
<button type="submit">核验回执</button></form></section>
<section><h2>没有二维码？手工输入</h2>
<form method="post" action="/hall/verify">
<label for="number">受理编号或本地编号</label><input id="number" name="number" autocomplete="off">
<label for="code">回执上的 10 位核验码</label><input id="code" name="verificationCode" inputmode="numeric" autocomplete="off">
<button type="submit">核验</button></form></section>`,
  );
}

export function verifyResultPage(result: ReceiptVerifyResponse, serviceName: (code: string) => string): string {
  if (!result.valid) {
    return page(
      '回执无效',
      `<section class="invalid"><h1>✗ 回执无效</h1><p>${escapeHtml(result.reason)}</p><p><a href="/hall">重新核验</a></p></section>`,
    );
  }
  const receipt = result.receipt;
  const head = `<section class="valid"><h1>✓ 回执真实有效</h1>
<p>核验码 <span class="big">${escapeHtml(formatVerificationCode(result.verificationCode))}</span></p>
${receipt === null ? '' : `<p class="note">由终端 ${escapeHtml(receipt.terminalId)} 于 ${escapeHtml(formatTime(receipt.issuedAt))} 签发</p>`}</section>`;
  if (result.application === null) {
    const pending =
      receipt === null
        ? ''
        : `<section><h2>申报尚未送达平台</h2><p>这张回执是终端离线时打印的，申报将在网络恢复后自动发送。</p>
<dl><dt>本地编号</dt><dd>${escapeHtml(receipt.localNumber)}</dd><dt>事项</dt><dd>${escapeHtml(serviceName(receipt.serviceCode))}</dd>
<dt>申请人</dt><dd>${escapeHtml(receipt.applicant.maskedName)}&#12288;${escapeHtml(receipt.applicant.maskedIdNumber)}</dd></dl></section>`;
    return page('回执有效', head + pending + '<p><a href="/hall">核验下一张</a></p>');
  }
  return page(
    '回执有效',
    head + applicationSection(result.application, serviceName) + '<p><a href="/hall">核验下一张</a></p>',
  );
}

export function applicationPage(
  application: ReceiptApplication,
  serviceName: (code: string) => string,
  message?: string,
): string {
  const notice = message === undefined ? '' : `<section class="valid"><p>${escapeHtml(message)}</p></section>`;
  return page(
    `申报 ${application.caseNumber}`,
    notice + applicationSection(application, serviceName) + '<p><a href="/hall">核验下一张回执</a></p>',
  );
}

function applicationSection(app: ReceiptApplication, serviceName: (code: string) => string): string {
  const base = `/hall/applications/${encodeURIComponent(app.applicationId)}`;
  const documents =
    app.documents.length === 0
      ? '<p>无上传材料</p>'
      : `<ul>${app.documents
          .map(
            (d) =>
              `<li><a href="${base}/documents/${escapeHtml(d.sha256)}" target="_blank" rel="noopener">${escapeHtml(d.label === '' ? '材料' : d.label)}</a>（${escapeHtml(d.mime)}，${escapeHtml(formatSize(d.size))}）</li>`,
          )
          .join('')}</ul>`;
  const history = `<ul>${app.history.map((e) => `<li>${escapeHtml(formatTime(e.at))}&#12288;${escapeHtml(statusLabels[e.status])}${e.note === undefined ? '' : `：${escapeHtml(e.note)}`}</li>`).join('')}</ul>`;
  const next = nextStatuses[app.status];
  const actions =
    next.length === 0
      ? '<p>此申报已结束，不能再变更状态。</p>'
      : `<form method="post" action="${base}/status">
<label for="note">说明（“需补充材料”时必填，会告知申请人）</label><textarea id="note" name="note" style="height:100px;font-family:inherit"></textarea>
${next.map((s) => `<button type="submit" name="status" value="${escapeHtml(s)}" class="${s === 'rejected' ? 'danger' : s === 'needs-material' ? 'warn' : 'ok'}">${escapeHtml(actionLabels[s])}</button>`).join('')}
</form>`;
  return `<section><h1>受理编号 <span class="big">${escapeHtml(app.caseNumber)}</span></h1>
<dl><dt>事项</dt><dd>${escapeHtml(serviceName(app.serviceCode))}</dd>
<dt>申请人</dt><dd>${escapeHtml(app.applicant.maskedName)}&#12288;${escapeHtml(app.applicant.maskedIdNumber)}</dd>
<dt>本地编号</dt><dd>${escapeHtml(app.localNumber)}</dd>
<dt>提交终端</dt><dd>${escapeHtml(app.terminalId)}</dd>
<dt>收到时间</dt><dd>${escapeHtml(formatTime(app.receivedAt))}</dd>
<dt>当前状态</dt><dd>${escapeHtml(statusLabels[app.status])}</dd></dl></section>
<section><h2>申报材料</h2>${documents}</section>
<section><h2>办理记录</h2>${history}</section>
<section><h2>办理操作</h2>${actions}</section>`;
}

export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<section class="invalid"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/hall">返回</a></p></section>`,
  );
}
