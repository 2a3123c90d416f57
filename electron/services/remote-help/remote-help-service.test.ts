import { describe, expect, it } from 'vitest';
import { manualMonotonicClock, manualTimers } from '../../../foundation/clock';
import { recordingLog } from '../../../foundation/log';
import type { RemoteHelpConfig } from '../../../kiosk-config/config-schema';
import type { CallEvent } from '../../../platform/contract/remote-help';
import { createSessionService } from '../session/session-service';
import { createFakeRemoteHelpPort } from './fake-remote-help-port';
import { callLostAfterMs, createRemoteHelpService } from './remote-help-service';

const offered: RemoteHelpConfig = { enabled: true, noAnswerSeconds: 60, maxVideoKbps: 300 };
const officer = { id: 'officer-7', displayName: '王科员' };
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(config: RemoteHelpConfig | null = offered) {
  const clock = manualMonotonicClock();
  const timers = manualTimers(clock);
  const log = recordingLog();
  const sessions = createSessionService(log, clock);
  const port = createFakeRemoteHelpPort();
  const seen: Array<{ callId: string; event: CallEvent }> = [];
  const waiters: Array<() => void> = [];
  const service = createRemoteHelpService({
    port: () => port,
    sessions,
    config: () => config ?? undefined,
    servicePoint: () => '柳溪村便民服务站',
    emit: (event) => {
      seen.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
    monotonic: clock,
    timers,
    log,
    random: () => 0.5,
  });
  /** Resolves once `count` events were emitted in all. */
  const events = async (count: number) => {
    while (seen.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return seen.map((e) => e.event);
  };
  return { clock, timers, log, sessions, port, service, seen, events };
}

async function startedCall(s: ReturnType<typeof setup>) {
  s.sessions.start();
  const started = await s.service.start('zh-CN');
  if (!started.ok) throw new Error(started.error.kind);
  await s.port.nextPoll();
  return started.value.callId;
}

describe('remote help, the terminal side', () => {
  it('queues a call in the resident’s language and passes the hall’s events on, in order, polling after the last one', async () => {
    const s = setup();
    const callId = await startedCall(s);
    expect(s.port.queued).toEqual([{ language: 'zh', servicePoint: '柳溪村便民服务站' }]);
    s.port.push(callId, { type: 'queued', position: 1, expectedWaitSeconds: 30 });
    s.port.push(callId, { type: 'accepted', officer });
    const signal = { description: { type: 'offer' as const, sdp: 'v=0' } };
    s.port.push(callId, { type: 'signal', signal });
    expect(await s.events(3)).toEqual([
      { type: 'queued', position: 1, expectedWaitSeconds: 30 },
      { type: 'accepted', officer },
      { type: 'signal', signal },
    ]);
    await s.port.nextPoll();
    expect(s.port.polls.at(-1)).toEqual({ callId, after: 3 });
    expect(s.service.active).toEqual({ callId, officerId: 'officer-7' });
    // Accepted: the no-answer deadline no longer applies.
    s.timers.advance(offered.noAnswerSeconds * 1000 + 1);
    await settle();
    expect(s.service.active).not.toBeNull();
    expect(s.port.ended).toEqual([]);
  });

  it('relays the page’s signalling for its own call only', async () => {
    const s = setup();
    const callId = await startedCall(s);
    const answer = { description: { type: 'answer' as const, sdp: 'v=0' } };
    expect(await s.service.signal(callId, answer)).toEqual({ ok: true, value: undefined });
    expect(s.port.signals).toEqual([{ callId, signal: answer }]);
    const other = '0b6c7f4e-3f5a-4c47-9d42-6a2b9c1e0f11';
    expect(await s.service.signal(other, answer)).toMatchObject({ ok: false, error: { kind: 'no-call' } });
    s.port.failNext('sendSignal', { kind: 'retryable', reason: 'timeout after 15000 ms' });
    expect(await s.service.signal(callId, answer)).toMatchObject({
      ok: false,
      error: { kind: 'platform-unreachable' },
    });
  });

  it('tells the platform the resident agreed, and to which recording, for its own call only', async () => {
    const s = setup();
    const callId = await startedCall(s);
    expect(await s.service.consent(callId, 30)).toEqual({ ok: true, value: undefined });
    expect(s.port.consents).toEqual([{ callId, consent: { recordingDays: 30 } }]);
    const other = '0b6c7f4e-3f5a-4c47-9d42-6a2b9c1e0f11';
    expect(await s.service.consent(other, null)).toMatchObject({ ok: false, error: { kind: 'no-call' } });
    // The platform records under another rule than the screen showed: refused, the page opens nothing.
    s.port.failNext('consentCall', { kind: 'final', status: 409, reason: 'recording-rule' });
    expect(await s.service.consent(callId, null)).toMatchObject({ ok: false, error: { kind: 'platform-refused' } });
  });

  it('ends a call nobody answered in time, at the platform too', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.timers.advance(offered.noAnswerSeconds * 1000 - 1);
    expect(s.service.active).not.toBeNull();
    s.timers.advance(1);
    expect(await s.events(1)).toEqual([{ type: 'ended', by: 'terminal', reason: 'no-answer' }]);
    await s.service.close();
    expect(s.port.ended).toEqual([{ callId, reason: 'no-answer' }]);
    expect(s.service.active).toBeNull();
    expect(s.port.waiting).toBe(0);
  });

  it('has one call at a time', async () => {
    const s = setup();
    await startedCall(s);
    expect(await s.service.start('zh-CN')).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect(s.port.queued).toHaveLength(1);
  });

  it('refuses two starts at once (the second while the first is still being queued)', async () => {
    const s = setup();
    s.sessions.start();
    const [first, second] = await Promise.all([s.service.start('en'), s.service.start('en')]);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { kind: 'busy' } });
  });

  it('ends the call with the resident’s session (leave or inactivity wipe), on both sides, and stops polling', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.sessions.end('timeout');
    expect(await s.events(1)).toEqual([{ type: 'ended', by: 'terminal', reason: 'session-ended' }]);
    await s.service.close();
    expect(s.port.ended).toEqual([{ callId, reason: 'session-ended' }]);
    expect(s.port.waiting).toBe(0);
    const polls = s.port.polls.length;
    s.timers.advance(60_000);
    await settle();
    expect(s.port.polls).toHaveLength(polls);
  });

  it('ends a call the officer ended without telling the platform back', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.port.push(callId, { type: 'accepted', officer });
    s.port.push(callId, { type: 'ended', by: 'officer', reason: 'hung-up' });
    expect(await s.events(2)).toEqual([
      { type: 'accepted', officer },
      { type: 'ended', by: 'officer', reason: 'hung-up' },
    ]);
    await s.service.close();
    expect(s.port.ended).toEqual([]);
    expect(s.service.active).toBeNull();
  });

  // lost: the page's connection to the officer failed; the platform hears that, not a hang-up.
  it.each(['gave-up', 'hung-up', 'lost'] as const)(
    'ends the call for the resident (%s), and then knows no such call',
    async (reason) => {
      const s = setup();
      const callId = await startedCall(s);
      expect(await s.service.end(callId, reason)).toEqual({ ok: true, value: undefined });
      expect(s.port.ended).toEqual([{ callId, reason }]);
      expect(await s.events(1)).toEqual([{ type: 'ended', by: 'terminal', reason }]);
      expect(await s.service.end(callId, 'hung-up')).toMatchObject({ ok: false, error: { kind: 'no-call' } });
      // A new call may start now.
      expect((await s.service.start('zh-CN')).ok).toBe(true);
    },
  );

  it('retries a failed poll with backoff, and calls the call lost after 30 s without an answer', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.port.push(callId, { type: 'accepted', officer });
    await s.events(1);
    await s.port.nextPoll();
    // The held poll answers; every one after it fails.
    s.port.failNext('callEvents', { kind: 'retryable', reason: 'network error: ECONNRESET' }, 1000);
    s.port.push(callId, { type: 'queued', position: 1, expectedWaitSeconds: null });
    await s.events(2);
    for (let waited = 0; waited < callLostAfterMs && s.service.active !== null; waited += 500) {
      await settle();
      s.timers.advance(500);
    }
    expect(await s.events(3)).toContainEqual({ type: 'ended', by: 'terminal', reason: 'lost' });
    const failedPolls = s.port.polls.length - 3;
    // Backoff: about one try per second or two, not a tight loop.
    expect(failedPolls).toBeGreaterThan(5);
    expect(failedPolls).toBeLessThan(40);
    await s.service.close();
    expect(s.port.ended).toEqual([{ callId, reason: 'lost' }]);
  });

  it('a poll the platform refuses (it no longer knows the call) ends the call as lost', async () => {
    const s = setup();
    await startedCall(s);
    s.port.failNext('callEvents', { kind: 'final', status: 404, reason: 'Not Found' });
    s.port.push(s.service.active?.callId ?? '', { type: 'queued', position: 2, expectedWaitSeconds: null });
    expect(await s.events(2)).toEqual([
      { type: 'queued', position: 2, expectedWaitSeconds: null },
      { type: 'ended', by: 'platform', reason: 'lost' },
    ]);
  });

  it('does not hammer a platform that answers a poll at once with nothing', async () => {
    const s = setup();
    s.port.answerEmptyNext(2);
    s.sessions.start();
    await s.service.start('zh-CN');
    await settle();
    expect(s.port.polls).toHaveLength(1);
    s.timers.advance(999);
    await settle();
    expect(s.port.polls).toHaveLength(1);
    s.timers.advance(1);
    await settle();
    expect(s.port.polls).toHaveLength(2);
    s.timers.advance(1000);
    await s.port.nextPoll(); // the third is held, as a real platform holds it
    expect(s.port.polls).toHaveLength(3);
  });

  it('says why it cannot start: not offered, no session, platform unreachable or refusing', async () => {
    expect(await setup({ ...offered, enabled: false }).service.start('zh-CN')).toMatchObject({
      ok: false,
      error: { kind: 'not-offered' },
    });
    expect(await setup(null).service.start('zh-CN')).toMatchObject({ ok: false, error: { kind: 'not-offered' } });
    const s = setup();
    expect(await s.service.start('zh-CN')).toMatchObject({ ok: false, error: { kind: 'no-session' } });
    s.sessions.start();
    s.port.failNext('queueCall', { kind: 'held', hold: { kind: 'not-enrolled' }, reason: '401' });
    expect(await s.service.start('zh-CN')).toMatchObject({ ok: false, error: { kind: 'platform-unreachable' } });
    s.port.failNext('queueCall', { kind: 'final', status: 429, reason: 'Too Many Requests' });
    expect(await s.service.start('zh-CN')).toMatchObject({ ok: false, error: { kind: 'platform-refused' } });
    expect(s.service.active).toBeNull();
  });

  it('ends at once a call queued for a resident who left meanwhile', async () => {
    const s = setup();
    s.sessions.start();
    const starting = s.service.start('zh-CN');
    s.sessions.end('cancelled');
    expect(await starting).toMatchObject({ ok: false, error: { kind: 'no-session' } });
    expect(s.port.ended.map((e) => e.reason)).toEqual(['session-ended']);
    expect(s.service.active).toBeNull();
  });

  it('a call belongs to its session: the next resident cannot signal, end or claim it', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.sessions.start(); // the next person (the previous session ends)
    expect(
      await s.service.signal(callId, { candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null } }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'no-call' },
    });
    expect(s.service.helped(callId)).toMatchObject({ ok: false, error: { kind: 'no-call' } });
    expect(s.service.active).toBeNull();
  });

  it('records the officer who helped for the session’s application, and forgets it with the session', async () => {
    const s = setup();
    const callId = await startedCall(s);
    const sessionId = s.sessions.current?.id ?? '';
    // Before an officer took the call there is no one whose help to record.
    expect(s.service.helped(callId)).toMatchObject({ ok: false, error: { kind: 'no-call' } });
    s.port.push(callId, { type: 'accepted', officer });
    await s.events(1);
    expect(s.service.helped(callId)).toEqual({ ok: true, value: undefined });
    // The call may end before the resident submits: the help still counts for this session.
    await s.service.end(callId, 'hung-up');
    expect(s.service.assistance(sessionId)).toEqual({ callId, officerId: 'officer-7' });
    s.sessions.end('finished');
    expect(s.service.assistance(sessionId)).toBeNull();
  });

  it('logs ids and reasons, never what was said or shown', async () => {
    const s = setup();
    const callId = await startedCall(s);
    s.port.push(callId, { type: 'signal', signal: { description: { type: 'offer', sdp: 'v=0 secret-sdp' } } });
    await s.events(1);
    await s.service.end(callId, 'hung-up');
    expect(JSON.stringify(s.log.lines)).not.toContain('secret-sdp');
    expect(s.log.lines.map((l) => l.message)).toEqual(expect.arrayContaining(['call queued', 'call ended']));
  });
});
