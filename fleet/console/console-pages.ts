/**
 * The console's pages, rendered on the server: readable on a technician's phone (one column, big
 * touch targets) and on a desktop (a wider grid). Status is never colour alone: every dot has its
 * word. One small script (`/fleet/assets/live.js`) refreshes the page content when the server says
 * something changed; without it the pages still work. Everything from data passes through escapeHtml.
 */
import { escapeHtml } from '../../platform/server/html';
import {
  alertCodes,
  deviceRoles,
  type AlertCode,
  type DeviceRole,
  type FleetCommandKind,
} from '../contract/fleet-payloads';
import {
  consoleMessages,
  deviceStateNames,
  type ConsoleLanguage,
  type ConsoleMessages,
  type DeviceStateName,
} from './console-messages';
import type {
  AlertCounts,
  CommandView,
  EventView,
  Health,
  ListFilter,
  ListPage,
  SampleView,
  TerminalView,
} from './console-store';

export interface PageContext {
  readonly lang: ConsoleLanguage;
  readonly user: string;
  /** The account may acknowledge alerts and send commands (a technician); viewers get no forms. */
  readonly mayAct: boolean;
  /** Hidden form field carrying the CSRF token. */
  readonly csrfField: string;
  readonly now: number;
  readonly timeZone: string;
  /** The path and query of this page (for the language switch and the live refresh). */
  readonly self: string;
  /** Only the content of <main> (the live refresh asks for this). */
  readonly fragment: boolean;
  /**
   * The console's change mark when this page was read from the store: the live stream is opened with it,
   * so a change that lands between rendering and subscribing still refreshes the page.
   */
  readonly liveSince: string;
}

const style = `
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;font-size:18px;line-height:1.5;margin:0;background:#f3f5f7;color:#17202a}
header{background:#0b4f8a;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header h1{font-size:22px;margin:0;flex:1 1 auto}
header a,header span{color:#fff}
nav a{display:inline-block;padding:10px 8px;min-height:44px}
header form.signout{display:flex;gap:8px;align-items:center;margin:0}
header form.signout button{background:#fff;color:#0b4f8a;min-width:0}
.account section{max-width:460px;margin:24px auto}.account form{display:grid;gap:8px}
.error{color:#8a2a1c;font-weight:bold}
main{max-width:1200px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:10px;padding:12px 16px;margin:0 0 12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h2{font-size:20px;margin:0 0 8px}
a{color:#0b4f8a}
.counts{display:flex;flex-wrap:wrap;gap:8px}
.counts a{flex:1 1 120px;text-decoration:none;color:inherit;border-radius:8px;padding:8px 12px;background:#eef1f4;min-height:44px}
.counts b{font-size:26px;display:block}
form.filters{display:grid;grid-template-columns:1fr;gap:8px}
@media(min-width:760px){form.filters{grid-template-columns:1fr 1fr 2fr auto}}
label{display:block;font-weight:bold;font-size:16px}
select,input,button{font:inherit;min-height:44px;padding:6px 10px;border:2px solid #56606b;border-radius:8px;width:100%;background:#fff}
button{background:#0b4f8a;color:#fff;border:0;font-weight:bold;cursor:pointer;width:auto;min-width:120px}
button.ack{background:#8a2a1c}
ul.list{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr;gap:8px}
@media(min-width:900px){ul.list{grid-template-columns:1fr 1fr}}
ul.list li a{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;padding:10px 12px;border-radius:10px;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.12);text-decoration:none;color:inherit;border-left:10px solid #8a949e;min-height:64px}
.dot{display:inline-block;width:16px;height:16px;border-radius:50%;vertical-align:middle;margin-right:6px}
.h-red{border-left-color:#c0261a!important}.h-red .dot,.dot.h-red{background:#c0261a}
.h-amber{border-left-color:#b7791f!important}.h-amber .dot,.dot.h-amber{background:#b7791f}
.h-green{border-left-color:#1e7b34!important}.h-green .dot,.dot.h-green{background:#1e7b34}
.h-grey{border-left-color:#6b7580!important}.h-grey .dot,.dot.h-grey{background:#6b7580}
.name{font-weight:bold}
.muted{color:#4d5863;font-size:16px}
.alerts{grid-column:1/-1;color:#8a2a1c;font-size:16px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#4d5863}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:16px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #dde2e7;vertical-align:top}
.scroll{overflow-x:auto}
.alert-row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;padding:8px 0;border-bottom:1px solid #dde2e7}
.commands{display:grid;grid-template-columns:1fr;gap:8px}
@media(min-width:760px){.commands{grid-template-columns:1fr 1fr}}
.commands form{border:1px solid #dde2e7;border-radius:8px;padding:8px;display:grid;gap:6px}
.flash{border-left:8px solid #1e7b34}
.pager{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;margin:12px 0}.pager a,.pager .muted{display:inline-block;padding:10px 12px;min-height:44px;min-width:88px;text-align:center}
@media print{header nav,form,.noprint{display:none!important}body{background:#fff;font-size:12pt}section{box-shadow:none;border:1px solid #999;break-inside:avoid}}
`;

export function formatTime(iso: string | null, ctx: PageContext): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(ctx.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: ctx.timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

function ago(iso: string, ctx: PageContext): string {
  const seconds = Math.max(0, Math.round((ctx.now - Date.parse(iso)) / 1000));
  const zh = ctx.lang === 'zh';
  if (seconds < 60) return zh ? `${seconds} 秒前` : `${seconds} s ago`;
  if (seconds < 3600) return zh ? `${Math.floor(seconds / 60)} 分钟前` : `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return zh ? `${Math.floor(seconds / 3600)} 小时前` : `${Math.floor(seconds / 3600)} h ago`;
  return zh ? `${Math.floor(seconds / 86_400)} 天前` : `${Math.floor(seconds / 86_400)} d ago`;
}

function withLang(path: string, lang: ConsoleLanguage): string {
  const url = new URL(path, 'http://console');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

function layout(ctx: PageContext, title: string, body: string, live: boolean): string {
  if (ctx.fragment) return body;
  const m = consoleMessages[ctx.lang];
  const other: ConsoleLanguage = ctx.lang === 'zh' ? 'en' : 'zh';
  return `<!doctype html>
<html lang="${ctx.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style><script src="/fleet/assets/live.js" defer></script></head>
<body><header><h1>${escapeHtml(m.title)}</h1><nav><a href="/fleet">${escapeHtml(m.terminals)}</a> <a href="/fleet/summary">${escapeHtml(m.summary)}</a> <a href="${escapeHtml(withLang(ctx.self, other))}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${escapeHtml(m.language)}</a></nav><form class="signout" method="post" action="/fleet/logout">${ctx.csrfField}<span data-testid="user">${escapeHtml(ctx.user)}</span> <button type="submit">${escapeHtml(m.signOut)}</button></form></header>
<main id="content"${live ? ` data-live="${escapeHtml(ctx.liveSince)}"` : ''}>${body}</main></body></html>`;
}

function deviceName(role: string, m: ConsoleMessages): string {
  return (deviceRoles as readonly string[]).includes(role) ? m.deviceRole[role as DeviceRole] : role;
}

function deviceStateName(state: string, m: ConsoleMessages): string {
  return (deviceStateNames as readonly string[]).includes(state) ? m.deviceState[state as DeviceStateName] : state;
}

/** The frame of the sign-in and password pages (mountAccounts renders their bodies, in Chinese). */
export function accountPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><header><h1>${escapeHtml(consoleMessages.zh.title)} · ${escapeHtml(consoleMessages.en.title)}</h1></header>
<main id="content" class="account">${body}</main></body></html>`;
}

function healthBadge(health: Health, m: ConsoleMessages): string {
  return `<span class="dot h-${health}" aria-hidden="true"></span><span data-testid="health">${escapeHtml(m.health[health])}</span>`;
}

/** The list's address with these filters and page (page 1 is left out). */
export function listHref(filter: ListFilter, page: number): string {
  const query = new URLSearchParams();
  if (filter.health !== undefined) query.set('health', filter.health);
  if (filter.alert !== undefined) query.set('alert', filter.alert);
  if (filter.text !== undefined && filter.text !== '') query.set('q', filter.text);
  if (page > 1) query.set('page', String(page));
  const search = query.toString();
  return search === '' ? '/fleet' : `/fleet?${search}`;
}

function pager(list: ListPage, filter: ListFilter, pageSize: number, m: ConsoleMessages): string {
  const pages = Math.max(1, Math.ceil(list.matched / pageSize));
  const page = Math.floor(list.offset / pageSize) + 1;
  const link = (to: number, label: string, rel: string) =>
    to < 1 || to > pages
      ? `<span class="muted">${escapeHtml(label)}</span>`
      : `<a href="${escapeHtml(listHref(filter, to))}" rel="${rel}" data-testid="page-${rel}">${escapeHtml(label)}</a>`;
  return `<nav class="pager" aria-label="${escapeHtml(m.pages)}" data-testid="pager" data-page="${page}" data-pages="${pages}">${link(page - 1, m.previousPage, 'prev')}<span>${escapeHtml(m.pageOf(page, pages, list.offset + 1, list.offset + list.rows.length, list.matched))}</span>${link(page + 1, m.nextPage, 'next')}</nav>`;
}

export function listPage(list: ListPage, filter: ListFilter, pageSize: number, ctx: PageContext): string {
  const m = consoleMessages[ctx.lang];
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const body = `<section><div class="counts">${(['red', 'amber', 'green', 'grey'] as const)
    .map(
      (h) =>
        `<a href="/fleet?health=${h}" class="h-${h}" data-testid="count-${h}"><b>${list.counts[h]}</b>${healthBadge(h, m)}</a>`,
    )
    .join('')}</div></section>
<section><form class="filters" method="get" action="/fleet">
<div><label for="f-health">${escapeHtml(m.filterStatus)}</label><select id="f-health" name="health">${option('', m.any, filter.health === undefined)}${(['red', 'amber', 'green', 'grey'] as const).map((h) => option(h, m.health[h], filter.health === h)).join('')}</select></div>
<div><label for="f-alert">${escapeHtml(m.filterAlert)}</label><select id="f-alert" name="alert">${option('', m.any, filter.alert === undefined)}${alertCodes.map((c) => option(c, m.alerts[c], filter.alert === c)).join('')}</select></div>
<div><label for="f-text">${escapeHtml(m.filterText)}</label><input id="f-text" name="q" value="${escapeHtml(filter.text ?? '')}"></div>
<div><label>&nbsp;</label><button type="submit">${escapeHtml(m.apply)}</button></div></form></section>
${
  list.rows.length === 0
    ? `<section><p>${escapeHtml(m.noTerminals)}</p></section>`
    : `${list.matched > pageSize ? pager(list, filter, pageSize, m) : ''}<ul class="list" data-testid="terminal-list">${list.rows
        .map(
          (
            t,
          ) => `<li><a href="/fleet/terminals/${encodeURIComponent(t.terminal)}" class="h-${t.health}" data-terminal="${escapeHtml(t.terminal)}" data-health="${t.health}">
<span>${healthBadge(t.health, m)}</span><span class="name">${escapeHtml(t.state?.name ?? t.terminal)}</span>
<span class="muted">${escapeHtml(t.terminal)}</span><span class="muted">${escapeHtml(t.state?.village ?? '')} · ${escapeHtml(m.lastSeen)} ${escapeHtml(ago(t.lastSeen, ctx))}</span>
${t.alerts.length === 0 ? '' : `<span class="alerts" data-testid="alerts">${t.alerts.map((a) => escapeHtml(m.alerts[a.code])).join('、')}</span>`}</a></li>`,
        )
        .join('')}</ul>${list.matched > pageSize ? pager(list, filter, pageSize, m) : ''}`
}`;
  return layout(ctx, m.title, body, true);
}

function bytes(n: number | null, m: ConsoleMessages): string {
  if (n === null) return m.unknown;
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`;
}

function percent(value: number | null, m: ConsoleMessages): string {
  return value === null ? m.unknown : `${(value * 100).toFixed(value >= 0.999 || value === 0 ? 0 : 1)}%`;
}

export interface TerminalPageData {
  readonly view: TerminalView;
  readonly events: readonly EventView[];
  readonly samples: readonly SampleView[];
  readonly commands: readonly CommandView[];
  readonly availability: { readonly week: number | null; readonly month: number | null };
  readonly flash?: string;
}

export function terminalPage(data: TerminalPageData, ctx: PageContext): string {
  const m = consoleMessages[ctx.lang];
  const { view } = data;
  const s = view.state;
  const base = `/fleet/terminals/${encodeURIComponent(view.terminal)}`;
  const devices =
    s === null
      ? m.unknown
      : Object.entries(s.devices)
          .map(
            ([role, d]) =>
              `${escapeHtml(deviceName(role, m))}: ${escapeHtml(deviceStateName(d.state, m))}${d.detail === undefined ? '' : ` (${escapeHtml(d.detail)})`}`,
          )
          .join('<br>');
  const status = `<section class="h-${view.health}" style="border-left:10px solid" data-testid="terminal-status" data-health="${view.health}">
<h2>${healthBadge(view.health, m)} ${escapeHtml(s?.name ?? view.terminal)}</h2>
<dl><dt>${escapeHtml(m.terminal)}</dt><dd>${escapeHtml(view.terminal)}</dd>
<dt>${escapeHtml(m.village)}</dt><dd>${escapeHtml(s?.village ?? m.unknown)}</dd>
<dt>${escapeHtml(m.lastSeen)}</dt><dd>${escapeHtml(formatTime(view.lastSeen, ctx))} (${escapeHtml(ago(view.lastSeen, ctx))})${view.status === 'offline' && view.offlineReason !== null ? ` · ${escapeHtml(m.offlineReason[view.offlineReason as 'shutdown'] ?? view.offlineReason)}` : ''}</dd>
<dt>${escapeHtml(m.version)}</dt><dd>${escapeHtml(s?.version ?? m.unknown)}</dd>
<dt>${escapeHtml(m.assignedVersion)}</dt><dd>${escapeHtml(s?.assignedVersion ?? m.none)}</dd>
<dt>${escapeHtml(m.uptime)}</dt><dd>${s === null ? m.unknown : escapeHtml(`${Math.floor(s.uptimeSeconds / 3600)} h ${Math.floor((s.uptimeSeconds % 3600) / 60)} min`)}</dd>
<dt>${escapeHtml(m.devices)}</dt><dd data-testid="devices">${devices}</dd>
<dt>${escapeHtml(m.outbox)}</dt><dd>${s === null ? m.unknown : escapeHtml(m.outboxValue(s.outbox.depth, s.outbox.oldestUnsentAt === null ? null : formatTime(s.outbox.oldestUnsentAt, ctx)))}</dd>
<dt>${escapeHtml(m.diskFree)}</dt><dd>${escapeHtml(bytes(s?.diskFreeBytes ?? null, m))}</dd>
<dt>${escapeHtml(m.clockOffset)}</dt><dd>${s?.clockOffsetMs === null || s === null ? m.unknown : escapeHtml(`${(s.clockOffsetMs / 1000).toFixed(1)} s`)}</dd>
<dt>${escapeHtml(m.lastActivity)}</dt><dd>${escapeHtml(formatTime(s?.lastResidentActivityAt ?? null, ctx))}</dd>
<dt>${escapeHtml(m.notice)}</dt><dd>${s?.notice === null || s === null ? m.none : escapeHtml(`${s.notice.text} (≤ ${formatTime(s.notice.until, ctx)})`)}</dd>
<dt>${escapeHtml(m.availability)}</dt><dd data-testid="availability">${escapeHtml(m.days(7))} ${escapeHtml(percent(data.availability.week, m))} · ${escapeHtml(m.days(30))} ${escapeHtml(percent(data.availability.month, m))}</dd>
<dt>${escapeHtml(m.auditHead)}</dt><dd class="muted">${escapeHtml(s?.auditHead ?? m.unknown)}</dd></dl></section>`;
  const flash =
    data.flash === undefined ? '' : `<section class="flash" role="status">${escapeHtml(data.flash)}</section>`;
  const alerts = `<section data-testid="open-alerts"><h2>${escapeHtml(m.openAlerts)}</h2>${
    view.alerts.length === 0
      ? `<p>${escapeHtml(m.none)}</p>`
      : view.alerts
          .map(
            (a) =>
              `<div class="alert-row" data-alert="${escapeHtml(a.code)}"><div><span class="dot h-${a.severity === 'critical' ? 'red' : a.severity === 'warning' ? 'amber' : 'green'}" aria-hidden="true"></span><b>${escapeHtml(m.alerts[a.code])}</b> <span class="muted">${escapeHtml(m.since)} ${escapeHtml(formatTime(a.raisedAt, ctx))}${a.detail === null ? '' : ` · ${escapeHtml(a.detail)}`}</span>${
                a.ackedBy === null
                  ? ''
                  : `<div class="muted" data-testid="acked">${escapeHtml(m.acknowledgedBy(a.ackedBy, formatTime(a.ackedAt, ctx)))}</div>`
              }</div>${
                a.ackedBy === null && ctx.mayAct
                  ? `<form method="post" action="${base}/alerts/${a.id}/ack">${ctx.csrfField}<button class="ack" type="submit" data-testid="ack-${escapeHtml(a.code)}">${escapeHtml(m.acknowledge)}</button></form>`
                  : ''
              }</div>`,
          )
          .join('')
  }</section>`;
  const kinds: FleetCommandKind[] = [
    'self-test',
    'refresh-catalogue',
    'upload-diagnostics',
    'set-assigned-version',
    'show-notice',
  ];
  const extra: Record<FleetCommandKind, string> = {
    'self-test': `<label>${escapeHtml(m.device)}<select name="device">${deviceRoles.map((d) => `<option value="${d}">${escapeHtml(m.deviceRole[d])}</option>`).join('')}</select></label>`,
    'refresh-catalogue': '',
    'upload-diagnostics': '',
    'set-assigned-version': `<label>${escapeHtml(m.version)}<input name="version" required pattern="[0-9A-Za-z.+~-]{1,40}"></label>`,
    'show-notice': `<label>${escapeHtml(m.noticeText)}<input name="text" maxlength="200"></label><label>${escapeHtml(m.noticeHours)}<input name="hours" type="number" min="1" max="168" value="24"></label>`,
  };
  const commands = `<section class="noprint"><h2>${escapeHtml(m.sendCommand)}</h2>${
    ctx.mayAct
      ? `<div class="commands">${kinds
          .map(
            (k) =>
              `<form method="post" action="${base}/commands">${ctx.csrfField}<input type="hidden" name="kind" value="${k}"><b>${escapeHtml(m.commands[k])}</b>${extra[k]}<button type="submit" data-testid="send-${k}">${escapeHtml(m.send)}</button></form>`,
          )
          .join('')}</div>`
      : `<p class="muted" data-testid="view-only">${escapeHtml(m.viewOnly)}</p>`
  }</section>`;
  const commandLog = `<section data-testid="command-log"><h2>${escapeHtml(m.commandLog)}</h2><div class="scroll"><table><tbody>${data.commands
    .map(
      (c) =>
        `<tr data-command="${escapeHtml(c.id)}"><td>${escapeHtml(formatTime(c.issuedAt, ctx))}</td><td>${escapeHtml(m.commands[c.kind as FleetCommandKind] ?? c.kind)}<div class="muted">${escapeHtml(c.issuedBy)}</div></td><td data-testid="reply">${
          c.outcome === null
            ? escapeHtml(m.waitingReply)
            : `${escapeHtml(m.outcome[c.outcome as 'done'] ?? c.outcome)}${c.refusal === null ? '' : ` (${escapeHtml(c.refusal)})`}: ${escapeHtml(c.message ?? '')}`
        }</td></tr>`,
    )
    .join('')}</tbody></table></div></section>`;
  const events = `<section data-testid="events"><h2>${escapeHtml(m.events)}</h2><div class="scroll"><table><tbody>${data.events
    .map(
      (e) =>
        `<tr><td>${escapeHtml(formatTime(e.at, ctx))}</td><td><span class="dot h-${e.severity === 'critical' ? 'red' : e.severity === 'warning' ? 'amber' : 'green'}" aria-hidden="true"></span>${escapeHtml(m.alerts[e.code])}</td><td>${escapeHtml(m.phase[e.phase as 'raised'] ?? e.phase)}</td><td class="muted">${escapeHtml(e.detail ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table></div></section>`;
  const history = `<section data-testid="history"><h2>${escapeHtml(m.history)}</h2><div class="scroll"><table><tbody>${data.samples
    .map(
      (h) =>
        `<tr><td>${escapeHtml(formatTime(h.at, ctx))}</td><td>${escapeHtml(h.status === 'online' ? m.online : m.health.grey)}</td><td>${escapeHtml(h.state?.version ?? '')}</td><td class="muted">${
          h.state === null
            ? ''
            : escapeHtml(
                Object.entries(h.state.devices)
                  .map(([r, d]) => `${deviceName(r, m)}: ${deviceStateName(d.state, m)}`)
                  .join(', '),
              )
        }${h.state !== null && h.state.alerts.length > 0 ? ` · ${escapeHtml(h.state.alerts.map((a) => m.alerts[a.code]).join('、'))}` : ''}</td></tr>`,
    )
    .join('')}</tbody></table></div></section>`;
  return layout(
    ctx,
    `${s?.name ?? view.terminal} — ${m.title}`,
    `<p class="noprint"><a href="/fleet">← ${escapeHtml(m.back)}</a></p>${flash}${status}${alerts}${commands}${commandLog}${events}${history}`,
    true,
  );
}

/** A day's summary, sized for a county of thousands: counts for all, rows for the few that need a look. */
export interface SummaryData {
  readonly date: string;
  readonly total: number;
  readonly online: number;
  readonly alertCounts: readonly AlertCounts[];
  /** The day's first alerts (at most a page of them). */
  readonly alerts: ReadonlyArray<{
    name: string;
    code: AlertCode;
    raisedAt: string;
    clearedAt: string | null;
    ackedBy: string | null;
  }>;
  /** Terminals known that day, by their availability that day. */
  readonly bands: { readonly full: number; readonly most: number; readonly low: number };
  /** The lowest availabilities first (at most a page of them). */
  readonly lowest: ReadonlyArray<{ name: string; village: string; availability: number }>;
}

export function summaryPage(data: SummaryData, ctx: PageContext): string {
  const m = consoleMessages[ctx.lang];
  const sum = (key: 'raised' | 'open' | 'acknowledged') => data.alertCounts.reduce((n, c) => n + c[key], 0);
  const raised = sum('raised');
  const known = data.bands.full + data.bands.most + data.bands.low;
  const body = `<section><h2>${escapeHtml(m.dailySummary)} — ${escapeHtml(data.date)}</h2>
<form method="get" action="/fleet/summary" class="noprint"><label for="d">${escapeHtml(m.date)}</label><input id="d" type="date" name="date" value="${escapeHtml(data.date)}"> <button type="submit">${escapeHtml(m.apply)}</button> <button type="button" data-print>${escapeHtml(m.print)}</button></form>
<dl data-testid="summary"><dt>${escapeHtml(m.total)}</dt><dd>${data.total}</dd><dt>${escapeHtml(m.online)}</dt><dd>${data.online}</dd>
<dt>${escapeHtml(m.alertsRaised)}</dt><dd>${raised}</dd><dt>${escapeHtml(m.stillOpen)}</dt><dd>${sum('open')}</dd><dt>${escapeHtml(m.acknowledged)}</dt><dd>${sum('acknowledged')}</dd></dl></section>
<section><h2>${escapeHtml(m.alertsRaised)}</h2><table><tbody>${data.alertCounts
    .map((c) => `<tr><td>${escapeHtml(m.alerts[c.code])}</td><td>${c.raised}</td></tr>`)
    .join('')}</tbody></table></section>
<section>${data.alerts.length < raised ? `<p class="muted">${escapeHtml(m.firstShown(data.alerts.length, raised))}</p>` : ''}<div class="scroll"><table><thead><tr><th>${escapeHtml(m.terminal)}</th><th>${escapeHtml(m.filterAlert)}</th><th>${escapeHtml(m.raisedAt)}</th><th>${escapeHtml(m.clearedAt)}</th><th>${escapeHtml(m.acknowledged)}</th></tr></thead><tbody>${data.alerts
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.name)}</td><td>${escapeHtml(m.alerts[a.code])}</td><td>${escapeHtml(formatTime(a.raisedAt, ctx))}</td><td>${escapeHtml(formatTime(a.clearedAt, ctx))}</td><td>${escapeHtml(a.ackedBy ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table></div></section>
<section><h2>${escapeHtml(m.availability)}</h2><p data-testid="availability-bands">${escapeHtml(m.availabilityBands(data.bands.full, data.bands.most, data.bands.low))}</p>${data.lowest.length < known ? `<p class="muted">${escapeHtml(m.lowestShown(data.lowest.length, known))}</p>` : ''}<div class="scroll"><table><tbody>${data.lowest
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.village)}</td><td>${escapeHtml(percent(t.availability, m))}</td></tr>`,
    )
    .join('')}</tbody></table></div></section>`;
  return layout(ctx, `${m.dailySummary} ${data.date}`, body, false);
}

export function notFoundPage(ctx: PageContext): string {
  const m = consoleMessages[ctx.lang];
  return layout(
    ctx,
    m.notFound,
    `<section><p>${escapeHtml(m.notFound)}</p><p><a href="/fleet">${escapeHtml(m.back)}</a></p></section>`,
    false,
  );
}

/** Refreshes <main> when the server announces a change; at most twice a second. */
export const liveScript = `(() => {
  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => print());
  const main = document.getElementById('content');
  if (!main || !main.dataset.live || !window.EventSource) return;
  let busy = false, again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const url = new URL(location.href);
      url.searchParams.set('fragment', '1');
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (response.ok) {
        const active = document.activeElement;
        if (!(active && (active.tagName === 'INPUT' || active.tagName === 'SELECT'))) main.innerHTML = await response.text();
      }
    } finally {
      setTimeout(() => { busy = false; if (again) { again = false; refresh(); } }, 250);
    }
  }
  // The live stream follows this page: a list page's filter and page number go with it.
  const live = new URL('/fleet/live' + location.pathname.replace(/^\\/fleet/, ''), location.href);
  for (const [name, value] of new URL(location.href).searchParams)
    if (name !== 'fragment' && name !== 'lang') live.searchParams.set(name, value);
  live.searchParams.set('since', main.dataset.live);
  const source = new EventSource(live);
  source.onmessage = refresh;
})();`;
