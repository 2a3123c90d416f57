import { describe, expect, it } from 'vitest';
import { manualMonotonicClock, manualTimers } from '../../../foundation/clock';
import type { RtcSignal } from '../../contract/remote-help';
import { CallQueue, type CallEndedBy, type CallRecorder } from './call-queue';

function setUp(options: { maxWaiters?: number; maxOfficerWaiters?: number; maxPendingEvents?: number } = {}) {
  const clock = manualMonotonicClock(1_000);
  const timers = manualTimers(clock);
  const log: string[] = [];
  const recorder: CallRecorder = {
    queued: (c) => log.push(`queued ${c.terminalId}`),
    answered: (id, officer) => log.push(`answered ${id} ${officer}`),
    ended: (id, by: CallEndedBy, reason) => log.push(`ended ${id} ${by} ${reason}`),
  };
  let n = 0;
  const queue = new CallQueue({
    clock,
    timers,
    recorder,
    noAnswerMs: 90_000,
    lostMs: 45_000,
    maxWaiters: options.maxWaiters ?? 10,
    maxOfficerWaiters: options.maxOfficerWaiters ?? 10,
    ...(options.maxPendingEvents === undefined ? {} : { maxPendingEvents: options.maxPendingEvents }),
    newId: () => `call-${++n}`,
  });
  return { clock, timers, queue, log };
}

const offer: RtcSignal = { description: { type: 'offer', sdp: 'v=0 offer' } };
const answer: RtcSignal = { description: { type: 'answer', sdp: 'v=0 answer' } };
const officer = { id: 'li.na', displayName: 'li.na' };

describe('remote help call queue', () => {
  it('queues calls in order, tells each terminal its place, and moves them up as calls leave', async () => {
    const { queue } = setUp();
    const a = queue.open('T-A', '柳溪村便民服务点');
    const b = queue.open('T-B', null);
    expect([a.position, b.position]).toEqual([1, 2]);
    expect(queue.view().waiting.map((c) => c.terminalId)).toEqual(['T-A', 'T-B']);
    expect(await queue.waitTerminal(b.callId, 0, 20_000)).toEqual({
      kind: 'events',
      events: [{ seq: 1, event: { type: 'queued', position: 2, expectedWaitSeconds: null } }],
    });
    queue.end(a.callId, 'terminal', 'gave-up');
    expect(await queue.waitTerminal(b.callId, 1, 20_000)).toEqual({
      kind: 'events',
      events: [{ seq: 2, event: { type: 'queued', position: 1, expectedWaitSeconds: null } }],
    });
  });

  it('relays the offer, answer and candidates between the officer who accepted and the terminal, in order', async () => {
    const { queue, log } = setUp();
    const { callId } = queue.open('T-A', null);
    // Nothing is relayed before someone answers.
    expect(queue.signal('terminal', callId, answer)).toEqual({ ok: false, error: 'not-answered' });
    const polled = queue.waitTerminal(callId, 1, 20_000);
    expect(queue.accept(callId, officer)).toEqual({ ok: true, value: { terminalId: 'T-A' } });
    // The waiting poll is answered at once with the acceptance.
    expect((await polled)?.kind === 'events' && (await polled)).toMatchObject({
      events: [{ seq: 2, event: { type: 'accepted', officer } }],
    });
    expect(queue.signal('officer', callId, offer).ok).toBe(true);
    expect(queue.signal('terminal', callId, answer).ok).toBe(true);
    expect(await queue.waitTerminal(callId, 2, 20_000)).toEqual({
      kind: 'events',
      events: [{ seq: 3, event: { type: 'signal', signal: offer } }],
    });
    expect(await queue.waitOfficer(callId, 0, 20_000)).toEqual({
      kind: 'events',
      events: [{ seq: 1, event: { type: 'signal', signal: answer } }],
    });
    queue.end(callId, 'officer', 'hung-up');
    expect(await queue.waitTerminal(callId, 3, 20_000)).toEqual({
      kind: 'events',
      events: [{ seq: 4, event: { type: 'ended', by: 'officer', reason: 'hung-up' } }],
    });
    expect(log).toEqual(['queued T-A', `answered ${callId} li.na`, `ended ${callId} officer hung-up`]);
    // Ending again changes nothing.
    expect(queue.end(callId, 'terminal', 'hung-up')).toBe(false);
  });

  it('keeps a second call queued while the officer is busy; another officer may take it; nobody takes a call twice', () => {
    const { queue } = setUp();
    const a = queue.open('T-A', null);
    const b = queue.open('T-B', null);
    expect(queue.accept(a.callId, officer).ok).toBe(true);
    expect(queue.accept(b.callId, officer)).toEqual({ ok: false, error: 'officer-busy' });
    expect(queue.view().waiting.map((c) => c.callId)).toEqual([b.callId]);
    expect(queue.accept(a.callId, { id: 'wang.min', displayName: 'wang.min' })).toEqual({ ok: false, error: 'taken' });
    expect(queue.accept(b.callId, { id: 'wang.min', displayName: 'wang.min' }).ok).toBe(true);
    expect(queue.answeredBy('li.na', b.callId)).toBe(false);
  });

  it('one call per terminal: a new call ends the earlier one', () => {
    const { queue, log } = setUp();
    const first = queue.open('T-A', null);
    const second = queue.open('T-A', null);
    expect(second.replaced).toBe(first.callId);
    expect(queue.state(first.callId)).toBe('ended');
    expect(queue.view().waiting.map((c) => c.callId)).toEqual([second.callId]);
    expect(log).toContain(`ended ${first.callId} terminal session-ended`);
  });

  it('ends a call nobody answers in time with no-answer', () => {
    const { queue, clock } = setUp();
    const { callId } = queue.open('T-A', null);
    // The terminal keeps polling (it is there), but no officer comes.
    for (let i = 0; i < 4; i++) {
      clock.advance(20_000);
      void queue.waitTerminal(callId, 99, 20_000);
      queue.sweep();
      expect(queue.state(callId)).toBe('queued');
    }
    clock.advance(10_000);
    queue.sweep();
    expect(queue.state(callId)).toBe('ended');
  });

  it('ends a call as lost when a side stops polling, but not while its long poll is open', async () => {
    const { queue, clock, timers, log } = setUp();
    const { callId } = queue.open('T-A', null);
    queue.accept(callId, officer);
    // The terminal's poll is held open the whole time: it is present.
    const held = queue.waitTerminal(callId, 99, 60_000);
    void queue.waitOfficer(callId, 0, 60_000);
    clock.advance(44_000);
    queue.sweep();
    expect(queue.state(callId)).toBe('answered');
    // The officer's page goes away (its connection closed), the terminal's poll stays.
    queue.abandon('officer', callId);
    clock.advance(45_000);
    queue.sweep();
    expect(queue.state(callId)).toBe('ended');
    expect(log).toContain(`ended ${callId} platform lost`);
    expect((await held)?.kind).toBe('events');
    expect(timers.pending()).toBe(0);
  });

  it('answers an idle long poll empty at its timeout, and a newer poll of the same side releases the older', async () => {
    const { queue, clock, timers } = setUp();
    const { callId } = queue.open('T-A', null);
    const first = queue.waitTerminal(callId, 1, 20_000);
    const second = queue.waitTerminal(callId, 1, 20_000);
    expect(await first).toEqual({ kind: 'events', events: [] });
    expect(queue.waiters).toEqual({ terminal: 1, officer: 0 });
    clock.advance(20_000);
    timers.fire();
    expect(await second).toEqual({ kind: 'events', events: [] });
    expect(queue.waiters).toEqual({ terminal: 0, officer: 0 });
  });

  it('holds at most maxWaiters long polls; more are answered busy at once, and closing releases them all', async () => {
    const { queue } = setUp({ maxWaiters: 2, maxOfficerWaiters: 1 });
    const calls = ['T-A', 'T-B', 'T-C'].map((t) => queue.open(t, null).callId);
    const polls = calls.map((id) => queue.waitTerminal(id, 1, 20_000));
    expect(await polls[2]).toEqual({ kind: 'busy' });
    const hall = queue.waitQueue('session-1', queue.view().version, 20_000);
    expect(queue.waitQueue('session-2', queue.view().version, 20_000)).toBe('busy');
    queue.close();
    expect(await polls[0]).toEqual({ kind: 'events', events: [] });
    expect(await polls[1]).toEqual({ kind: 'events', events: [] });
    expect(hall === 'busy' ? hall : await hall.promise).toEqual({ kind: 'timeout' });
    expect(queue.waiters).toEqual({ terminal: 0, officer: 0 });
  });

  it('keeps the officers’ polls in a budget of their own: a full hall never refuses a terminal', async () => {
    const { queue } = setUp({ maxWaiters: 1, maxOfficerWaiters: 2 });
    const { callId } = queue.open('T-A', null);
    queue.accept(callId, officer);
    const version = queue.view().version;
    const held = [queue.waitQueue('session-1', version, 20_000), queue.waitOfficer(callId, 0, 20_000)];
    expect(held).not.toContain('busy');
    expect(queue.waitQueue('session-2', version, 20_000)).toBe('busy');
    expect(queue.waiters).toEqual({ terminal: 0, officer: 2 });
    // The terminal's poll (its `queued` and `accepted` read) is held, not refused.
    const terminalPoll = queue.waitTerminal(callId, 2, 20_000);
    expect(queue.waiters).toEqual({ terminal: 1, officer: 2 });
    queue.end(callId, 'officer', 'hung-up');
    expect(await terminalPoll).toMatchObject({ kind: 'events', events: [{ event: { type: 'ended' } }] });
  });

  it('holds one queue poll per holder: a newer poll answers the older `replaced`, taking no second place', async () => {
    const { queue, clock, timers } = setUp({ maxOfficerWaiters: 1 });
    const version = queue.view().version;
    const polls = Array.from({ length: 20 }, () => queue.waitQueue('session-1', version, 20_000));
    expect(polls).not.toContain('busy');
    const outcomes = await Promise.all(
      polls.slice(0, -1).map((p) => (p === 'busy' ? Promise.reject(new Error('busy')) : p.promise)),
    );
    expect(outcomes.every((o) => o.kind === 'replaced')).toBe(true);
    expect(queue.waiters.officer).toBe(1);
    // The older poll's own timer or disconnect no longer touches the newer one.
    const first = polls[0];
    if (first !== undefined && first !== 'busy') first.cancel();
    expect(queue.waiters.officer).toBe(1);
    const last = polls.at(-1);
    if (last === undefined || last === 'busy') throw new Error('the last poll was not held');
    queue.open('T-A', null);
    expect(await last.promise).toMatchObject({ kind: 'changed', view: { waiting: [{ terminalId: 'T-A' }] } });
    clock.advance(20_000);
    timers.fire();
    expect(queue.waiters.officer).toBe(0);
  });

  it('wakes the hall’s queue poll when a call arrives, and only then', async () => {
    const { queue, clock, timers } = setUp();
    const seen = queue.view().version;
    const poll = queue.waitQueue('session-1', seen, 20_000);
    if (poll === 'busy') throw new Error('busy');
    queue.open('T-A', '柳溪村');
    const answer = await poll.promise;
    if (answer.kind !== 'changed') throw new Error(`answered ${answer.kind}`);
    expect(answer.view.waiting.map((c) => c.servicePoint)).toEqual(['柳溪村']);
    const idle = queue.waitQueue('session-1', answer.view.version, 20_000);
    if (idle === 'busy') throw new Error('busy');
    clock.advance(20_000);
    timers.fire();
    expect(await idle.promise).toEqual({ kind: 'timeout' });
  });

  it('refuses signals beyond the unread limit instead of growing without bound', () => {
    const { queue } = setUp({ maxPendingEvents: 3 });
    const { callId } = queue.open('T-A', null);
    queue.accept(callId, officer);
    // `accepted` and `queued` are already unread on the terminal's side.
    expect(queue.signal('officer', callId, offer).ok).toBe(true);
    expect(queue.signal('officer', callId, offer)).toEqual({ ok: false, error: 'too-many' });
  });

  it('tells later callers the expected wait from recent answered calls', () => {
    const { queue, clock } = setUp();
    const a = queue.open('T-A', null);
    clock.advance(30_000);
    queue.accept(a.callId, officer);
    queue.open('T-B', null);
    expect(queue.open('T-C', null).expectedWaitSeconds).toBe(60);
  });
});
