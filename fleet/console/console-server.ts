/**
 * The county's fleet console: a small fastify server over the console store, fed by the broker
 * (console-link.ts). Every page and action needs a signed-in account (ConsoleAuth, the hall's
 * account model); state changes carry a CSRF token. Live pages get a Server-Sent Events stream that
 * only says "something changed here", and fetch the new content themselves.
 */
import type { KeyObject } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import { alertCodeSchema, fleetCommandSchema, type FleetCommand } from '../contract/fleet-payloads';
import { fleetTerminalIdSchema } from '../contract/fleet-topics';
import { startConsoleLink, type ConsoleLink } from './console-link';
import { consoleMessages, type ConsoleLanguage } from './console-messages';
import {
  listPage,
  liveScript,
  notFoundPage,
  summaryPage,
  terminalPage,
  type ListFilter,
  type PageContext,
} from './console-pages';
import { openConsoleStore, type ConsoleStore, type TerminalView } from './console-store';

export interface ConsoleUser {
  readonly name: string;
}

/** The sign-in the console mounts (the hall's account model); see fleet/README.md. */
export interface ConsoleAuth {
  register(app: FastifyInstance): Promise<void>;
  /** The signed-in account, or null once it has answered (redirect to sign-in or 401). */
  require(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleUser | null>;
  /** A hidden form field carrying this session's CSRF token. */
  csrfField(request: FastifyRequest, reply: FastifyReply): string;
  /** False once it has answered 403 for a state change without a valid token. */
  checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export interface FleetConsoleOptions {
  readonly port: number;
  readonly host?: string;
  /** SQLite file of the console store. */
  readonly databasePath: string;
  readonly retentionDays: number;
  readonly county: string;
  readonly broker: { readonly url: string; readonly ca?: Buffer; readonly username: string; readonly password: string };
  readonly signingKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly auth: ConsoleAuth;
  readonly clock: Clock;
  readonly log: Log;
  readonly timeZone?: string;
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
  lang: z.enum(['zh', 'en']).optional().catch(undefined),
  fragment: z.string().optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  sent: z.string().optional(),
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

export async function startFleetConsole(options: FleetConsoleOptions): Promise<FleetConsole> {
  const { clock, auth } = options;
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
  type Stream = { write(text: string): void; terminal: string | null };
  const streams = new Set<Stream>();
  const rowKeys = new Map(store.terminals().map((t) => [t.terminal, rowKey(t)]));
  store.onChange((terminals) => {
    const listChanged: string[] = [];
    for (const id of terminals) {
      const view = store.terminal(id);
      if (view === undefined) continue;
      const key = rowKey(view);
      if (rowKeys.get(id) !== key) {
        rowKeys.set(id, key);
        listChanged.push(id);
      }
    }
    const at = clock.now();
    for (const stream of streams) {
      if (stream.terminal === null) {
        if (listChanged.length > 0)
          stream.write(`data: ${JSON.stringify({ at, terminals: listChanged.slice(0, 1000) })}\n\n`);
      } else if (terminals.has(stream.terminal)) {
        stream.write(`data: ${JSON.stringify({ at, terminals: [stream.terminal] })}\n\n`);
      }
    }
  });

  // Live pages hold their connections open: closing must not wait for them.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, forceCloseConnections: true });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });
  await auth.register(app);

  const context = (
    request: FastifyRequest,
    reply: FastifyReply,
    user: ConsoleUser,
    query: z.infer<typeof listQuery>,
  ): PageContext => ({
    lang: languageOf(request, reply, query.lang),
    user: user.name,
    csrfField: auth.csrfField(request, reply),
    now: clock.now(),
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    self: request.url.replace(/([?&])(fragment|lang)=[^&]*/g, '$1').replace(/[?&]+$/, ''),
    fragment: query.fragment === '1',
  });
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(body);

  app.get('/fleet/assets/live.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(liveScript));
  app.get('/', (_request, reply) => reply.redirect('/fleet'));

  app.get('/fleet', async (request, reply) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
    const query = listQuery.parse(request.query);
    const filter: ListFilter = {
      ...(query.health === undefined ? {} : { health: query.health }),
      ...(query.alert === undefined ? {} : { alert: query.alert }),
      ...(query.q === undefined ? {} : { text: query.q }),
    };
    return html(reply, listPage(store.terminals(), filter, context(request, reply, user, query)));
  });

  app.get<{ Params: { id: string } }>('/fleet/terminals/:id', async (request, reply) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
    const query = listQuery.parse(request.query);
    const ctx = context(request, reply, user, query);
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
          availability: { week: store.availability(view.terminal, 7), month: store.availability(view.terminal, 30) },
          ...(query.sent === undefined
            ? {}
            : {
                flash:
                  query.sent === '1' ? consoleMessages[ctx.lang].commandSent : consoleMessages[ctx.lang].commandFailed,
              }),
        },
        ctx,
      ),
    );
  });

  app.post<{ Params: { id: string; alertId: string } }>(
    '/fleet/terminals/:id/alerts/:alertId/ack',
    async (request, reply) => {
      const user = await auth.require(request, reply);
      if (user === null) return reply;
      if (!(await auth.checkCsrf(request, reply))) return reply;
      const alertId = Number(request.params.alertId);
      if (!Number.isInteger(alertId) || store.terminal(request.params.id) === undefined)
        return reply.code(404).send({ error: 'no such alert' });
      const done = store.acknowledge(request.params.id, alertId, user.name);
      log.info({ terminal: request.params.id, alertId, by: user.name, done }, 'alert acknowledged');
      return reply.redirect(`/fleet/terminals/${encodeURIComponent(request.params.id)}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>('/fleet/terminals/:id/commands', async (request, reply) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
    if (!(await auth.checkCsrf(request, reply))) return reply;
    if (store.terminal(request.params.id) === undefined) return reply.code(404).send({ error: 'no such terminal' });
    const command = commandFromForm(request.body, clock.now());
    const target = `/fleet/terminals/${encodeURIComponent(request.params.id)}`;
    if (command === null) return reply.redirect(`${target}?sent=0`, 303);
    try {
      await link.send(request.params.id, command, user.name);
    } catch (error) {
      log.warn({ terminal: request.params.id, error: String(error) }, 'command not sent');
      return reply.redirect(`${target}?sent=0`, 303);
    }
    return reply.redirect(`${target}?sent=1`, 303);
  });

  /** The list as JSON, for scripts and the bench's check of a full, correct view. */
  app.get('/fleet/api/terminals', async (request, reply) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
    return reply.send({
      brokerConnected: link.connected,
      terminals: store.terminals().map((t) => ({
        terminal: t.terminal,
        village: t.state?.village ?? null,
        status: t.status,
        health: t.health,
        alerts: t.alerts.map((a) => a.code),
        lastSeen: t.lastSeen,
      })),
    });
  });

  app.get('/fleet/summary', async (request, reply) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
    const query = listQuery.parse(request.query);
    const ctx = context(request, reply, user, query);
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
    const terminals = store.terminals();
    return html(
      reply,
      summaryPage(
        {
          date,
          terminals,
          availabilityDay: new Map(terminals.map((t) => [t.terminal, store.availability(t.terminal, 1)])),
          alerts: store.alertsRaisedBetween(from, to),
        },
        ctx,
      ),
    );
  });

  const live = async (request: FastifyRequest, reply: FastifyReply, terminal: string | null) => {
    const user = await auth.require(request, reply);
    if (user === null) return reply;
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
    const stream: Stream = { write: (text) => raw.write(text), terminal };
    streams.add(stream);
    const ping = setInterval(() => raw.write(': ping\n\n'), 25_000);
    request.raw.on('close', () => {
      clearInterval(ping);
      streams.delete(stream);
    });
    return reply;
  };
  app.get('/fleet/live', (request, reply) => live(request, reply, null));
  app.get<{ Params: { id: string } }>('/fleet/live/terminals/:id', (request, reply) =>
    live(request, reply, fleetTerminalIdSchema.safeParse(request.params.id).success ? request.params.id : '-'),
  );

  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://127.0.0.1:${port}`;
  log.info({ url }, 'fleet console listening');
  return {
    url,
    store,
    link,
    app,
    async close() {
      clearInterval(pruneTimer);
      for (const stream of streams) stream.write('');
      await app.close().catch(() => undefined);
      await link.close();
      store.close();
    },
  };
}
