/**
 * The county's fleet console: a small fastify server over the console store, fed by the broker
 * (console-link.ts). Staff sign in with the platform's account model (mountAccounts on the
 * console's own database): server-side sessions, lock-out, CSRF on every POST, and default deny —
 * every route names the roles that may use it, checked on the server. Viewers see; technicians
 * also acknowledge alerts and send commands. Live pages get a Server-Sent Events stream that only
 * says "something changed here", and fetch the new content themselves.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../foundation/clock';
import { isLoopbackHost } from '../../foundation/loopback';
import type { Log } from '../../foundation/log';
import type { LockoutPolicy } from '../../platform/server/accounts/account-db';
import { mountAccounts, type RouteAccess, type SignedInStaff } from '../../platform/server/accounts/mount-accounts';
import { alertCodeSchema, fleetCommandSchema, type FleetCommand } from '../contract/fleet-payloads';
import { fleetTerminalIdSchema } from '../contract/fleet-topics';
import { startConsoleLink, type ConsoleLink } from './console-link';
import { consoleMessages, type ConsoleLanguage } from './console-messages';
import {
  accountPage,
  listPage,
  liveScript,
  notFoundPage,
  summaryPage,
  terminalPage,
  type PageContext,
} from './console-pages';
import {
  openConsoleStore,
  type ConsoleStore,
  type ListFilter,
  type ListPage,
  type TerminalView,
} from './console-store';

/** Who signs in to a console: viewers (county officers) see, technicians also act on terminals. */
export const consoleRoles = ['technician', 'viewer'] as const;
export type ConsoleRole = (typeof consoleRoles)[number];
const everyRole: RouteAccess = { kind: 'roles', roles: consoleRoles };
const technicians: RouteAccess = { kind: 'roles', roles: ['technician'] satisfies ConsoleRole[] };
const open: RouteAccess = { kind: 'public' };

export interface FleetConsoleOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Loopback by default; another address needs `tls` (session cookies are Secure). */
  readonly host?: string;
  /** PEM certificate chain and key: the console then serves HTTPS only. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** SQLite file of the console store; the staff accounts live in it too. */
  readonly databasePath: string;
  readonly retentionDays: number;
  readonly county: string;
  readonly broker: { readonly url: string; readonly ca?: Buffer; readonly username: string; readonly password: string };
  readonly signingKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly clock: Clock;
  readonly log: Log;
  readonly timeZone?: string;
  readonly accounts?: { readonly lockout?: LockoutPolicy; readonly idleMs?: number };
  /** Signs session cookies; the same one after a restart keeps staff signed in (consoleSessionSecret). */
  readonly sessionSecret?: string;
  /** Per address and minute: sign-in posts, commands sent, and all requests together. */
  readonly rateLimits?: { readonly signIn?: number; readonly commands?: number; readonly requests?: number };
  /** Terminals on one page of the list (50: a phone's screenful or two). */
  readonly pageSize?: number;
}

export interface FleetConsole {
  readonly url: string;
  readonly store: ConsoleStore;
  readonly link: ConsoleLink;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const listQuery = z.object({
  health: z.enum(['red', 'amber', 'green', 'grey']).optional().catch(undefined),
  alert: alertCodeSchema.optional().catch(undefined),
  q: z.string().max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  lang: z.enum(['zh', 'en']).optional().catch(undefined),
  fragment: z.string().optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  sent: z.string().optional(),
});

/** Terminals in one answer of the JSON list (about 150 kB). */
const apiPageSize = 1000;
const apiQuery = z.object({
  after: fleetTerminalIdSchema.optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(apiPageSize).optional().catch(undefined),
});

const commandForm = z.object({
  kind: z.string(),
  device: z.string().optional(),
  version: z.string().optional(),
  text: z.string().max(200).optional(),
  hours: z.coerce.number().int().min(1).max(168).optional(),
});

/** The form's fields as a command, or why not. */
export function commandFromForm(body: unknown, now: number): FleetCommand | null {
  const form = commandForm.safeParse(body);
  if (!form.success) return null;
  const f = form.data;
  const candidate =
    f.kind === 'self-test'
      ? { kind: f.kind, device: f.device }
      : f.kind === 'set-assigned-version'
        ? { kind: f.kind, version: f.version?.trim() }
        : f.kind === 'show-notice'
          ? {
              kind: f.kind,
              text: f.text?.trim() ?? '',
              until: new Date(now + (f.hours ?? 24) * 3600_000).toISOString(),
            }
          : { kind: f.kind };
  const parsed = fleetCommandSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function languageOf(request: FastifyRequest, reply: FastifyReply, asked: ConsoleLanguage | undefined): ConsoleLanguage {
  if (asked !== undefined) {
    void reply.header('set-cookie', `fleet_lang=${asked}; Path=/fleet; SameSite=Strict; Max-Age=31536000`);
    return asked;
  }
  const cookie = /(?:^|;\s*)fleet_lang=(zh|en)/.exec(request.headers.cookie ?? '')?.[1];
  if (cookie === 'zh' || cookie === 'en') return cookie;
  const accept = request.headers['accept-language'] ?? '';
  return /^\s*en/i.test(accept) ? 'en' : 'zh';
}

/** Rows of the list differ only when something a technician sees there changed. */
function rowKey(view: TerminalView): string {
  return `${view.health}|${view.state?.name ?? ''}|${view.state?.village ?? ''}|${view.alerts.map((a) => `${a.code}:${a.ackedAt ?? ''}`).join(',')}`;
}

/** What a list page shows: when this is unchanged, the page's live refresh is not needed. */
function pageSignature(list: ListPage): string {
  const { counts } = list;
  return `${counts.red},${counts.amber},${counts.grey},${counts.green}|${list.matched}|${list.offset}|${list.rows.map((r) => `${r.terminal}=${rowKey(r)}`).join(';')}`;
}

function filterOf(query: z.infer<typeof listQuery>): ListFilter {
  return {
    ...(query.health === undefined ? {} : { health: query.health }),
    ...(query.alert === undefined ? {} : { alert: query.alert }),
    ...(query.q === undefined ? {} : { text: query.q }),
  };
}

/** A list page checks its content at most this often while changes keep coming (a broker restart's storm). */
const listCheckMs = 200;
/** Rows of a daily summary's alert and availability tables: a printable page, the counts cover the rest. */
const summaryRows = 200;

export async function startFleetConsole(options: FleetConsoleOptions): Promise<FleetConsole> {
  const { clock } = options;
  const host = options.host ?? '127.0.0.1';
  // Session cookies are Secure: browsers keep them over plain HTTP from loopback only.
  if (options.tls === undefined && !isLoopbackHost(host))
    throw new Error(`the console serves ${host} only over HTTPS: give it a TLS certificate and key`);
  const log = options.log.child({ service: 'fleet-console' });
  const store = openConsoleStore({ path: options.databasePath, clock, retentionDays: options.retentionDays });
  const link = startConsoleLink({
    brokerUrl: options.broker.url,
    ...(options.broker.ca === undefined ? {} : { ca: options.broker.ca }),
    username: options.broker.username,
    password: options.broker.password,
    county: options.county,
    store,
    signingKey: options.signingKey,
    clock,
    log,
  });
  const pruneTimer = setInterval(() => store.prune(), 3600_000);
  pruneTimer.unref();

  // ---------------------------------------------------------------- live change streams
  const pageSize = Math.max(1, options.pageSize ?? 50);
  const listOf = (filter: ListFilter, page: number) => store.listPage(filter, (page - 1) * pageSize, pageSize);
  /** A terminal's page follows that terminal; a list page follows the page it shows (filter and number). */
  type Stream = {
    write(text: string): void;
    terminal: string | null;
    list?: { readonly filter: ListFilter; readonly page: number; readonly key: string; seen: string };
  };
  const streams = new Set<Stream>();
  const rowKeys = new Map(store.terminals().map((t) => [t.terminal, rowKey(t)]));
  // Change marks: a page carries the mark it was rendered at and opens its live stream with it; a
  // change notified in between (a command's reply arriving while the browser follows the redirect)
  // would otherwise be lost. The boot id makes marks from before a console restart always stale.
  const boot = randomUUID().slice(0, 8);
  let changeSeq = 0;
  let listChangedAt = 0;
  const terminalChangedAt = new Map<string, number>();
  const liveSince = () => `${boot}.${changeSeq}`;
  const changedSince = (since: string | undefined, terminal: string | null): boolean => {
    const [sinceBoot, sinceSeq] = (since ?? '').split('.');
    if (sinceBoot !== boot) return true;
    const seen = Number(sinceSeq);
    if (!Number.isSafeInteger(seen)) return true;
    return (terminal === null ? listChangedAt : (terminalChangedAt.get(terminal) ?? 0)) > seen;
  };
  // List pages: rows changed since the last check; each open list page is told only when what it
  // shows changed (its rows, or the counts), and all of them are checked together, at most every
  // listCheckMs, so a storm of thousands of states costs a few page computations, not one per message.
  const listPending = new Set<string>();
  let lastListCheck = Number.NEGATIVE_INFINITY;
  let listCheckTimer: NodeJS.Timeout | null = null;
  const checkListPages = () => {
    listCheckTimer = null;
    lastListCheck = performance.now();
    const named = [...listPending].slice(0, 1000);
    listPending.clear();
    const signatures = new Map<string, string>();
    const data = `data: ${JSON.stringify({ at: clock.now(), terminals: named })}\n\n`;
    for (const stream of streams) {
      const list = stream.list;
      if (list === undefined) continue;
      let signature = signatures.get(list.key);
      if (signature === undefined) {
        signature = pageSignature(listOf(list.filter, list.page));
        signatures.set(list.key, signature);
      }
      if (signature === list.seen) continue;
      list.seen = signature;
      stream.write(data);
    }
  };
  const scheduleListCheck = () => {
    if (listCheckTimer !== null) return;
    const wait = lastListCheck + listCheckMs - performance.now();
    if (wait <= 0) checkListPages();
    else listCheckTimer = setTimeout(checkListPages, wait);
  };
  store.onChange((terminals) => {
    changeSeq += 1;
    let listChanged = false;
    for (const id of terminals) {
      terminalChangedAt.set(id, changeSeq);
      const view = store.terminal(id);
      if (view === undefined) continue;
      const key = rowKey(view);
      if (rowKeys.get(id) !== key) {
        rowKeys.set(id, key);
        listPending.add(id);
        listChanged = true;
      }
    }
    if (listChanged) {
      listChangedAt = changeSeq;
      scheduleListCheck();
    }
    const at = clock.now();
    for (const stream of streams)
      if (stream.terminal !== null && terminals.has(stream.terminal))
        stream.write(`data: ${JSON.stringify({ at, terminals: [stream.terminal] })}\n\n`);
  });

  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    // Live pages hold their connections open: closing must not wait for them.
    forceCloseConnections: true,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
  }) as unknown as FastifyInstance;
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    if (options.tls !== undefined) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
  // Every address gets `requests` a minute in all; sign-in and commands have tighter limits of their own.
  await app.register(fastifyRateLimit, { max: options.rateLimits?.requests ?? 600, timeWindow: 60_000 });

  await app.register(async (scope) => {
    const accounts = await mountAccounts(scope, {
      db: store.db,
      basePath: '/fleet',
      homePath: '/fleet',
      roles: consoleRoles,
      now: () => new Date(clock.now()),
      log: log.child({ part: 'console-accounts' }),
      audit: (event) => store.audit(event.actor, event.action, event.detail),
      renderPage: accountPage,
      ...(options.accounts?.lockout === undefined ? {} : { lockout: options.accounts.lockout }),
      ...(options.accounts?.idleMs === undefined ? {} : { idleMs: options.accounts.idleMs }),
      ...(options.rateLimits?.signIn === undefined ? {} : { signInPerMinute: options.rateLimits.signIn }),
      ...(options.sessionSecret === undefined ? {} : { sessionSecret: options.sessionSecret }),
    });
    const sessionPurge = setInterval(() => accounts.purgeExpiredSessions(), 3600_000);
    sessionPurge.unref();
    scope.addHook('onClose', () => clearInterval(sessionPurge));

    const staffOf = (request: FastifyRequest): SignedInStaff => {
      // The scope's guard ran before every handler of a route that needs a role.
      if (request.staff === null) throw new Error('route without a signed-in account');
      return request.staff;
    };
    const context = (request: FastifyRequest, reply: FastifyReply, query: z.infer<typeof listQuery>): PageContext => {
      const staff = staffOf(request);
      return {
        lang: languageOf(request, reply, query.lang),
        user: staff.name,
        mayAct: staff.role === ('technician' satisfies ConsoleRole),
        csrfField: accounts.csrfField(reply),
        now: clock.now(),
        timeZone: options.timeZone ?? 'Asia/Shanghai',
        self: request.url.replace(/([?&])(fragment|lang)=[^&]*/g, '$1').replace(/[?&]+$/, ''),
        fragment: query.fragment === '1',
        liveSince: liveSince(),
      };
    };
    const html = (reply: FastifyReply, body: string, status = 200) =>
      reply.code(status).type('text/html; charset=utf-8').send(body);

    scope.get('/fleet/assets/live.js', { config: { access: open } }, (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(liveScript),
    );
    scope.get('/', { config: { access: open } }, (_request, reply) => reply.redirect('/fleet'));

    scope.get('/fleet', { config: { access: everyRole } }, (request, reply) => {
      const query = listQuery.parse(request.query);
      const filter = filterOf(query);
      const ctx = context(request, reply, query);
      return html(reply, listPage(listOf(filter, query.page ?? 1), filter, pageSize, ctx));
    });

    scope.get<{ Params: { id: string } }>(
      '/fleet/terminals/:id',
      { config: { access: everyRole } },
      (request, reply) => {
        const query = listQuery.parse(request.query);
        const ctx = context(request, reply, query);
        const view = fleetTerminalIdSchema.safeParse(request.params.id).success
          ? store.terminal(request.params.id)
          : undefined;
        if (view === undefined) return html(reply, notFoundPage(ctx), 404);
        const since = new Date(clock.now() - 7 * 86_400_000).toISOString();
        return html(
          reply,
          terminalPage(
            {
              view,
              events: store.events(view.terminal, 100),
              samples: store.samples(view.terminal, since, 200),
              commands: store.commands(view.terminal, 20),
              availability: {
                week: store.availability(view.terminal, 7),
                month: store.availability(view.terminal, 30),
              },
              ...(query.sent === undefined
                ? {}
                : {
                    flash:
                      query.sent === '1'
                        ? consoleMessages[ctx.lang].commandSent
                        : consoleMessages[ctx.lang].commandFailed,
                  }),
            },
            ctx,
          ),
        );
      },
    );

    scope.post<{ Params: { id: string; alertId: string } }>(
      '/fleet/terminals/:id/alerts/:alertId/ack',
      { config: { access: technicians } },
      (request, reply) => {
        const by = staffOf(request).name;
        const alertId = Number(request.params.alertId);
        if (!Number.isInteger(alertId) || store.terminal(request.params.id) === undefined)
          return reply.code(404).send({ error: 'no such alert' });
        const done = store.acknowledge(request.params.id, alertId, by);
        log.info({ terminal: request.params.id, alertId, by, done }, 'alert acknowledged');
        return reply.redirect(`/fleet/terminals/${encodeURIComponent(request.params.id)}`, 303);
      },
    );

    scope.post<{ Params: { id: string } }>(
      '/fleet/terminals/:id/commands',
      {
        config: {
          access: technicians,
          rateLimit: { max: options.rateLimits?.commands ?? 30, timeWindow: 60_000 },
        },
      },
      async (request, reply) => {
        const by = staffOf(request).name;
        if (store.terminal(request.params.id) === undefined) return reply.code(404).send({ error: 'no such terminal' });
        const command = commandFromForm(request.body, clock.now());
        const target = `/fleet/terminals/${encodeURIComponent(request.params.id)}`;
        if (command === null) return reply.redirect(`${target}?sent=0`, 303);
        try {
          await link.send(request.params.id, command, by);
        } catch (error) {
          log.warn({ terminal: request.params.id, error: String(error) }, 'command not sent');
          return reply.redirect(`${target}?sent=0`, 303);
        }
        return reply.redirect(`${target}?sent=1`, 303);
      },
    );

    /**
     * The list as JSON in id order, for scripts and the bench's check of a full, correct view; in
     * pages (`after` the last id of the previous one, `next` names it), so no answer holds the county.
     */
    scope.get('/fleet/api/terminals', { config: { access: everyRole } }, (request, reply) => {
      const query = apiQuery.parse(request.query);
      const limit = query.limit ?? apiPageSize;
      const rows = store.terminalsAfter(query.after ?? '', limit);
      const last = rows.at(-1);
      return reply.send({
        brokerConnected: link.connected,
        terminals: rows.map((t) => ({
          terminal: t.terminal,
          village: t.state?.village ?? null,
          status: t.status,
          health: t.health,
          alerts: t.alerts.map((a) => a.code),
          lastSeen: t.lastSeen,
        })),
        next: rows.length === limit && last !== undefined ? last.terminal : null,
      });
    });

    scope.get('/fleet/summary', { config: { access: everyRole } }, (request, reply) => {
      const query = listQuery.parse(request.query);
      const ctx = context(request, reply, query);
      const timeZone = ctx.timeZone;
      const today = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date(clock.now()));
      const date = query.date ?? today;
      // The day in the console's time zone (China has no daylight saving: a fixed +08:00 is exact there).
      const offset = timeZone === 'Asia/Shanghai' ? '+08:00' : 'Z';
      const from = new Date(`${date}T00:00:00${offset}`).toISOString();
      const to = new Date(Date.parse(from) + 86_400_000).toISOString();
      // Counts for the whole county, rows only for the first alerts and the lowest availabilities.
      const nameOf = (id: string) => store.terminal(id)?.state?.name ?? id;
      const availability = [...store.availabilityBetween(from, to)];
      const lowest = availability
        .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1))
        .slice(0, summaryRows)
        .map(([id, fraction]) => {
          const state = store.terminal(id)?.state;
          return { name: state?.name ?? id, village: state?.village ?? '', availability: fraction };
        });
      const { counts } = store.listPage({}, 0, 1);
      return html(
        reply,
        summaryPage(
          {
            date,
            total: counts.red + counts.amber + counts.green + counts.grey,
            online: counts.red + counts.amber + counts.green,
            alertCounts: store.alertCountsBetween(from, to),
            alerts: store.alertsRaisedBetween(from, to, summaryRows).map((a) => ({ ...a, name: nameOf(a.terminal) })),
            bands: {
              full: availability.filter(([, f]) => f >= 0.99).length,
              most: availability.filter(([, f]) => f >= 0.9 && f < 0.99).length,
              low: availability.filter(([, f]) => f < 0.9).length,
            },
            lowest,
          },
          ctx,
        ),
      );
    });

    const live = (request: FastifyRequest, reply: FastifyReply, terminal: string | null) => {
      if (streams.size >= 200) return reply.code(503).send({ error: 'too many live pages' });
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(': live\n\n');
      const since = (request.query as { since?: unknown }).since;
      if (changedSince(typeof since === 'string' ? since : undefined, terminal))
        raw.write(`data: ${JSON.stringify({ at: clock.now(), terminals: terminal === null ? [] : [terminal] })}\n\n`);
      const stream: Stream = { write: (text) => raw.write(text), terminal };
      if (terminal === null) {
        // The list page's own filter and page number, as its address gave them.
        const query = listQuery.parse(request.query);
        const filter = filterOf(query);
        const page = query.page ?? 1;
        stream.list = { filter, page, key: JSON.stringify([filter, page]), seen: pageSignature(listOf(filter, page)) };
      }
      streams.add(stream);
      const ping = setInterval(() => raw.write(': ping\n\n'), 25_000);
      request.raw.on('close', () => {
        clearInterval(ping);
        streams.delete(stream);
      });
      return reply;
    };
    scope.get('/fleet/live', { config: { access: everyRole } }, (request, reply) => live(request, reply, null));
    scope.get<{ Params: { id: string } }>(
      '/fleet/live/terminals/:id',
      { config: { access: everyRole } },
      (request, reply) =>
        live(request, reply, fleetTerminalIdSchema.safeParse(request.params.id).success ? request.params.id : '-'),
    );
  });

  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost = isLoopbackHost(host) ? '127.0.0.1' : host;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  log.info({ url }, 'fleet console listening');
  return {
    url,
    store,
    link,
    app,
    async close() {
      clearInterval(pruneTimer);
      if (listCheckTimer !== null) clearTimeout(listCheckTimer);
      for (const stream of streams) stream.write('');
      await app.close().catch(() => undefined);
      await link.close();
      store.close();
    },
  };
}
