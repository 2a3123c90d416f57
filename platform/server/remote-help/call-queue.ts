/**
 * Remote help calls in memory (docs/remote-help.md): the queue of terminals waiting for an officer,
 * each call's state (queued → answered → ended), the signalling messages each side has not read
 * yet, and the long-poll waiters. No media and nothing personal passes through here: session
 * descriptions and ICE candidates only, dropped with the call. The durable metadata (who, when,
 * how it ended) goes to the recorder (call-records.ts).
 *
 * Time is injected: `clock` measures waits and silences (monotonic), `timers` bound the long polls,
 * `sweep()` ends calls nobody answered and calls whose side went silent. Tests drive all three by hand.
 */
import { randomUUID } from 'node:crypto';
import type { MonotonicClock, Timers } from '../../../foundation/clock';
import { err, ok, type Result } from '../../../foundation/result';
import type { CallEndReason, CallEvent, RtcSignal } from '../../contract/remote-help';

export type CallSide = 'terminal' | 'officer';
export type CallEndedBy = 'terminal' | 'officer' | 'platform';
export type CallState = 'queued' | 'answered' | 'ended';

export interface CallOfficer {
  /** The hall account's name (what the audit log and the case page show). */
  readonly id: string;
  readonly displayName: string;
}

/** What the officer's page reads about its call: the terminal's signals and the end. */
export type OfficerCallEvent =
  | { readonly type: 'signal'; readonly signal: RtcSignal }
  | { readonly type: 'ended'; readonly by: CallEndedBy; readonly reason: CallEndReason };

export interface SequencedEvent<E> {
  readonly seq: number;
  readonly event: E;
}

/** Where the durable call metadata goes (the table's owner module implements it). */
export interface CallRecorder {
  queued(call: { callId: string; terminalId: string; servicePoint: string | null }): void;
  answered(callId: string, officerId: string): void;
  ended(callId: string, by: CallEndedBy, reason: CallEndReason): void;
}

export interface CallQueueOptions {
  readonly clock: MonotonicClock;
  readonly timers: Timers;
  readonly recorder: CallRecorder;
  /** A queued call nobody accepts in this time ends `no-answer`. */
  readonly noAnswerMs: number;
  /** A side that neither polls nor sends for this long ends the call `lost` (longer than one long poll). */
  readonly lostMs: number;
  /** Terminals' long polls held open at once, over all calls; more are answered `busy` at once. */
  readonly maxWaiters: number;
  /**
   * Officers' long polls (the hall's queue and their calls' events) held open at once: a budget of
   * their own, so no hall page (or script with a stolen session) can take the terminals' places.
   */
  readonly maxOfficerWaiters: number;
  /** Unread messages per side of a call (an offer, an answer, a few dozen candidates in practice). */
  readonly maxPendingEvents?: number;
  /** An ended call stays readable this long, so a side polling late still learns how it ended. */
  readonly keepEndedMs?: number;
  readonly newId?: () => string;
}

/** One waiting call, as the hall's queue shows it. */
export interface QueuedCall {
  readonly callId: string;
  readonly terminalId: string;
  readonly servicePoint: string | null;
  readonly waitingMs: number;
}

export interface QueueView {
  /** Changes whenever a call joins, is taken or leaves the queue. */
  readonly version: number;
  readonly waiting: readonly QueuedCall[];
}

export type WaitResult<E> =
  { readonly kind: 'events'; readonly events: SequencedEvent<E>[] } | { readonly kind: 'busy' };

/**
 * How a long poll of the hall's queue ends: the queue changed, nothing happened in time, or a newer
 * poll of the same holder (the same hall session) took its place.
 */
export type QueueWait =
  { readonly kind: 'changed'; readonly view: QueueView } | { readonly kind: 'timeout' } | { readonly kind: 'replaced' };

export type SignalRefusal = 'no-such-call' | 'not-answered' | 'ended' | 'too-many';
export type AcceptRefusal = 'no-such-call' | 'taken' | 'ended' | 'officer-busy';

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly timer: unknown;
}

/** Whose budget a held long poll counts against. */
type WaiterPool = CallSide;

/** One side's inbox: numbered events and at most one long poll waiting on it. */
class Inbox<E> {
  private seq = 0;
  private events: SequencedEvent<E>[] = [];
  waiter: { after: number; waiter: Waiter<WaitResult<E>> } | null = null;

  constructor(
    private readonly limit: number,
    /** The side that reads this inbox: its polls count against that side's budget. */
    readonly pool: WaiterPool,
  ) {}

  get full(): boolean {
    return this.events.length >= this.limit;
  }

  push(event: E): void {
    this.seq += 1;
    this.events.push({ seq: this.seq, event });
  }

  /** Events after `after`; what the reader has seen (seq ≤ after) is dropped for good. */
  read(after: number): SequencedEvent<E>[] {
    this.events = this.events.filter((e) => e.seq > after);
    return this.events.slice(0, 200);
  }
}

interface Call {
  readonly id: string;
  readonly terminalId: string;
  readonly servicePoint: string | null;
  state: CallState;
  readonly queuedAt: number;
  endedAt: number | null;
  officer: CallOfficer | null;
  readonly toTerminal: Inbox<CallEvent>;
  readonly toOfficer: Inbox<OfficerCallEvent>;
  readonly lastSeen: Record<CallSide, number>;
}

/** Seconds of the waits of the last few answered calls, for the expected wait a resident is told. */
const waitSamples = 10;

export class CallQueue {
  private readonly calls = new Map<string, Call>();
  /** Queued call ids in arrival order. */
  private queue: string[] = [];
  private version = 1;
  /** The hall's queue polls, one per holder (a hall session): a newer poll replaces the older. */
  private readonly queueWaiters = new Map<string, Waiter<QueueWait>>();
  private readonly held: Record<WaiterPool, number> = { terminal: 0, officer: 0 };
  private readonly recentWaitsMs: number[] = [];
  /** The place each queued terminal was last told. */
  private readonly lastPosition = new Map<string, number>();
  private readonly maxPending: number;
  private readonly keepEndedMs: number;
  private readonly newId: () => string;

  constructor(private readonly options: CallQueueOptions) {
    this.maxPending = options.maxPendingEvents ?? 400;
    this.keepEndedMs = options.keepEndedMs ?? 60_000;
    this.newId = options.newId ?? randomUUID;
  }

  private now(): number {
    return this.options.clock.elapsedMs();
  }

  // ---------------------------------------------------------------- terminal side

  /**
   * Queues a call for the terminal. A terminal has one call at a time: an earlier one still open
   * ends (`session-ended`), so a terminal that restarted mid-call never waits behind its own ghost.
   */
  open(
    terminalId: string,
    servicePoint: string | null,
  ): { callId: string; position: number; expectedWaitSeconds: number | null; replaced: string | null } {
    const earlier = [...this.calls.values()].find((c) => c.terminalId === terminalId && c.state !== 'ended');
    if (earlier !== undefined) this.end(earlier.id, 'terminal', 'session-ended');
    const now = this.now();
    const call: Call = {
      id: this.newId(),
      terminalId,
      servicePoint,
      state: 'queued',
      queuedAt: now,
      endedAt: null,
      officer: null,
      toTerminal: new Inbox(this.maxPending, 'terminal'),
      toOfficer: new Inbox(this.maxPending, 'officer'),
      lastSeen: { terminal: now, officer: now },
    };
    this.calls.set(call.id, call);
    this.queue.push(call.id);
    this.options.recorder.queued({ callId: call.id, terminalId, servicePoint });
    const position = this.queue.length;
    // queueChanged tells the terminal its place (the first `queued` event).
    this.queueChanged();
    return {
      callId: call.id,
      position,
      expectedWaitSeconds: this.expectedWaitSeconds(position),
      replaced: earlier?.id ?? null,
    };
  }

  /** The call, if it is this terminal's (a terminal sees only its own calls). */
  ownedBy(terminalId: string, callId: string): boolean {
    return this.calls.get(callId)?.terminalId === terminalId;
  }

  state(callId: string): CallState | null {
    return this.calls.get(callId)?.state ?? null;
  }

  // ---------------------------------------------------------------- officer side

  /** The calls waiting now, oldest first. */
  view(): QueueView {
    const now = this.now();
    const waiting = this.queue.flatMap((id) => {
      const c = this.calls.get(id);
      return c === undefined
        ? []
        : [{ callId: c.id, terminalId: c.terminalId, servicePoint: c.servicePoint, waitingMs: now - c.queuedAt }];
    });
    return { version: this.version, waiting };
  }

  /** The officer's open call (answered, not ended), if any. */
  callOf(officerId: string): string | null {
    for (const c of this.calls.values()) if (c.state === 'answered' && c.officer?.id === officerId) return c.id;
    return null;
  }

  /** An officer takes a waiting call; one call per officer at a time (the rest stay queued). */
  accept(callId: string, officer: CallOfficer): Result<{ terminalId: string }, AcceptRefusal> {
    const call = this.calls.get(callId);
    if (call === undefined) return err('no-such-call');
    if (call.state === 'ended') return err('ended');
    if (call.state === 'answered') return err('taken');
    if (this.callOf(officer.id) !== null) return err('officer-busy');
    const now = this.now();
    call.state = 'answered';
    call.officer = officer;
    call.lastSeen.officer = now;
    this.queue = this.queue.filter((id) => id !== callId);
    this.recentWaitsMs.push(now - call.queuedAt);
    if (this.recentWaitsMs.length > waitSamples) this.recentWaitsMs.shift();
    this.options.recorder.answered(callId, officer.id);
    this.deliver(call.toTerminal, { type: 'accepted', officer: { id: officer.id, displayName: officer.displayName } });
    this.queueChanged();
    return ok({ terminalId: call.terminalId });
  }

  /** Whether this officer answered this call (an officer sees only the call they took). */
  answeredBy(officerId: string, callId: string): boolean {
    return this.calls.get(callId)?.officer?.id === officerId;
  }

  // ---------------------------------------------------------------- both sides

  /** One session description or ICE candidate from `from` to the other side; only once answered. */
  signal(from: CallSide, callId: string, signal: RtcSignal): Result<void, SignalRefusal> {
    const call = this.calls.get(callId);
    if (call === undefined) return err('no-such-call');
    if (call.state === 'ended') return err('ended');
    if (call.state === 'queued') return err('not-answered');
    call.lastSeen[from] = this.now();
    const inbox = from === 'terminal' ? call.toOfficer : call.toTerminal;
    if (inbox.full) return err('too-many');
    if (from === 'terminal') this.deliver(call.toOfficer, { type: 'signal', signal });
    else this.deliver(call.toTerminal, { type: 'signal', signal });
    return ok(undefined);
  }

  /** Ends the call (idempotent: a call already ended stays as it ended). */
  end(callId: string, by: CallEndedBy, reason: CallEndReason): boolean {
    const call = this.calls.get(callId);
    if (call === undefined || call.state === 'ended') return false;
    const wasQueued = call.state === 'queued';
    call.state = 'ended';
    call.endedAt = this.now();
    this.queue = this.queue.filter((id) => id !== callId);
    this.options.recorder.ended(callId, by, reason);
    const ended = { type: 'ended', by, reason } as const;
    this.deliver(call.toTerminal, ended);
    if (call.officer !== null) this.deliver(call.toOfficer, ended);
    // Polls still waiting (one that asked past the last event) learn of the end by an empty answer.
    this.release(call.toTerminal);
    this.release(call.toOfficer);
    if (wasQueued) this.queueChanged();
    return true;
  }

  /**
   * Long poll of the terminal's side of a call: answers at once when events wait (or the call has
   * ended), else when one arrives, else after `timeoutMs` (empty). A newer poll of the same side
   * releases the older one (empty). Null: no such call.
   */
  waitTerminal(callId: string, after: number, timeoutMs: number): Promise<WaitResult<CallEvent>> | null {
    const call = this.calls.get(callId);
    return call === undefined ? null : this.waitOn(call, 'terminal', call.toTerminal, after, timeoutMs);
  }

  /** The same for the officer who answered the call. */
  waitOfficer(callId: string, after: number, timeoutMs: number): Promise<WaitResult<OfficerCallEvent>> | null {
    const call = this.calls.get(callId);
    return call === undefined ? null : this.waitOn(call, 'officer', call.toOfficer, after, timeoutMs);
  }

  private waitOn<E>(
    call: Call,
    side: CallSide,
    inbox: Inbox<E>,
    after: number,
    timeoutMs: number,
  ): Promise<WaitResult<E>> {
    call.lastSeen[side] = this.now();
    const ready = inbox.read(after);
    if (ready.length > 0 || call.state === 'ended') return Promise.resolve({ kind: 'events', events: ready });
    // The older poll of this side makes room before the budget is judged: a side never holds two.
    this.release(inbox);
    if (this.full(inbox.pool)) return Promise.resolve({ kind: 'busy' });
    return new Promise((resolve) => {
      this.held[inbox.pool] += 1;
      const settle = (value: WaitResult<E>) => {
        // The side was there for the whole wait.
        call.lastSeen[side] = this.now();
        resolve(value);
      };
      const timer = this.options.timers.setTimeout(() => {
        if (inbox.waiter?.waiter.resolve === settle) this.release(inbox);
      }, timeoutMs);
      inbox.waiter = { after, waiter: { resolve: settle, timer } };
    });
  }

  /** Releases a poll whose client went away (the connection closed). */
  abandon(side: CallSide, callId: string): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    if (side === 'terminal') this.release(call.toTerminal);
    else this.release(call.toOfficer);
  }

  /**
   * Long poll of the hall's queue by `holder` (a hall session): answers when the version differs from
   * `after`, or at timeout. A holder has one poll at a time: a newer one answers the older `replaced`.
   * Officers' polls count against their own budget, never the terminals'.
   */
  waitQueue(
    holder: string,
    after: number,
    timeoutMs: number,
  ): { promise: Promise<QueueWait>; cancel: () => void } | 'busy' {
    this.finishQueueWait(holder, { kind: 'replaced' });
    if (after !== this.version)
      return { promise: Promise.resolve({ kind: 'changed', view: this.view() }), cancel: () => undefined };
    if (this.full('officer')) return 'busy';
    this.held.officer += 1;
    let waiter: Waiter<QueueWait> | undefined;
    const promise = new Promise<QueueWait>((resolve) => {
      const timer = this.options.timers.setTimeout(() => cancel(), timeoutMs);
      waiter = { resolve, timer };
      this.queueWaiters.set(holder, waiter);
    });
    // Only this poll: by the time it is cancelled a newer one may hold the holder's place.
    const cancel = () => {
      if (waiter !== undefined && this.queueWaiters.get(holder) === waiter)
        this.finishQueueWait(holder, { kind: 'timeout' });
    };
    return { promise, cancel };
  }

  /** Long polls held open now, by side (each bounded by its own budget). */
  get waiters(): Readonly<Record<WaiterPool, number>> {
    return { ...this.held };
  }

  /**
   * Ends calls nobody answered in time and calls one side abandoned; forgets ended calls after a
   * while. The platform runs it every second; tests call it after moving the clock.
   */
  sweep(): void {
    const now = this.now();
    for (const call of [...this.calls.values()]) {
      if (call.state === 'ended') {
        if (call.endedAt !== null && now - call.endedAt >= this.keepEndedMs) {
          this.release(call.toTerminal);
          this.release(call.toOfficer);
          this.calls.delete(call.id);
        }
        continue;
      }
      const silent = (side: CallSide) =>
        (side === 'terminal' ? call.toTerminal : call.toOfficer).waiter === null &&
        now - call.lastSeen[side] >= this.options.lostMs;
      if (call.state === 'queued' && now - call.queuedAt >= this.options.noAnswerMs)
        this.end(call.id, 'platform', 'no-answer');
      else if (silent('terminal') || (call.state === 'answered' && silent('officer')))
        this.end(call.id, 'platform', 'lost');
    }
  }

  /** Answers every waiting poll (the platform is closing). */
  close(): void {
    for (const call of this.calls.values()) {
      this.release(call.toTerminal);
      this.release(call.toOfficer);
    }
    for (const holder of [...this.queueWaiters.keys()]) this.finishQueueWait(holder, { kind: 'timeout' });
  }

  private full(pool: WaiterPool): boolean {
    const max = pool === 'terminal' ? this.options.maxWaiters : this.options.maxOfficerWaiters;
    return this.held[pool] >= max;
  }

  private finishQueueWait(holder: string, value: QueueWait): void {
    const waiter = this.queueWaiters.get(holder);
    if (waiter === undefined) return;
    this.queueWaiters.delete(holder);
    this.options.timers.clearTimeout(waiter.timer);
    this.held.officer -= 1;
    waiter.resolve(value);
  }

  private expectedWaitSeconds(position: number): number | null {
    if (this.recentWaitsMs.length === 0) return null;
    const average = this.recentWaitsMs.reduce((a, b) => a + b, 0) / this.recentWaitsMs.length;
    return Math.round((average * position) / 1000);
  }

  /** Adds the event to an inbox and answers its waiting poll. */
  private deliver<E>(inbox: Inbox<E>, event: E): void {
    inbox.push(event);
    const pending = inbox.waiter;
    if (pending !== null) {
      const events = inbox.read(pending.after);
      if (events.length > 0) this.release(inbox, events);
    }
  }

  /** Answers the inbox's waiting poll, if any, with these events (none: an empty answer). */
  private release<E>(inbox: Inbox<E>, events: SequencedEvent<E>[] = []): void {
    const pending = inbox.waiter;
    if (pending === null) return;
    inbox.waiter = null;
    this.options.timers.clearTimeout(pending.waiter.timer);
    this.held[inbox.pool] -= 1;
    pending.waiter.resolve({ kind: 'events', events });
  }

  private queueChanged(): void {
    this.version += 1;
    // Positions move up when a call ahead leaves: each waiting terminal hears its new place.
    this.queue.forEach((id, index) => {
      const call = this.calls.get(id);
      if (call === undefined) return;
      const position = index + 1;
      if (this.lastPosition.get(id) !== position) {
        this.lastPosition.set(id, position);
        this.deliver(call.toTerminal, {
          type: 'queued',
          position,
          expectedWaitSeconds: this.expectedWaitSeconds(position),
        });
      }
    });
    for (const id of this.lastPosition.keys()) if (!this.queue.includes(id)) this.lastPosition.delete(id);
    const view = this.view();
    for (const holder of [...this.queueWaiters.keys()]) this.finishQueueWait(holder, { kind: 'changed', view });
  }
}
