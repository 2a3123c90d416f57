import { backoffDelay, type BackoffPolicy } from '../../../foundation/backoff';
import type { MonotonicClock, Timers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { assertNever, err, ok, type Result } from '../../../foundation/result';
import type { RemoteHelpConfig } from '../../../kiosk-config/config-schema';
import type {
  CallEndReason,
  CallEvent,
  CallQueued,
  RemoteAssistance,
  RtcSignal,
} from '../../../platform/contract/remote-help';
import type { Language } from '../../../kiosk-config/config-schema';
import type { Refusal } from '../../api/failures';
import type { RemoteHelpFailure, ResidentEndReason } from '../../api/remote-help-contract';
import type { PortFailure } from '../outbox/platform-port';
import type { SessionService } from '../session/session-service';
import type { RemoteHelpPort } from './remote-help-port';

/**
 * The resident's video call to the hall (远程帮办), service side: queues the call at the platform,
 * long-polls its events (`after` the last one seen) and hands them to the renderer, relays the
 * page's signalling, and ends the call — when the resident hangs up or gives up, when nobody
 * answers in time, when the platform stops answering, and always with the resident's session, so
 * no call outlives the person it was for. One call at a time. Media never passes here.
 */
export interface RemoteHelpService {
  start(language: Language): Promise<Result<CallQueued, Refusal<RemoteHelpFailure>>>;
  /** The resident agreed to the call under this recording rule (null: not recorded); told to the platform. */
  consent(callId: string, recordingDays: number | null): Promise<Result<void, Refusal<RemoteHelpFailure>>>;
  signal(callId: string, signal: RtcSignal): Promise<Result<void, Refusal<RemoteHelpFailure>>>;
  end(callId: string, reason: ResidentEndReason): Promise<Result<void, Refusal<RemoteHelpFailure>>>;
  /** The resident accepted an answer the officer proposed in this call: the application records it. */
  helped(callId: string): Result<void, Refusal<RemoteHelpFailure>>;
  /** The call whose officer helped the current session's resident, if one did (for journey.submit). */
  assistance(sessionId: string): RemoteAssistance | null;
  /** The call going on, if any (no personal data: ids only). */
  readonly active: { readonly callId: string; readonly officerId: string | null } | null;
  close(): Promise<void>;
}

export interface RemoteHelpServiceOptions {
  /** The platform's calls; a function, because the platform link may move to another address. */
  readonly port: () => RemoteHelpPort;
  readonly sessions: SessionService;
  readonly config: () => RemoteHelpConfig | undefined;
  /** The service point's name, shown in the hall's queue. */
  readonly servicePoint: () => string;
  readonly emit: (event: { callId: string; event: CallEvent }) => void;
  readonly monotonic: MonotonicClock;
  readonly timers: Timers;
  readonly log: Log;
  readonly random?: () => number;
}

/** Polls that fail are tried again soon: a call is live, and a resident is waiting. */
export const callPollBackoff: BackoffPolicy = { baseMs: 500, capMs: 4_000, jitter: 0.5 };
/** Nothing heard from the platform for this long: the call is lost (the platform ends it the same way). */
export const callLostAfterMs = 30_000;
/** An empty answer sooner than this is not repeated at once: a platform that does not hold the poll is not hammered. */
export const minPollIntervalMs = 1_000;

interface ActiveCall {
  readonly callId: string;
  readonly sessionId: string;
  readonly abort: AbortController;
  after: number;
  officerId: string | null;
  lastHeardMs: number;
  failures: number;
  noAnswerTimer: unknown;
  ended: boolean;
}

function failureOf(failure: PortFailure): Refusal<RemoteHelpFailure> {
  switch (failure.kind) {
    case 'retryable':
    case 'held':
      return { kind: 'platform-unreachable', message: failure.reason };
    case 'final':
      return { kind: 'platform-refused', message: `${failure.status} ${failure.reason}` };
    default:
      return assertNever(failure, 'port failure');
  }
}

export function createRemoteHelpService(options: RemoteHelpServiceOptions): RemoteHelpService {
  const { sessions, timers, log, monotonic } = options;
  const random = options.random ?? Math.random;
  let active: ActiveCall | null = null;
  let starting = false;
  // The call that helped, per session; dropped with the session.
  let helpedBy: { sessionId: string; assistance: RemoteAssistance } | null = null;
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
    return promise;
  };

  async function tellPlatform(callId: string, reason: CallEndReason): Promise<void> {
    const told = await options.port().endCall(callId, reason);
    if (!told.ok)
      log.warn({ callId, reason: told.error.reason }, 'call end not told to the platform (it ends it as lost)');
  }

  /** Ends the call here at once; the platform is told unless it told us. */
  function finish(
    call: ActiveCall,
    reason: CallEndReason,
    by: 'terminal' | 'officer' | 'platform',
    tell: boolean,
  ): Promise<void> {
    if (call.ended) return Promise.resolve();
    call.ended = true;
    if (active === call) active = null;
    timers.clearTimeout(call.noAnswerTimer);
    call.abort.abort();
    log.info({ callId: call.callId, reason, by }, 'call ended');
    options.emit({ callId: call.callId, event: { type: 'ended', by, reason } });
    return tell ? track(tellPlatform(call.callId, reason)) : Promise.resolve();
  }

  function wait(ms: number, call: ActiveCall): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        timers.clearTimeout(handle);
        call.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = timers.setTimeout(done, ms);
      call.abort.signal.addEventListener('abort', done);
    });
  }

  async function poll(call: ActiveCall): Promise<void> {
    while (!call.ended) {
      const askedAt = monotonic.elapsedMs();
      const answer = await options.port().callEvents(call.callId, call.after, call.abort.signal);
      if (call.ended) return;
      if (answer.ok) {
        call.failures = 0;
        call.lastHeardMs = monotonic.elapsedMs();
        const events = [...answer.value.events].sort((a, b) => a.seq - b.seq);
        for (const { seq, event } of events) {
          if (seq <= call.after) continue; // seen already (an answer repeated by a proxy)
          call.after = seq;
          if (event.type === 'ended') {
            void finish(call, event.reason, event.by, false);
            return;
          }
          if (event.type === 'accepted') {
            timers.clearTimeout(call.noAnswerTimer);
            call.officerId = event.officer.id;
            log.info({ callId: call.callId, officerId: event.officer.id }, 'call accepted');
          }
          options.emit({ callId: call.callId, event });
        }
        if (events.length === 0 && monotonic.elapsedMs() - askedAt < minPollIntervalMs)
          await wait(minPollIntervalMs, call);
        continue;
      }
      if (answer.error.kind === 'final') {
        // The platform no longer knows this call (it ended it, or never had it): nothing to wait for.
        log.warn({ callId: call.callId, reason: answer.error.reason }, 'call events refused');
        void finish(call, 'lost', 'platform', false);
        return;
      }
      call.failures += 1;
      if (monotonic.elapsedMs() - call.lastHeardMs >= callLostAfterMs) {
        void finish(call, 'lost', 'terminal', true);
        return;
      }
      await wait(backoffDelay(call.failures - 1, callPollBackoff, random), call);
    }
  }

  sessions.onEnded((sessionId) => {
    if (helpedBy?.sessionId === sessionId) helpedBy = null;
    if (active?.sessionId === sessionId) void finish(active, 'session-ended', 'terminal', true);
  });

  const callOf = (callId: string): ActiveCall | null =>
    active !== null && active.callId === callId && active.sessionId === sessions.current?.id ? active : null;

  return {
    async start(language) {
      const config = options.config();
      if (config?.enabled !== true) return err({ kind: 'not-offered' });
      const session = sessions.current;
      if (session === null) return err({ kind: 'no-session' });
      if (active !== null || starting) return err({ kind: 'busy' });
      starting = true;
      const queued = await track(
        options
          .port()
          .queueCall({ language: language === 'zh-CN' ? 'zh' : 'en', servicePoint: options.servicePoint() }),
      ).finally(() => {
        starting = false;
      });
      if (!queued.ok) return err(failureOf(queued.error));
      const { callId } = queued.value;
      if (sessions.current?.id !== session.id) {
        // The resident left while the call was being queued: it ends before anyone sees it.
        await track(tellPlatform(callId, 'session-ended'));
        return err({ kind: 'no-session' });
      }
      const call: ActiveCall = {
        callId,
        sessionId: session.id,
        abort: new AbortController(),
        after: 0,
        officerId: null,
        lastHeardMs: monotonic.elapsedMs(),
        failures: 0,
        noAnswerTimer: undefined,
        ended: false,
      };
      call.noAnswerTimer = timers.setTimeout(
        () => void finish(call, 'no-answer', 'terminal', true),
        config.noAnswerSeconds * 1000,
      );
      active = call;
      log.info({ callId, position: queued.value.position }, 'call queued');
      void track(poll(call));
      return ok(queued.value);
    },

    async consent(callId, recordingDays) {
      const call = callOf(callId);
      if (call === null) return err({ kind: 'no-call' });
      const told = await track(options.port().consentCall(callId, { recordingDays }));
      if (!told.ok) return err(failureOf(told.error));
      log.info({ callId, recorded: recordingDays !== null }, 'resident agreed to the call');
      return ok();
    },

    async signal(callId, signal) {
      const call = callOf(callId);
      if (call === null) return err({ kind: 'no-call' });
      const sent = await options.port().sendSignal(callId, signal);
      return sent.ok ? ok() : err(failureOf(sent.error));
    },

    async end(callId, reason) {
      const call = callOf(callId);
      if (call === null) return err({ kind: 'no-call' });
      await finish(call, reason, 'terminal', true);
      return ok();
    },

    helped(callId) {
      const call = callOf(callId);
      if (call === null || call.officerId === null) return err({ kind: 'no-call' });
      helpedBy = { sessionId: call.sessionId, assistance: { callId, officerId: call.officerId } };
      log.info({ callId, officerId: call.officerId }, 'resident accepted an officer’s answer');
      return ok();
    },

    assistance(sessionId) {
      return helpedBy?.sessionId === sessionId ? helpedBy.assistance : null;
    },

    get active() {
      return active === null ? null : { callId: active.callId, officerId: active.officerId };
    },

    async close() {
      if (active !== null) void finish(active, 'session-ended', 'terminal', true);
      await Promise.allSettled([...pending]);
    },
  };
}
