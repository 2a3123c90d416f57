/**
 * Staff sign-in for a fastify scope: mount it on the scope that holds an application's pages (the
 * hall today, a fleet console later) with that application's own SQLite handle. It brings
 * - server-side sessions (@fastify/session over account_sessions) in `HttpOnly; Secure;
 *   SameSite=Strict` cookies, ended after `idleMs` without a request or `absoluteMs` in all;
 * - sign-in with per-account and per-address lock-out (account-db.ts) behind a rate limit;
 * - a forced change of the first password (and of any password an admin set);
 * - CSRF tokens (@fastify/csrf-protection) checked on every POST of the scope;
 * - default deny: every route of the scope must declare `config.access`, and a route that does not
 *   is refused to everyone;
 * - idle time that only a person's requests renew: a route a page calls by itself in the background
 *   (a long poll) declares `config.activity: 'background'`, so a page left open still signs out.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession, { type SessionStore } from '@fastify/session';
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, Session } from 'fastify';
import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { escapeHtml } from '../html';
import { AccountStore, defaultLockout, migrateAccountTables, type AccountRow, type LockoutPolicy } from './account-db';
import { decoyHash, hashPassword, minPasswordLength, passwordProblem, verifyPassword } from './password-hash';

/** Who may use a route. Routes without one are refused (default deny). */
export type RouteAccess =
  | { readonly kind: 'public' }
  /** Any signed-in account, even one that must still change its password (the password and sign-out pages). */
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'roles'; readonly roles: readonly string[] };

export interface SignedInStaff {
  readonly id: number;
  readonly name: string;
  readonly role: string;
}

declare module 'fastify' {
  interface Session {
    accountId?: number;
    _csrf?: string;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * `background`: the route is called by a page on its own (a poll), not by the person, so it
     * does not renew the session's idle time. Every other request does.
     */
    activity?: 'person' | 'background';
  }
  interface FastifyRequest {
    staff: SignedInStaff | null;
  }
}

/** Sign-in events for the host's audit log; names only of accounts that exist. */
export interface AccountEvent {
  readonly actor: string;
  readonly action:
    | 'account.signed-in'
    | 'account.sign-in-failed'
    | 'account.locked'
    | 'account.address-locked'
    | 'account.signed-out'
    | 'account.password-changed';
  readonly detail?: string;
}

export interface AccountsOptions {
  /** The host application's database; the account tables are created on it. */
  readonly db: BetterSqlite3.Database;
  /** Pages live under this path: `${basePath}/login`, `/logout`, `/password`. */
  readonly basePath: string;
  /** Where a signed-in person lands. */
  readonly homePath: string;
  readonly roles: readonly string[];
  readonly now: () => Date;
  /** Lock-outs and session limits run on elapsed time (foundation/clock.ts); tests pass a manual one. */
  readonly monotonic?: MonotonicClock;
  readonly log: Log;
  readonly audit: (event: AccountEvent) => void;
  /** The host's page frame: title and body HTML in, a whole document out. */
  readonly renderPage: (title: string, body: string) => string;
  readonly idleMs?: number;
  readonly absoluteMs?: number;
  readonly lockout?: LockoutPolicy;
  /** Sign-in attempts per address and minute before 429 (on top of the lock-out). */
  readonly signInPerMinute?: number;
  /**
   * Signs the session cookie (at least 32 characters). Give one kept across restarts (a file in the
   * host's data folder) so staff stay signed in when the host restarts; a fresh one per start otherwise.
   */
  readonly sessionSecret?: string;
}

export interface MountedAccounts {
  readonly store: AccountStore;
  /** The hidden form field every POST form of the scope must carry. */
  csrfField(reply: FastifyReply): string;
  /** Deletes sessions past their idle or absolute limit (sessions are also checked on every request). */
  purgeExpiredSessions(): number;
}

const cookieName = 'vk_session';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type SessionData = Pick<Session, 'accountId' | '_csrf'>;

function form(request: FastifyRequest): Record<string, string> {
  const body = request.body;
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : '']),
  );
}

export async function mountAccounts(scope: FastifyInstance, options: AccountsOptions): Promise<MountedAccounts> {
  migrateAccountTables(options.db);
  const store = new AccountStore(options.db);
  const idleMs = options.idleMs ?? 15 * 60_000;
  const absoluteMs = options.absoluteMs ?? 10 * 3600_000;
  const lockout = options.lockout ?? defaultLockout;
  const base = options.basePath;
  const { now, log } = options;
  // Lock-outs and idle/absolute session limits are stored as times, measured on a clock read from the
  // wall clock once at start and moved on by elapsed time only: a step of the server's clock while it
  // runs (set forward to lift a lock, or back to keep a session alive) changes none of them.
  const elapsed = options.monotonic ?? monotonicClock;
  const anchorMs = now().getTime() - elapsed.elapsedMs();
  const steady = (): Date => new Date(anchorMs + elapsed.elapsedMs());

  const sessionStore: SessionStore = {
    set(sessionId, session, done) {
      const data: SessionData = { accountId: session.accountId, _csrf: session._csrf };
      store.saveSession(sessionId, session.accountId ?? null, JSON.stringify(data), steady());
      done();
    },
    get(sessionId, done) {
      const data = store.session(sessionId, steady(), idleMs, absoluteMs);
      done(null, data === null ? null : (JSON.parse(data) as Session));
    },
    destroy(sessionId, done) {
      store.destroySession(sessionId);
      done();
    },
  };

  await scope.register(fastifyCookie);
  await scope.register(fastifySession, {
    // Session ids are random and kept server-side (hashed); the signature only spares the store
    // lookups for forged cookies. A new secret signs everyone out, hence the host's kept one.
    secret: options.sessionSecret ?? randomBytes(32).toString('base64url'),
    cookieName,
    store: sessionStore,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, secure: true, sameSite: 'strict', path: '/' },
  });
  await scope.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await scope.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => form(request)['_csrf'],
  });

  /**
   * @fastify/session sets its cookie itself only on HTTPS; an explicit save also sets it on plain
   * HTTP, which the platform allows on loopback only (the embedded platform). The cookie is Secure
   * either way: browsers accept that from loopback, and from nowhere else over plain HTTP.
   */
  const persist = (request: FastifyRequest) => request.session.save();

  const staffOf = (account: AccountRow): SignedInStaff => ({ id: account.id, name: account.name, role: account.role });

  const page = (reply: FastifyReply, status: number, title: string, body: string): FastifyReply =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        options.renderPage(
          title,
          `<section class="${status >= 400 ? 'invalid' : ''}"><h1>${escapeHtml(title)}</h1>${body}</section>`,
        ),
      );

  scope.decorateRequest('staff', null);

  scope.addHook('preHandler', async (request, reply) => {
    // Reading the session (@fastify/session, at each request) does not renew it; a person's request does.
    if (request.routeOptions.config.activity !== 'background') store.touchSession(request.session.sessionId, steady());
    const accountId = request.session.accountId;
    if (accountId !== undefined) {
      const account = store.byId(accountId);
      if (account === undefined || account.disabled === 1) {
        await request.session.destroy();
        reply.clearCookie(cookieName, { path: '/' });
      } else {
        request.staff = staffOf(account);
        if (account.must_change_password === 1 && request.routeOptions.config.access?.kind === 'roles') {
          return request.method === 'GET'
            ? reply.redirect(`${base}/password`, 303)
            : page(reply, 403, '请先修改密码', '<p>首次登录或管理员重置后，请先设置自己的密码。</p>');
        }
      }
    }
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      log.error({ route: request.routeOptions.url }, 'route declares no access rule: refused');
      return page(reply, 403, '无权访问', '<p>此页面未开放。</p>');
    }
    if (access.kind === 'public') return;
    if (request.staff === null) {
      if (request.method === 'GET') {
        const next = encodeURIComponent(request.url);
        return reply.redirect(`${base}/login?next=${next}`, 303);
      }
      return page(reply, 401, '请先登录', `<p><a href="${base}/login">登录</a></p>`);
    }
    if (access.kind === 'roles' && !access.roles.includes(request.staff.role))
      return page(reply, 403, '无权访问', '<p>您的账号没有此项权限。</p>');
  });

  // Every state change in the scope carries the session's CSRF token (sign-in included).
  scope.addHook('preHandler', (request, reply, done) => {
    if (!unsafeMethods.has(request.method)) return done();
    scope.csrfProtection(request, reply, done);
  });

  const csrfField = (reply: FastifyReply): string =>
    `<input type="hidden" name="_csrf" value="${escapeHtml(reply.generateCsrf())}">`;

  /** Only paths of this application, never another site (`//evil`) or a scheme. */
  const safeNext = (next: string | undefined): string =>
    next !== undefined && next.startsWith(`${base}/`) && !next.startsWith('//') && !/[\\\r\n]/.test(next)
      ? next
      : options.homePath;

  const loginForm = (reply: FastifyReply, next: string, message?: string): string =>
    `${message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`}
<form method="post" action="${base}/login">${csrfField(reply)}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="name">账号</label><input id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button></form>`;

  scope.get<{ Querystring: { next?: string } }>(
    `${base}/login`,
    { config: { access: { kind: 'public' } } },
    async (request, reply) => {
      if (request.staff !== null) return reply.redirect(options.homePath, 303);
      const body = loginForm(reply, safeNext(request.query.next));
      // The token's secret lives in a (not yet signed-in) session; it must reach the store now.
      if (request.session.isModified()) await persist(request);
      return page(reply, 200, '工作人员登录', body);
    },
  );

  scope.post(
    `${base}/login`,
    {
      config: {
        access: { kind: 'public' },
        rateLimit: { max: options.signInPerMinute ?? 30, timeWindow: 60_000 },
      },
    },
    async (request, reply) => {
      const fields = form(request);
      const name = (fields['name'] ?? '').trim().slice(0, 64);
      const password = (fields['password'] ?? '').slice(0, 200);
      const next = safeNext(fields['next']);
      const address = request.ip;
      const reservation = store.reserveAttempt(name, address, steady(), lockout);
      if (reservation.kind === 'locked') {
        log.warn({ scope: reservation.scope }, 'sign-in refused: locked');
        return page(
          reply,
          423,
          '暂时不能登录',
          `<p>${reservation.scope === 'account' ? '此账号' : '这台电脑'}连续输错密码次数过多，已暂时锁定，请 ${Math.round(lockout.lockMs / 60_000)} 分钟后再试，或联系管理员。</p>`,
        );
      }
      const account = reservation.account;
      // Unknown names cost the same scrypt time as known ones: no way to find out which names exist.
      const matches = await verifyPassword(password, account?.password_hash ?? decoyHash);
      const success = account !== null && account.disabled === 0 && matches;
      const settled = store.settleAttempt(account?.id ?? null, address, success, steady(), lockout);
      if (!success) {
        const actor = account?.name ?? '(unknown name)';
        options.audit({ actor, action: 'account.sign-in-failed' });
        if (settled.lockedAccount) options.audit({ actor, action: 'account.locked' });
        if (settled.lockedAddress) options.audit({ actor, action: 'account.address-locked' });
        log.warn({ known: account !== null, locked: settled.lockedAccount || settled.lockedAddress }, 'sign-in failed');
        return page(reply, 401, '工作人员登录', loginForm(reply, next, '账号或密码不对。'));
      }
      // A new session id at sign-in: a session planted before it (fixation) stays anonymous.
      await request.session.regenerate();
      request.session.accountId = account.id;
      reply.generateCsrf();
      await persist(request);
      options.audit({ actor: account.name, action: 'account.signed-in' });
      log.info({ role: account.role }, 'signed in');
      return reply.redirect(account.must_change_password === 1 ? `${base}/password` : next, 303);
    },
  );

  scope.post(`${base}/logout`, { config: { access: { kind: 'signed-in' } } }, async (request, reply) => {
    const actor = request.staff?.name ?? '';
    await request.session.destroy();
    reply.clearCookie(cookieName, { path: '/' });
    options.audit({ actor, action: 'account.signed-out' });
    return reply.redirect(`${base}/login`, 303);
  });

  const passwordForm = (reply: FastifyReply, message?: string): string =>
    `${message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`}
<p class="note">至少 ${minPasswordLength} 个字符，不含账号名。首次登录和管理员重置后必须修改。</p>
<form method="post" action="${base}/password">${csrfField(reply)}
<label for="current">当前密码</label><input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="new">新密码</label><input id="new" name="new" type="password" autocomplete="new-password" required minlength="${minPasswordLength}">
<label for="repeat">再输入一次新密码</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" required>
<button type="submit">保存新密码</button></form>`;

  scope.get(`${base}/password`, { config: { access: { kind: 'signed-in' } } }, (_request, reply) =>
    page(reply, 200, '修改密码', passwordForm(reply)),
  );

  scope.post(`${base}/password`, { config: { access: { kind: 'signed-in' } } }, async (request, reply) => {
    const staff = request.staff;
    const account = staff === null ? undefined : store.byId(staff.id);
    if (staff === null || account === undefined) return reply.redirect(`${base}/login`, 303);
    const fields = form(request);
    const current = (fields['current'] ?? '').slice(0, 200);
    const fresh = (fields['new'] ?? '').slice(0, 200);
    // The current password is checked under the same lock-out as sign-in: a stolen session cannot guess it.
    const reservation = store.reserveAttempt(account.name, request.ip, steady(), lockout);
    if (reservation.kind === 'locked')
      return page(reply, 423, '暂时不能修改', '<p>连续输错密码次数过多，已暂时锁定。</p>');
    const matches = await verifyPassword(current, account.password_hash);
    const settled = store.settleAttempt(account.id, request.ip, matches, steady(), lockout);
    if (!matches) {
      if (settled.lockedAccount) options.audit({ actor: account.name, action: 'account.locked' });
      return page(reply, 422, '修改密码', passwordForm(reply, '当前密码不对。'));
    }
    const problem =
      fresh !== fields['repeat']
        ? '两次输入的新密码不一样。'
        : fresh === current
          ? '新密码不能和当前密码相同。'
          : passwordProblem(fresh, account.name);
    if (problem !== null) return page(reply, 422, '修改密码', passwordForm(reply, `新密码不合要求：${problem}`));
    store.setPassword(account.id, await hashPassword(fresh), false, now(), request.session.sessionId);
    options.audit({ actor: account.name, action: 'account.password-changed' });
    return reply.redirect(options.homePath, 303);
  });

  return {
    store,
    csrfField,
    purgeExpiredSessions: () => store.purgeSessions(steady(), idleMs, absoluteMs),
  };
}
