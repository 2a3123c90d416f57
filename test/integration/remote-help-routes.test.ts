/**
 * Remote help signalling through a real platform on loopback: a terminal (signed requests) calls,
 * an officer signed into the hall takes the call, offer/answer/candidates cross both ways by long
 * poll, either side ends it, and the metadata (never media) is what the platform keeps. An
 * application submitted with that call's help is recorded as remotely assisted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualMonotonicClock } from '../../foundation/clock';
import { HallClient } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { sampleDocuments, sampleSubmission, uploadDocuments } from '../support/platform-fixture';
import { RemoteHelpTerminal } from '../support/remote-help-terminal';

const offer = { description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' } };
const answer = { description: { type: 'answer' as const, sdp: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n' } };
const candidate = {
  candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
};

let hall: HallFixture | undefined;
afterEach(async () => {
  await hall?.close();
  hall = undefined;
});

function callRow(h: HallFixture, callId: string): Record<string, unknown> | undefined {
  const db = new Database(join(h.fx.dataDir, 'platform.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM remote_help_calls WHERE call_id = ?').get(callId) as
      Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

async function officerOn(h: HallFixture, name = 'li.na'): Promise<HallClient> {
  const officer = new HallClient(h.fx.platform.url);
  expect(await officer.signIn(name)).toBe(303);
  const { response, body } = await officer.get('/hall/remote-help');
  expect(response.status).toBe(200);
  expect(body).toContain('等待接听的视频呼叫');
  return officer;
}

describe('remote help signalling', () => {
  it('a terminal calls, an officer answers, the offer, answer and candidates cross, and the platform keeps metadata only', async () => {
    hall = await startHallFixture({ remoteHelp: { ice: { stunUrls: ['stun:127.0.0.1:3478'] } } });
    const terminal = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const officer = await officerOn(hall);
    const { body: empty } = await officer.get('/hall/remote-help/queue?version=0');
    const before = JSON.parse(empty) as { version: number; waiting: unknown[] };
    expect(before.waiting).toEqual([]);

    // The hall's queue poll is answered when the call arrives.
    const queueChange = officer.get(`/hall/remote-help/queue?version=${before.version}`);
    const call = await terminal.call('柳溪村便民服务点');
    expect(call).toMatchObject({ position: 1, iceTransportPolicy: 'all', recording: { enabled: false } });
    expect(call.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    const queue = JSON.parse((await queueChange).body) as {
      waiting: Array<{ callId: string; terminalId: string; servicePoint: string }>;
    };
    expect(queue.waiting).toMatchObject([
      { callId: call.callId, terminalId: hall.fx.terminalId, servicePoint: '柳溪村便民服务点' },
    ]);
    expect(await terminal.events(call.callId)).toEqual([{ type: 'queued', position: 1, expectedWaitSeconds: null }]);

    // The terminal's poll is waiting when the officer accepts: it is answered at once.
    const accepted = terminal.until(call.callId, 'accepted');
    const taken = await officer.post(`/hall/remote-help/calls/${call.callId}/accept`, {});
    expect(taken.response.status).toBe(200);
    expect(JSON.parse(taken.body)).toMatchObject({
      callId: call.callId,
      officer: { id: 'li.na' },
      iceTransportPolicy: 'all',
    });
    expect((await accepted).officer).toEqual({ id: 'li.na', displayName: 'li.na' });
    expect(callRow(hall, call.callId)).toMatchObject({ officer_id: 'li.na', ended_at: null });

    // Officer → terminal: the offer and a candidate.
    const toTerminal = terminal.until(call.callId, 'signal');
    expect(
      (await officer.post(`/hall/remote-help/calls/${call.callId}/signals`, { signal: JSON.stringify(offer) })).response
        .status,
    ).toBe(204);
    expect((await toTerminal).signal).toEqual(offer);
    // A session description as long as the contract allows fits the hall's form too (form-encoded it is larger).
    const longest = { description: { type: 'offer' as const, sdp: `v=0\r\n${'a=x:y\r\n'.repeat(2856)}` } };
    expect(longest.description.sdp.length).toBeLessThanOrEqual(20_000);
    expect(
      (await officer.post(`/hall/remote-help/calls/${call.callId}/signals`, { signal: JSON.stringify(longest) }))
        .response.status,
    ).toBe(204);
    expect(((await terminal.until(call.callId, 'signal')).signal as typeof longest).description.sdp).toBe(
      longest.description.sdp,
    );
    // Terminal → officer: the answer and a candidate, in order.
    expect((await terminal.signal(call.callId, answer)).status).toBe(204);
    expect((await terminal.signal(call.callId, candidate)).status).toBe(204);
    const { body: officerEvents } = await officer.get(`/hall/remote-help/calls/${call.callId}/events?after=0`);
    expect(JSON.parse(officerEvents)).toEqual({
      events: [
        { seq: 1, event: { type: 'signal', signal: answer } },
        { seq: 2, event: { type: 'signal', signal: candidate } },
      ],
    });

    // The officer's waiting poll learns that the resident hung up.
    const officerEnd = officer.get(`/hall/remote-help/calls/${call.callId}/events?after=2`);
    expect((await terminal.end(call.callId, 'hung-up')).status).toBe(204);
    expect(JSON.parse((await officerEnd).body)).toEqual({
      events: [{ seq: 3, event: { type: 'ended', by: 'terminal', reason: 'hung-up' } }],
    });
    const row = callRow(hall, call.callId);
    expect(row).toMatchObject({
      terminal_id: hall.fx.terminalId,
      officer_id: 'li.na',
      ended_by: 'terminal',
      end_reason: 'hung-up',
    });
    expect(row?.['answered_at']).not.toBeNull();
    // Metadata only: no column holds a session description or anything said or shown.
    expect(JSON.stringify(row)).not.toContain('v=0');
    // The accepting is in the audit log.
    const audit = new HallClient(hall.fx.platform.url);
    expect(await audit.signIn('zhao.admin')).toBe(303);
    expect((await audit.get('/hall/admin/audit')).body).toContain('接听远程帮办');
  });

  it('the officer hangs up: the terminal’s waiting poll hears it at once', async () => {
    hall = await startHallFixture();
    const terminal = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const officer = await officerOn(hall);
    const call = await terminal.call();
    await officer.post(`/hall/remote-help/calls/${call.callId}/accept`, {});
    await terminal.until(call.callId, 'accepted');
    const ended = terminal.until(call.callId, 'ended');
    expect((await officer.post(`/hall/remote-help/calls/${call.callId}/end`, {})).response.status).toBe(204);
    expect(await ended).toEqual({ type: 'ended', by: 'officer', reason: 'hung-up' });
  });

  it('a second call while the officer is busy stays queued; a new call from the same terminal replaces its old one', async () => {
    hall = await startHallFixture();
    const first = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const other = hall.fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0002' });
    const second = await enrolTerminal(hall, 'QS-LX-0002', other);
    const officer = await officerOn(hall);
    const a = await first.call();
    const b = await second.call();
    expect(b.position).toBe(2);
    await officer.post(`/hall/remote-help/calls/${a.callId}/accept`, {});
    const busy = await officer.post(`/hall/remote-help/calls/${b.callId}/accept`, {});
    expect(busy.response.status).toBe(409);
    expect(JSON.parse(busy.body)).toMatchObject({ reason: 'officer-busy' });
    const queue = JSON.parse((await officer.get('/hall/remote-help/queue?version=0')).body) as {
      waiting: Array<{ callId: string }>;
      current: string;
    };
    expect(queue.waiting.map((c) => c.callId)).toEqual([b.callId]);
    expect(queue.current).toBe(a.callId);
    // The waiting terminal moved up to first place when the call ahead was taken.
    expect((await second.events(b.callId)).at(-1)).toEqual({ type: 'queued', position: 1, expectedWaitSeconds: 0 });

    const again = await second.call();
    expect(callRow(hall, b.callId)).toMatchObject({ ended_by: 'terminal', end_reason: 'session-ended' });
    expect(again.position).toBe(1);
  });

  it('a call nobody answers ends no-answer after the configured time (injected clock)', async () => {
    const clock = manualMonotonicClock();
    hall = await startHallFixture({ remoteHelp: { noAnswerSeconds: 30, clock, sweepEveryMs: 20 } });
    const terminal = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const call = await terminal.call();
    await terminal.events(call.callId);
    const ended = terminal.until(call.callId, 'ended');
    clock.advance(30_000);
    expect(await ended).toEqual({ type: 'ended', by: 'platform', reason: 'no-answer' });
    expect(callRow(hall, call.callId)).toMatchObject({ officer_id: null, end_reason: 'no-answer' });
  });

  it('an application filed with the call’s help is recorded as remotely assisted, linked to the call and shown on the case page', async () => {
    hall = await startHallFixture();
    const terminal = new RemoteHelpTerminal(hall.fx.platform.url, hall.fx.terminalId, hall.fx.keys.privateKey);
    const officer = await officerOn(hall);
    const call = await terminal.call();
    await officer.post(`/hall/remote-help/calls/${call.callId}/accept`, {});
    await terminal.request('POST', `/v1/remote-help/calls/${call.callId}/consent`, { recordingDays: null });
    const docs = sampleDocuments();
    const submission = {
      ...sampleSubmission(hall.fx.terminalId, docs),
      remoteAssistance: { callId: call.callId, officerId: 'li.na' },
    };
    await uploadDocuments(hall.fx.client, submission, docs);
    const submitted = await hall.fx.client.submitApplication(submission, submission.id);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    expect(callRow(hall, call.callId)).toMatchObject({ case_number: submitted.value.caseNumber });
    const page = await officer.get(`/hall/applications/${submission.id}`);
    expect(page.body).toContain('远程帮办：li.na');
  });
});

async function enrolTerminal(h: HallFixture, terminalId: string, code: string): Promise<RemoteHelpTerminal> {
  const { generateTerminalKeys } = await import('../../platform/contract/terminal-identity');
  const { enrol } = await import('../../electron/services/platform-client/http-platform-client');
  const keys = generateTerminalKeys();
  const enrolled = await enrol(h.fx.platform.url, code, { terminalId, ...keys });
  if (!enrolled.ok) throw new Error('enrolment failed');
  return new RemoteHelpTerminal(h.fx.platform.url, terminalId, keys.privateKey);
}
