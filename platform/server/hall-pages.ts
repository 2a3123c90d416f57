/**
 * The hall's pages, rendered on the server as plain HTML: no script, big Chinese text, one form
 * per action, each form with the session's CSRF field. Everything that comes from data passes
 * through `escapeHtml`.
 */
import type { WireCaseStatus } from '../contract/api-schemas';
import { formatVerificationCode } from '../contract/receipt-payload';
import type { SignedInStaff } from './accounts/mount-accounts';
import { escapeHtml } from './html';
import type { AuditRow, DiagnosticsEntry, TerminalRow } from './platform-db';
import type { HallCase, ReceiptCheck } from './receipt-check';

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
.note{color:#4a5560;font-size:24px}.error{color:#a1261c;font-weight:bold}
header{display:flex;justify-content:space-between;align-items:center;gap:24px;flex-wrap:wrap}
header form{margin:0}header button{font-size:24px;min-height:48px;min-width:0;margin:0;background:#fff;color:#0b4f8a}
header .who{font-size:24px;font-weight:normal}header nav a{color:#fff;margin-right:20px;font-size:24px}
table{border-collapse:collapse;width:100%;font-size:22px}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d0d5da}
code{font-size:22px;word-break:break-all}
`;

/** The signed-in person and the sign-out form (a POST, so it carries the CSRF field). */
export interface PageChrome {
  readonly staff: SignedInStaff;
  readonly csrf: string;
}

export function page(title: string, body: string, chrome?: PageChrome): string {
  const who =
    chrome === undefined
      ? ''
      : `<nav><a href="/hall">核验回执</a><a href="/hall/remote-help">远程帮办</a>${chrome.staff.role === 'admin' ? '<a href="/hall/admin/audit">查阅记录</a><a href="/hall/admin/terminals">终端</a>' : ''}</nav>
<span class="who">${escapeHtml(chrome.staff.name)}（${chrome.staff.role === 'admin' ? '管理员' : '窗口人员'}）</span>
<form method="post" action="/hall/logout">${chrome.csrf}<button type="submit">退出登录</button></form>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><header><span>政务服务大厅 · 自助终端申报核验</span>${who}</header><main>${body}</main></body></html>`;
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

export function verifyFormPage(chrome: PageChrome, message?: string): string {
  return page(
    '回执核验',
    `${message === undefined ? '' : `<section class="invalid"><p>${escapeHtml(message)}</p></section>`}
<section><h1>扫描或粘贴回执二维码</h1>
<!-- An input, not a textarea: the scanner's closing Enter submits the form. -->
<form method="post" action="/hall/verify">${chrome.csrf}
<label for="payload">二维码内容（扫码枪扫描后自动提交）</label>
<input id="payload" name="payload" autofocus autocomplete="off" spellcheck="false" style="font-family:monospace">
<button type="submit">核验回执</button></form></section>
<section><h2>没有二维码？手工输入</h2>
<form method="post" action="/hall/verify">${chrome.csrf}
<label for="number">受理编号或本地编号</label><input id="number" name="number" autocomplete="off">
<label for="code">回执上的 10 位核验码</label><input id="code" name="verificationCode" inputmode="numeric" autocomplete="off">
<button type="submit">核验</button></form></section>`,
    chrome,
  );
}

export function verifyResultPage(
  result: ReceiptCheck,
  found: HallCase | null,
  serviceName: (code: string) => string,
  chrome: PageChrome,
): string {
  if (!result.valid) {
    return page(
      '回执无效',
      `<section class="invalid"><h1>✗ 回执无效</h1><p>${escapeHtml(result.reason)}</p><p><a href="/hall">重新核验</a></p></section>`,
      chrome,
    );
  }
  const receipt = result.receipt;
  const head = `<section class="valid"><h1>✓ 回执真实有效</h1>
<p>核验码 <span class="big">${escapeHtml(formatVerificationCode(result.verificationCode))}</span></p>
${receipt === null ? '' : `<p class="note">由终端 ${escapeHtml(receipt.terminalId)} 于 ${escapeHtml(formatTime(receipt.issuedAt))} 签发</p>`}</section>`;
  if (found === null) {
    const pending =
      receipt === null
        ? ''
        : `<section><h2>申报尚未送达平台</h2><p>这张回执是终端离线时打印的，申报将在网络恢复后自动发送。</p>
<dl><dt>本地编号</dt><dd>${escapeHtml(receipt.localNumber)}</dd><dt>事项</dt><dd>${escapeHtml(serviceName(receipt.serviceCode))}</dd>
<dt>申请人</dt><dd>${escapeHtml(receipt.applicant.maskedName)}&#12288;${escapeHtml(receipt.applicant.maskedIdNumber)}</dd></dl></section>`;
    return page('回执有效', head + pending + '<p><a href="/hall">核验下一张</a></p>', chrome);
  }
  return page(
    '回执有效',
    head + caseSections(found, serviceName, chrome) + '<p><a href="/hall">核验下一张</a></p>',
    chrome,
  );
}

export function casePage(
  found: HallCase,
  serviceName: (code: string) => string,
  chrome: PageChrome,
  message?: string,
): string {
  const notice = message === undefined ? '' : `<section class="valid"><p>${escapeHtml(message)}</p></section>`;
  return page(
    `申报 ${found.caseNumber}`,
    notice + caseSections(found, serviceName, chrome) + '<p><a href="/hall">核验下一张回执</a></p>',
    chrome,
  );
}

/** How the resident signed, in plain words: a mark (不会写字) names the staff member who witnessed it. */
function signatureLine(signature: HallCase['signature']): string {
  if (signature === null) return '';
  let words: string;
  switch (signature.kind) {
    case 'name':
      words = '本人签名';
      break;
    case 'mark':
      words = `按手印/画押，工作人员 ${escapeHtml(signature.witnessStaffId)} 见证`;
      break;
    case 'spoken':
      // The resident could not see: they heard the confirmation and pressed the keypad's enter key.
      words =
        signature.witnessStaffId === null
          ? '语音确认（本人看不见，听读后按确认键同意），无工作人员见证'
          : `语音确认（本人看不见，听读后按确认键同意），工作人员 ${escapeHtml(signature.witnessStaffId)} 见证`;
      break;
  }
  return `<dt>签名</dt><dd data-signature="${signature.kind}">${words}</dd>\n`;
}

function caseSections(found: HallCase, serviceName: (code: string) => string, chrome: PageChrome): string {
  const base = `/hall/applications/${encodeURIComponent(found.applicationId)}`;
  const documents =
    found.documents === null
      ? '<p>材料已按保存期限删除。</p>'
      : found.documents.length === 0
        ? '<p>无上传材料</p>'
        : `<ul>${found.documents
            .map(
              (d) =>
                `<li><a href="${base}/documents/${escapeHtml(d.sha256)}" target="_blank" rel="noopener">${escapeHtml(d.label === '' ? '材料' : d.label)}</a>（${escapeHtml(d.mime)}，${escapeHtml(formatSize(d.size))}）</li>`,
            )
            .join('')}</ul><p class="note">每次查看材料都会记录查看人和时间。</p>`;
  const history = `<ul>${found.history.map((e) => `<li>${escapeHtml(formatTime(e.at))}&#12288;${escapeHtml(statusLabels[e.status])}${e.note === undefined ? '' : `：${escapeHtml(e.note)}`}</li>`).join('')}</ul>`;
  const next = nextStatuses[found.status];
  const actions =
    next.length === 0
      ? '<p>此申报已结束，不能再变更状态。</p>'
      : `<form method="post" action="${base}/status">${chrome.csrf}
<label for="note">说明（“需补充材料”时必填，会告知申请人）</label><textarea id="note" name="note" style="height:100px;font-family:inherit"></textarea>
${next.map((s) => `<button type="submit" name="status" value="${escapeHtml(s)}" class="${s === 'rejected' ? 'danger' : s === 'needs-material' ? 'warn' : 'ok'}">${escapeHtml(actionLabels[s])}</button>`).join('')}
</form>`;
  return `<section><h1>受理编号 <span class="big">${escapeHtml(found.caseNumber)}</span></h1>
<dl><dt>事项</dt><dd>${escapeHtml(serviceName(found.serviceCode))}</dd>
<dt>申请人</dt><dd>${escapeHtml(found.applicant.maskedName)}&#12288;${escapeHtml(found.applicant.maskedIdNumber)}</dd>
${signatureLine(found.signature)}${found.remoteAssistance === null ? '' : `<dt>协助方式</dt><dd data-remote-assistance="${escapeHtml(found.remoteAssistance.callId)}">远程帮办：${escapeHtml(found.remoteAssistance.officerId)}</dd>\n`}<dt>本地编号</dt><dd>${escapeHtml(found.localNumber)}</dd>
<dt>提交终端</dt><dd>${escapeHtml(found.terminalId)}</dd>
<dt>收到时间</dt><dd>${escapeHtml(formatTime(found.receivedAt))}</dd>
<dt>当前状态</dt><dd>${escapeHtml(statusLabels[found.status])}</dd></dl></section>
<section><h2>申报材料</h2>${documents}</section>
<section><h2>办理记录</h2>${history}</section>
<section><h2>办理操作</h2>${actions}</section>`;
}

export function errorPage(title: string, message: string, chrome?: PageChrome): string {
  return page(
    title,
    `<section class="invalid"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/hall">返回</a></p></section>`,
    chrome,
  );
}

const auditActions: Record<string, string> = {
  'case.viewed': '查看申报',
  'document.viewed': '查看材料',
  'case.status-changed': '变更状态',
  'audit.viewed': '查阅记录',
  'terminal.code-issued': '签发终端注册码',
  'terminal.enrolled': '终端注册',
  'terminal.rekeyed': '终端更换密钥',
  'terminal.audit-head-regressed': '终端审计链倒退',
  'diagnostics.downloaded': '下载终端诊断包',
  'case.remote-assisted': '远程帮办',
  'case.remote-assistance-unverified': '远程帮办记录无法核实（未记入）',
  'remote-help.accepted': '接听远程帮办',
  'account.signed-in': '登录',
  'account.sign-in-failed': '登录失败',
  'account.locked': '账号锁定',
  'account.address-locked': '地址锁定',
  'account.signed-out': '退出登录',
  'account.password-changed': '修改密码',
  'account.created': '新建账号',
  'account.password-reset': '重置密码',
  'account.disabled': '停用账号',
  'account.enabled': '启用账号',
};

export function auditPage(rows: readonly AuditRow[], caseNumber: string | undefined, chrome: PageChrome): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(formatTime(r.at))}</td><td>${escapeHtml(r.actor)}</td><td>${escapeHtml(auditActions[r.action] ?? r.action)}</td><td>${escapeHtml(r.case_number ?? '')}</td><td>${escapeHtml(r.terminal_id ?? '')}</td><td>${escapeHtml(r.detail ?? '')}</td></tr>`,
    )
    .join('');
  return page(
    '查阅记录',
    `<section><h1>谁在何时查看或办理了什么</h1>
<form method="get" action="/hall/admin/audit"><label for="case">按受理编号查</label><input id="case" name="case" value="${escapeHtml(caseNumber ?? '')}" autocomplete="off"><button type="submit">查询</button></form></section>
<section><table><thead><tr><th>时间</th><th>人员</th><th>操作</th><th>受理编号</th><th>终端</th><th>说明</th></tr></thead>
<tbody>${body === '' ? '<tr><td colspan="6">没有记录</td></tr>' : body}</tbody></table></section>`,
    chrome,
  );
}

export function terminalsPage(
  terminals: readonly TerminalRow[],
  diagnostics: ReadonlyMap<string, readonly DiagnosticsEntry[]>,
  chrome: PageChrome,
  issued?: { terminalId: string; code: string; purpose: 'enrol' | 'rekey' },
  message?: string,
): string {
  const shown =
    issued === undefined
      ? ''
      : `<section class="valid"><h2>${issued.purpose === 'rekey' ? '更换密钥' : '注册'}码（只显示这一次，24 小时内有效，只能用于终端 ${escapeHtml(issued.terminalId)}）</h2>
<p class="big">${escapeHtml(issued.code)}</p><p class="note">在终端上运行 kiosk enrol，或在技术人员控制台输入此码。</p></section>`;
  const bundles = (terminalId: string): string =>
    (diagnostics.get(terminalId) ?? [])
      .map(
        (d) =>
          `<a href="/hall/admin/terminals/${encodeURIComponent(terminalId)}/diagnostics/${d.sha256}">${escapeHtml(formatTime(d.receivedAt))}（${Math.ceil(d.size / 1024)} KB）</a>`,
      )
      .join('<br>') || '—';
  const rows = terminals
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.terminal_id)}</td><td><code>${escapeHtml(t.fingerprint)}</code></td><td>${escapeHtml(formatTime(t.enrolled_at))}</td><td>${t.last_seen_at === null ? '—' : escapeHtml(formatTime(t.last_seen_at))}</td><td>${bundles(t.terminal_id)}</td></tr>`,
    )
    .join('');
  return page(
    '终端',
    `${message === undefined ? '' : `<section class="invalid"><p>${escapeHtml(message)}</p></section>`}${shown}
<section><h1>已注册的终端</h1><table><thead><tr><th>终端</th><th>密钥指纹</th><th>注册时间</th><th>最近联系</th><th>诊断包（下载）</th></tr></thead>
<tbody>${rows === '' ? '<tr><td colspan="5">还没有终端</td></tr>' : rows}</tbody></table></section>
<section><h2>签发注册码</h2>
<p class="note">注册码只能用于指定的终端。已注册的终端换新密钥（重装、换机）必须选“更换密钥”，旧密钥仍用于核验它以前打印的回执。</p>
<form method="post" action="/hall/admin/terminals/code">${chrome.csrf}
<label for="terminalId">终端编号</label><input id="terminalId" name="terminalId" autocomplete="off" required pattern="[A-Za-z0-9-]{3,40}">
<label><input type="checkbox" name="rekey" value="yes" style="width:auto"> 更换密钥（终端已注册）</label>
<button type="submit">签发</button></form></section>`,
    chrome,
  );
}
