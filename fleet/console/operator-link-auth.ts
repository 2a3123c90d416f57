/**
 * Interim sign-in for `npm run fleet -- console|local` until the hall's account module (staff
 * accounts, sessions, lock-out) is on main and mounted in its place (fleet/README.md): whoever holds
 * the console's access token signs in once through a link and gets a server-side session in an
 * HttpOnly, SameSite=Strict cookie with its own CSRF token; scripts send the token as a Bearer
 * header (no cookie, so no CSRF). The token is 32 random bytes, compared in constant time, and
 * failed attempts are rate-limited.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../foundation/clock';
import { escapeHtml } from '../../platform/server/html';
import type { ConsoleAuth, ConsoleUser } from './console-server';

export interface OperatorLinkAuthOptions {
  readonly token: string;
  readonly clock: Clock;
  /** A session ends this long after sign-in. */
  readonly sessionMs?: number;
  /** Failed token checks allowed per minute (all addresses together) before answering 429. */
  readonly failuresPerMinute?: number;
}

const cookieName = 'fleet_session';
const namePattern = /^[\p{L}\p{N}._-]{1,40}$/u;

export function newConsoleToken(): string {
  return randomBytes(32).toString('base64url');
}

export function operatorLinkAuth(options: OperatorLinkAuthOptions): ConsoleAuth {
  const { clock } = options;
  const sessionMs = options.sessionMs ?? 12 * 3600_000;
  const expected = createHash('sha256').update(options.token).digest();
  const sessions = new Map<string, { name: string; csrf: string; until: number }>();
  let failures = { since: 0, count: 0 };

  /** Constant-time token check; false also when too many attempts failed this minute. */
  const tokenMatches = (candidate: string): boolean | 'limited' => {
    const now = clock.now();
    if (now - failures.since > 60_000) failures = { since: now, count: 0 };
    if (failures.count >= (options.failuresPerMinute ?? 20)) return 'limited';
    const ok = timingSafeEqual(createHash('sha256').update(candidate).digest(), expected);
    if (!ok) failures.count += 1;
    return ok;
  };
  const sessionOf = (request: FastifyRequest) => {
    const id = new RegExp(`(?:^|;\\s*)${cookieName}=([A-Za-z0-9_-]{43})`).exec(request.headers.cookie ?? '')?.[1];
    const session = id === undefined ? undefined : sessions.get(id);
    if (id === undefined || session === undefined) return null;
    if (session.until <= clock.now()) {
      sessions.delete(id);
      return null;
    }
    return session;
  };
  const bearer = (request: FastifyRequest) => /^Bearer (\S{1,200})$/.exec(request.headers.authorization ?? '')?.[1];

  return {
    register(app) {
      app.get<{ Querystring: { token?: string; as?: string } }>('/fleet/sign-in', async (request, reply) => {
        const name = request.query.as ?? 'operator';
        const matches = tokenMatches(request.query.token ?? '');
        if (matches === 'limited') return reply.code(429).send({ error: 'too many attempts; wait a minute' });
        if (!matches || !namePattern.test(name))
          return reply
            .code(401)
            .type('text/html; charset=utf-8')
            .send('<!doctype html><meta charset="utf-8"><p>登录链接无效 · This sign-in link is not valid.</p>');
        const id = randomBytes(32).toString('base64url');
        sessions.set(id, { name, csrf: randomBytes(32).toString('base64url'), until: clock.now() + sessionMs });
        void reply.header(
          'set-cookie',
          `${cookieName}=${id}; Path=/fleet; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(sessionMs / 1000)}`,
        );
        return reply.redirect('/fleet', 303);
      });
      return Promise.resolve();
    },
    async require(request, reply): Promise<ConsoleUser | null> {
      const session = sessionOf(request);
      if (session !== null) return { name: session.name };
      const token = bearer(request);
      if (token !== undefined) {
        const matches = tokenMatches(token);
        if (matches === true) return { name: 'api' };
        await reply.code(matches === 'limited' ? 429 : 401).send({ error: 'sign in' });
        return null;
      }
      await reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><p>请用控制台启动时显示的登录链接登录 · Sign in with the link the console printed when it started.</p>',
        );
      return null;
    },
    csrfField(request) {
      const session = sessionOf(request);
      return session === null ? '' : `<input type="hidden" name="_csrf" value="${escapeHtml(session.csrf)}">`;
    },
    async checkCsrf(request: FastifyRequest, reply: FastifyReply) {
      const session = sessionOf(request);
      // A Bearer caller sends no cookie, so a forged cross-site form cannot ride on it.
      if (session === null && bearer(request) !== undefined) return true;
      const sent = (request.body as Record<string, unknown> | undefined)?.['_csrf'];
      if (
        session !== null &&
        typeof sent === 'string' &&
        sent.length === session.csrf.length &&
        timingSafeEqual(Buffer.from(sent), Buffer.from(session.csrf))
      )
        return true;
      await reply.code(403).send({ error: 'bad csrf token' });
      return false;
    },
  };
}
