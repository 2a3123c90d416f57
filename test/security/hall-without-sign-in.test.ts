/**
 * Attacker: someone on the hall network without an account, or with an officer's account trying
 * the admin pages, or with a first password never changed. Every hall page and action needs the
 * right signed-in person; a route that forgets to say who may use it is refused to everyone.
 */
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { mountAccounts } from '../../platform/server/accounts/mount-accounts';
import { addHallAccount, HallClient } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { sha256Hex } from '../support/platform-fixture';

let h: HallFixture;
beforeAll(async () => {
  h = await startHallFixture();
});
afterAll(async () => {
  await h.close();
});

describe('the hall without signing in', () => {
  it('sends every page to the sign-in form and refuses every action', async () => {
    const stranger = new HallClient(h.fx.platform.url);
    const app = `/hall/applications/${h.submission.id}`;
    for (const path of [
      '/hall',
      app,
      `${app}/documents/${sha256Hex(h.docs.face)}`,
      '/hall/admin/audit',
      '/hall/admin/terminals',
      '/hall/password',
    ]) {
      const { response, body } = await stranger.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/hall\/login\?next=/);
      expect(body, path).not.toContain(h.caseNumber);
    }
    // Actions: refused outright (the CSRF token of the anonymous sign-in page does not help).
    await stranger.get('/hall/login');
    for (const [path, fields] of [
      ['/hall/verify', { payload: h.payload }],
      [`${app}/status`, { status: 'accepted' }],
      ['/hall/admin/terminals/code', { terminalId: 'QS-LX-0999' }],
    ] as const) {
      const { response, body } = await stranger.post(path, fields);
      expect(response.status, path).toBe(401);
      expect(body).not.toContain(h.caseNumber);
    }
    const status = await h.fx.client.getApplicationStatus(h.submission.id);
    expect(status.ok && status.value.status).toBe('submitted');
  });

  it('sends the security headers on every hall page (helmet): no script, no framing, no sniffing, no referrer', async () => {
    const { response } = await new HallClient(h.fx.platform.url).get('/hall/login');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('does not take a made-up session cookie', async () => {
    const forger = new HallClient(h.fx.platform.url);
    const response = await fetch(`${h.fx.platform.url}/hall/applications/${h.submission.id}`, {
      headers: { cookie: 'vk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.forged' },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(forger.hasSession()).toBe(false);
  });

  it('keeps officers out of the admin pages', async () => {
    const officer = new HallClient(h.fx.platform.url);
    expect(await officer.signIn('li.na')).toBe(303);
    expect((await officer.get('/hall/admin/audit')).response.status).toBe(403);
    expect((await officer.post('/hall/admin/terminals/code', { terminalId: 'QS-LX-0999' })).response.status).toBe(403);
  });

  it('lets a first password open nothing but the change-password page', async () => {
    await addHallAccount(h.fx.dataDir, 'wang.new', 'officer', { password: 'first-pass-2026', mustChange: true });
    const fresh = new HallClient(h.fx.platform.url);
    await fresh.get('/hall/login');
    const signIn = await fresh.post('/hall/login', { name: 'wang.new', password: 'first-pass-2026' });
    expect(signIn.response.headers.get('location')).toBe('/hall/password');
    const page = await fresh.get(`/hall/applications/${h.submission.id}`);
    expect(page.response.status).toBe(303);
    expect(page.response.headers.get('location')).toBe('/hall/password');
    await fresh.get('/hall/password');
    expect((await fresh.post('/hall/verify', { payload: h.payload })).response.status).toBe(403);
    const changed = await fresh.post('/hall/password', {
      current: 'first-pass-2026',
      new: 'my-own-secret-9931',
      repeat: 'my-own-secret-9931',
    });
    expect(changed.response.status).toBe(303);
    expect((await fresh.get(`/hall/applications/${h.submission.id}`)).response.status).toBe(200);
  });
});

describe('default deny', () => {
  it('refuses a route that does not declare who may use it, even to a signed-in admin', async () => {
    const db = new Database(':memory:');
    const app = Fastify();
    await app.register(async (scope) => {
      await mountAccounts(scope, {
        db,
        basePath: '/x',
        homePath: '/x',
        roles: ['admin'],
        now: () => new Date(),
        log: silentLog,
        audit: () => {},
        renderPage: (_title, body) => body,
      });
      scope.get('/x/forgotten', () => 'secret');
    });
    const response = await app.inject({ method: 'GET', url: '/x/forgotten' });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('secret');
    await app.close();
    db.close();
  });
});
