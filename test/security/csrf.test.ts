/**
 * Attacker: a page elsewhere that makes a signed-in officer's browser post the hall's forms, or
 * replays a token taken from another session. Every state change needs the session's own token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HallClient } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';

let h: HallFixture;
let officer: HallClient;
beforeAll(async () => {
  h = await startHallFixture();
  officer = new HallClient(h.fx.platform.url);
  expect(await officer.signIn('li.na')).toBe(303);
});
afterAll(async () => {
  await h.close();
});

describe('CSRF', () => {
  it('refuses a status change without the token, or with a token from another session', async () => {
    const page = `/hall/applications/${h.submission.id}`;
    await officer.get(page);
    const missing = await officer.post(`${page}/status`, { status: 'rejected' }, { csrf: false });
    expect(missing.response.status).toBe(403);
    // Even from the same origin: the token, not the Origin header, is the protection.
    const sameOrigin = await officer.post(
      `${page}/status`,
      { status: 'rejected' },
      { csrf: false, headers: { origin: h.fx.platform.url, 'sec-fetch-site': 'same-origin' } },
    );
    expect(sameOrigin.response.status).toBe(403);
    const attacker = new HallClient(h.fx.platform.url);
    await attacker.get('/hall/login');
    const foreign = await officer.post(`${page}/status`, { status: 'rejected' }, { csrf: attacker.csrf });
    expect(foreign.response.status).toBe(403);
    const status = await h.fx.client.getApplicationStatus(h.submission.id);
    expect(status.ok && status.value.status).toBe('submitted');

    await officer.get(page);
    expect((await officer.post(`${page}/status`, { status: 'accepted' })).response.status).toBe(303);
  });

  it('refuses a sign-in post without the token (no login CSRF)', async () => {
    const browser = new HallClient(h.fx.platform.url);
    const { response } = await browser.post('/hall/login', { name: 'li.na', password: 'x' }, { csrf: false });
    expect(response.status).toBe(403);
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Strict, with a new id at sign-in', async () => {
    const browser = new HallClient(h.fx.platform.url);
    await browser.get('/hall/login');
    const before = browser.lastSetCookie.find((c) => c.startsWith('vk_session='));
    expect(before).toMatch(/; HttpOnly/i);
    expect(before).toMatch(/; Secure/i);
    expect(before).toMatch(/; SameSite=Strict/i);
    const { response } = await browser.post('/hall/login', { name: 'li.na', password: 'lantern-river-77' });
    expect(response.status).toBe(303);
    const after = browser.lastSetCookie.find((c) => c.startsWith('vk_session='));
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
  });
});
