/**
 * Remote help as the attacker sees it (docs/threat-model.md): unsigned requests, another
 * terminal's call, oversized signals, long polls to tie up the server, the hall's routes without a
 * session, without the CSRF token or for another officer's call, and a submission claiming remote
 * help it did not get (the application is kept, the claim never recorded). Each test fails when
 * its protection is taken out.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualMonotonicClock } from '../../foundation/clock';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { enrol } from '../../electron/services/platform-client/http-platform-client';
import { HallClient } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { sampleDocuments, sampleSubmission, uploadDocuments } from '../support/platform-fixture';
import { RemoteHelpTerminal } from '../support/remote-help-terminal';

const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\n' } };

let hall: HallFixture | undefined;
afterEach(async () => {
  await hall?.close();
  hall = undefined;
});

/** The call metadata row linked to a case, read from the platform's database as its owner wrote it. */
function callLinkedTo(h: HallFixture, caseNumber: string): unknown {
  const db = new Database(join(h.fx.dataDir, 'platform.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT call_id FROM remote_help_calls WHERE case_number = ?').get(caseNumber);
  } finally {
    db.close();
  }
}

function terminalOf(h: HallFixture): RemoteHelpTerminal {
  return new RemoteHelpTerminal(h.fx.platform.url, h.fx.terminalId, h.fx.keys.privateKey);
}

async function secondTerminal(h: HallFixture, terminalId = 'QS-LX-0002'): Promise<RemoteHelpTerminal> {
  const keys = generateTerminalKeys();
  const enrolled = await enrol(h.fx.platform.url, h.fx.platform.createEnrolmentCode({ terminalId }), {
    terminalId,
    ...keys,
  });
  if (!enrolled.ok) throw new Error('enrolment failed');
  return new RemoteHelpTerminal(h.fx.platform.url, terminalId, keys.privateKey);
}

async function officer(h: HallFixture, name = 'li.na'): Promise<HallClient> {
  const client = new HallClient(h.fx.platform.url);
  expect(await client.signIn(name)).toBe(303);
  await client.get('/hall/remote-help');
  return client;
}

describe('remote help: the terminal routes', () => {
  it('refuses every route unsigned (401), and a signature by an unknown key', async () => {
    hall = await startHallFixture();
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    const unsigned = { unsigned: true };
    expect((await terminal.request('POST', '/v1/remote-help/calls', { language: 'zh' }, unsigned)).status).toBe(401);
    expect(
      (await terminal.request('GET', `/v1/remote-help/calls/${callId}/events?after=0`, undefined, unsigned)).status,
    ).toBe(401);
    expect((await terminal.request('POST', `/v1/remote-help/calls/${callId}/signals`, offer, unsigned)).status).toBe(
      401,
    );
    expect(
      (await terminal.request('POST', `/v1/remote-help/calls/${callId}/end`, { reason: 'hung-up' }, unsigned)).status,
    ).toBe(401);
    const stranger = new RemoteHelpTerminal(hall.fx.platform.url, 'QS-XX-9999', generateTerminalKeys().privateKey);
    expect((await stranger.request('POST', '/v1/remote-help/calls', { language: 'zh' })).status).toBe(401);
    // The call is untouched.
    const view = JSON.parse((await (await officer(hall)).get('/hall/remote-help/queue?version=0')).body) as {
      waiting: Array<{ callId: string }>;
    };
    expect(view.waiting.map((c) => c.callId)).toEqual([callId]);
  });

  it('another terminal can neither read, signal into nor end a call (404, as for a call that does not exist)', async () => {
    hall = await startHallFixture();
    const victim = terminalOf(hall);
    const attacker = await secondTerminal(hall);
    const { callId } = await victim.call();
    const li = await officer(hall);
    await li.post(`/hall/remote-help/calls/${callId}/accept`, {});
    expect((await attacker.request('GET', `/v1/remote-help/calls/${callId}/events?after=0`)).status).toBe(404);
    expect((await attacker.signal(callId, offer)).status).toBe(404);
    expect((await attacker.end(callId)).status).toBe(404);
    // Nothing reached the officer: the first thing it reads is the terminal's own signal, and the call goes on.
    expect((await victim.until(callId, 'accepted')).officer.id).toBe('li.na');
    const answer = { description: { type: 'answer' as const, sdp: 'v=0 genuine\r\n' } };
    expect((await victim.signal(callId, answer)).status).toBe(204);
    const { body } = await li.get(`/hall/remote-help/calls/${callId}/events?after=0`);
    expect(JSON.parse(body)).toEqual({ events: [{ seq: 1, event: { type: 'signal', signal: answer } }] });
  });

  it('refuses an oversized signal (413) and an over-long session description (422)', async () => {
    hall = await startHallFixture();
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    await (await officer(hall)).post(`/hall/remote-help/calls/${callId}/accept`, {});
    const big = { description: { type: 'answer', sdp: 'a'.repeat(40_000) } };
    expect((await terminal.request('POST', `/v1/remote-help/calls/${callId}/signals`, big)).status).toBe(413);
    const long = { description: { type: 'answer', sdp: 'a'.repeat(20_001) } };
    expect((await terminal.request('POST', `/v1/remote-help/calls/${callId}/signals`, long)).status).toBe(422);
    expect(
      (await terminal.request('POST', '/v1/remote-help/calls', { language: 'zh', servicePoint: 'x'.repeat(2000) }))
        .status,
    ).toBe(413);
  });

  it('limits calls per terminal and minute (429)', async () => {
    hall = await startHallFixture({ remoteHelp: { callsPerMinute: 3 } });
    const terminal = terminalOf(hall);
    for (let i = 0; i < 3; i++) await terminal.call();
    expect((await terminal.request('POST', '/v1/remote-help/calls', { language: 'zh' })).status).toBe(429);
  });

  it('holds a bounded number of long polls: beyond it a poll is answered 503 at once instead of tying up the server', async () => {
    hall = await startHallFixture({ remoteHelp: { maxWaiters: 1, pollMs: 60_000 } });
    const terminals = [terminalOf(hall), await secondTerminal(hall)] as const;
    const calls = [await terminals[0].call(), await terminals[1].call()] as const;
    await terminals[0].events(calls[0].callId);
    await terminals[1].events(calls[1].callId);
    // Two polls with nothing to read and room for one: one is held, the other refused at once.
    const polls = terminals.map((t, i) =>
      t.request('GET', `/v1/remote-help/calls/${calls[i]?.callId ?? ''}/events?after=${t.after}`),
    );
    const first = await Promise.race(polls.map((p, i) => p.then((response) => ({ i, response }))));
    expect(first.response.status).toBe(503);
    expect(first.response.headers.get('retry-after')).toBe('2');
    // The held one is answered as soon as its call ends.
    const held = 1 - first.i;
    await terminals[held]?.end(calls[held]?.callId ?? '', 'gave-up');
    const answered = await polls[held];
    expect(answered?.status).toBe(200);
    expect(await answered?.json()).toMatchObject({ events: [{ event: { type: 'ended', reason: 'gave-up' } }] });
  });
});

describe('remote help: the hall routes', () => {
  it('need a signed-in officer: the page and the queue send to sign-in, the actions refuse (401)', async () => {
    hall = await startHallFixture();
    const { callId } = await terminalOf(hall).call();
    const nobody = new HallClient(hall.fx.platform.url);
    for (const path of [
      '/hall/remote-help',
      '/hall/remote-help/queue?version=0',
      `/hall/remote-help/calls/${callId}/events?after=0`,
      '/hall/remote-help/remote-help-hall.js',
    ]) {
      const { response } = await nobody.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/hall\/login/);
    }
    await nobody.get('/hall/login');
    const { response } = await nobody.post(`/hall/remote-help/calls/${callId}/accept`, {});
    expect(response.status).toBe(401);
    const view = JSON.parse((await (await officer(hall)).get('/hall/remote-help/queue?version=0')).body) as {
      waiting: unknown[];
    };
    expect(view.waiting).toHaveLength(1);
  });

  it('refuse a POST without the session’s CSRF token (403): another page cannot take calls or hang up', async () => {
    hall = await startHallFixture();
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    const li = await officer(hall);
    expect((await li.post(`/hall/remote-help/calls/${callId}/accept`, {}, { csrf: false })).response.status).toBe(403);
    expect(
      (await li.post(`/hall/remote-help/calls/${callId}/accept`, {}, { csrf: 'forged-token' })).response.status,
    ).toBe(403);
    expect((await li.post(`/hall/remote-help/calls/${callId}/accept`, {})).response.status).toBe(200);
    expect((await li.post(`/hall/remote-help/calls/${callId}/end`, {}, { csrf: false })).response.status).toBe(403);
    expect(
      (await li.post(`/hall/remote-help/calls/${callId}/signals`, { signal: JSON.stringify(offer) }, { csrf: false }))
        .response.status,
    ).toBe(403);
    // Still answered, nothing relayed.
    const events = await terminal.events(callId);
    expect(events.map((e) => e.type)).toEqual(['queued', 'accepted']);
  });

  it('let an officer reach only the call they answered (404 for another officer’s)', async () => {
    hall = await startHallFixture();
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    const li = await officer(hall);
    const admin = await officer(hall, 'zhao.admin');
    await li.post(`/hall/remote-help/calls/${callId}/accept`, {});
    expect((await admin.get(`/hall/remote-help/calls/${callId}/events?after=0`)).response.status).toBe(404);
    expect(
      (await admin.post(`/hall/remote-help/calls/${callId}/signals`, { signal: JSON.stringify(offer) })).response
        .status,
    ).toBe(404);
    expect((await admin.post(`/hall/remote-help/calls/${callId}/end`, {})).response.status).toBe(404);
    expect((await terminal.events(callId)).map((e) => e.type)).toEqual(['queued', 'accepted']);
  });

  it('hold one queue poll per session: a script polling in a loop takes one place, and terminals are still served', async () => {
    hall = await startHallFixture({ remoteHelp: { maxWaiters: 1, maxOfficerWaiters: 1, pollMs: 60_000 } });
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    await terminal.events(callId);
    const li = await officer(hall);
    const { version } = JSON.parse((await li.get('/hall/remote-help/queue?version=0')).body) as { version: number };
    // Twenty polls at once from one stolen session: each newer one answers the older at once.
    const polls = Array.from({ length: 20 }, () => li.get(`/hall/remote-help/queue?version=${version}`));
    const answered: Array<{ status: number; reason: unknown }> = [];
    for (const poll of polls)
      void poll.then(({ response, body }) =>
        answered.push({ status: response.status, reason: (JSON.parse(body) as { reason?: unknown }).reason }),
      );
    await expect.poll(() => answered.length).toBe(19);
    expect(answered.every((a) => a.status === 409 && a.reason === 'replaced')).toBe(true);
    // The one poll left holds the officers' only place, not the terminals': the terminal's poll is
    // held (answered when its call ends), not refused 503.
    const held = terminal.request('GET', `/v1/remote-help/calls/${callId}/events?after=${terminal.after}`);
    await terminal.end(callId, 'gave-up');
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ events: [{ event: { type: 'ended', reason: 'gave-up' } }] });
    await expect.poll(() => answered.length).toBe(20);
    expect(answered.at(-1)?.status).toBe(200);
  });

  it('answer officers beyond their own bound 503 at once, while terminals’ polls are still held', async () => {
    hall = await startHallFixture({ remoteHelp: { maxWaiters: 1, maxOfficerWaiters: 2, pollMs: 60_000 } });
    const terminal = terminalOf(hall);
    const { callId } = await terminal.call();
    await terminal.events(callId);
    const sessions = [await officer(hall), await officer(hall), await officer(hall, 'zhao.admin')];
    const { version } = JSON.parse((await sessions[0]?.get('/hall/remote-help/queue?version=0'))?.body ?? '{}') as {
      version: number;
    };
    const polls = sessions.map((s) => s.get(`/hall/remote-help/queue?version=${version}`));
    const first = await Promise.race(polls.map((p) => p.then(({ response }) => response)));
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    const held = terminal.request('GET', `/v1/remote-help/calls/${callId}/events?after=${terminal.after}`);
    await terminal.end(callId, 'gave-up');
    expect((await held).status).toBe(200);
    const statuses = (await Promise.all(polls)).map(({ response }) => response.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
  });

  it('limit each account’s requests per route and minute (429), whichever session sends them', async () => {
    hall = await startHallFixture({ remoteHelp: { hallRequestsPerMinute: 5 } });
    const li = await officer(hall);
    for (let i = 0; i < 5; i++) expect((await li.get('/hall/remote-help/queue?version=0')).response.status).toBe(200);
    expect((await li.get('/hall/remote-help/queue?version=0')).response.status).toBe(429);
    // A second session of the same account (a stolen cookie) spends the same budget …
    const again = await officer(hall);
    expect((await again.get('/hall/remote-help/queue?version=0')).response.status).toBe(429);
    // … and no one else's: another officer and the terminals are served.
    const admin = await officer(hall, 'zhao.admin');
    expect((await admin.get('/hall/remote-help/queue?version=0')).response.status).toBe(200);
    expect((await terminalOf(hall).request('POST', '/v1/remote-help/calls', { language: 'zh' })).status).toBe(201);
  });

  it('let an open page sign out after its idle time: the queue poll is not the officer’s activity', async () => {
    const elapsed = manualMonotonicClock();
    hall = await startHallFixture({ monotonic: elapsed, remoteHelp: { pollMs: 200 } });
    const minutes = (n: number) => elapsed.advance(n * 60_000);
    const [pageLeftOpen, officerAtWork, inCall] = [await officer(hall), await officer(hall), await officer(hall)];
    const { callId } = await terminalOf(hall).call();
    expect((await inCall.post(`/hall/remote-help/calls/${callId}/accept`, {})).response.status).toBe(200);
    const eachKeepsItsSession = async () => {
      // Someone at the PC (a page, a form) and a call in progress keep their sessions.
      expect((await officerAtWork.get('/hall')).response.status).toBe(200);
      expect((await inCall.get(`/hall/remote-help/calls/${callId}/events?after=0`)).response.status).toBe(200);
    };
    for (let i = 0; i < 2; i++) {
      minutes(6);
      expect((await pageLeftOpen.get('/hall/remote-help/queue?version=0')).response.status).toBe(200);
      await eachKeepsItsSession();
    }
    minutes(4);
    // 16 minutes since the page was opened, polled all along: signed out (15 idle minutes).
    const { response } = await pageLeftOpen.get('/hall/remote-help/queue?version=0');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/hall\/login/);
    await eachKeepsItsSession();
    expect((await officerAtWork.get('/hall/remote-help/queue?version=0')).response.status).toBe(200);
  });

  it('serve the page with a CSP that runs only the platform’s own script', async () => {
    hall = await startHallFixture();
    const li = new HallClient(hall.fx.platform.url);
    await li.signIn('li.na');
    const { response, body } = await li.get('/hall/remote-help');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).toContain("default-src 'none'");
    expect(body).not.toMatch(/<script>(?!<\/script>)/);
    // The other hall pages keep their script-free policy.
    const other = await li.get('/hall');
    expect(other.response.headers.get('content-security-policy')).not.toContain('script-src');
  });
});

describe('remote help: a submission claiming remote assistance', () => {
  it('keeps the application but never records a claim that names no call of this terminal answered by that officer and agreed to by the resident', async () => {
    hall = await startHallFixture();
    const h = hall;
    const terminal = terminalOf(h);
    const other = await secondTerminal(h);
    const li = await officer(h);
    const answered = await terminal.call();
    await li.post(`/hall/remote-help/calls/${answered.callId}/accept`, {});
    const othersCall = await other.call();
    await (await officer(h, 'zhao.admin')).post(`/hall/remote-help/calls/${othersCall.callId}/accept`, {});
    const unanswered = (await secondTerminal(h, 'QS-LX-0003')).call();

    const submitWith = async (remoteAssistance: { callId: string; officerId: string }) => {
      const docs = sampleDocuments();
      const submission = { ...sampleSubmission(h.fx.terminalId, docs), remoteAssistance };
      await uploadDocuments(h.fx.client, submission, docs);
      const result = await h.fx.client.submitApplication(submission, submission.id);
      if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
      // The case page, as an officer opens it.
      const page = await li.get(`/hall/applications/${submission.id}`);
      expect(page.response.status).toBe(200);
      return { accepted: result.value, submission, page: page.body };
    };
    const notRecorded = async (remoteAssistance: { callId: string; officerId: string }) => {
      const { accepted, submission, page } = await submitWith(remoteAssistance);
      // The resident's application is taken: a case number, nothing lost …
      expect(accepted.caseNumber, JSON.stringify(remoteAssistance)).toMatch(/\d/);
      expect(accepted.remoteAssistance).toBe('not-recorded');
      // … the claim is not: never 远程帮办 on the case page, the call not linked to the case …
      expect(page).toContain(accepted.caseNumber);
      // (远程帮办 alone is the menu's link to the call page)
      expect(page).not.toContain('远程帮办：');
      expect(page).not.toContain('data-remote-assistance');
      expect(page).not.toContain(remoteAssistance.callId);
      expect(callLinkedTo(h, accepted.caseNumber)).toBeUndefined();
      // … and a repeat of the same submission is answered the same.
      const again = await h.fx.client.submitApplication(submission, submission.id);
      expect(again.ok && again.value.remoteAssistance).toBe('not-recorded');
      return accepted.caseNumber;
    };
    // The officer's own call, answered, but the resident has not agreed to it (yet); then they agree.
    const unagreed = await notRecorded({ callId: answered.callId, officerId: 'li.na' });
    const consent = { recordingDays: null };
    expect((await terminal.request('POST', `/v1/remote-help/calls/${answered.callId}/consent`, consent)).status).toBe(
      204,
    );
    const forged = [
      unagreed,
      // Another officer than the one who answered.
      await notRecorded({ callId: answered.callId, officerId: 'zhao.admin' }),
      // Another terminal's call, with its officer.
      await notRecorded({ callId: othersCall.callId, officerId: 'zhao.admin' }),
      // A call nobody answered (of another terminal here), and one that never existed.
      await notRecorded({ callId: (await unanswered).callId, officerId: 'li.na' }),
      await notRecorded({ callId: '00000000-0000-4000-8000-000000000000', officerId: 'li.na' }),
    ];
    // This terminal's own call before anyone answered it.
    const own = await terminal.call();
    forged.push(await notRecorded({ callId: own.callId, officerId: 'li.na' }));
    // Each dropped claim is in the audit log, under the terminal's name.
    const admin = await officer(h, 'zhao.admin');
    for (const caseNumber of forged) {
      const audit = await admin.get(`/hall/admin/audit?case=${caseNumber}`);
      expect(audit.body).toContain('远程帮办记录无法核实');
      expect(audit.body).toContain(h.fx.terminalId);
    }
    // The genuine one (answered by that officer, agreed to by the resident) is recorded and shown.
    const genuine = await submitWith({ callId: answered.callId, officerId: 'li.na' });
    expect(genuine.accepted.remoteAssistance).toBe('recorded');
    expect(genuine.page).toContain('远程帮办：li.na');
  });
});

describe('remote help: the resident’s consent (POST …/consent)', () => {
  const consentedOf = (h: HallFixture, callId: string) => {
    const db = new Database(`${h.fx.dataDir}/platform.sqlite`, { readonly: true });
    try {
      return (
        db.prepare('SELECT consented_at FROM remote_help_calls WHERE call_id = ?').get(callId) as {
          consented_at: string | null;
        }
      ).consented_at;
    } finally {
      db.close();
    }
  };

  it('is refused unsigned (401), for another terminal’s call (404) and oversized (413); nothing is recorded', async () => {
    hall = await startHallFixture();
    const victim = terminalOf(hall);
    const attacker = await secondTerminal(hall);
    const { callId } = await victim.call();
    const path = `/v1/remote-help/calls/${callId}/consent`;
    expect((await victim.request('POST', path, { recordingDays: null }, { unsigned: true })).status).toBe(401);
    expect((await attacker.request('POST', path, { recordingDays: null })).status).toBe(404);
    expect((await victim.request('POST', path, undefined, { raw: Buffer.alloc(2048, 0x20) })).status).toBe(413);
    expect(consentedOf(hall, callId)).toBeNull();
    // The terminal's own consent is kept.
    expect((await victim.request('POST', path, { recordingDays: null })).status).toBe(204);
    expect(consentedOf(hall, callId)).not.toBeNull();
  });
});
