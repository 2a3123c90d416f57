import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../../foundation/result';
import type {
  CallConsent,
  CallEndReason,
  CallEvent,
  CallQueued,
  CallRequest,
  RtcSignal,
} from '../../../platform/contract/remote-help';
import type { PortFailure } from '../outbox/platform-port';
import type { RemoteHelpPort } from './remote-help-port';

/**
 * The platform's remote-help calls in memory, for tests: the long poll is held until an event is
 * pushed or the poll is aborted, as the real one is; a test plays the hall with `push`, and makes
 * the platform fail with `failNext`.
 */
export interface FakeRemoteHelpPort extends RemoteHelpPort {
  readonly queued: CallRequest[];
  readonly signals: Array<{ callId: string; signal: RtcSignal }>;
  readonly ended: Array<{ callId: string; reason: CallEndReason }>;
  readonly consents: Array<{ callId: string; consent: CallConsent }>;
  /** `after` of every poll, in order. */
  readonly polls: Array<{ callId: string; after: number }>;
  /** Polls waiting right now. */
  readonly waiting: number;
  push(callId: string, event: CallEvent): void;
  failNext(
    operation: 'queueCall' | 'callEvents' | 'consentCall' | 'sendSignal' | 'endCall',
    failure: PortFailure,
    times?: number,
  ): void;
  /** The next `times` polls answer at once with no events, as a platform that does not hold them. */
  answerEmptyNext(times: number): void;
  /** Resolves once a poll is waiting (or at once when one is). */
  nextPoll(): Promise<void>;
}

export function createFakeRemoteHelpPort(answer: Partial<Omit<CallQueued, 'callId'>> = {}): FakeRemoteHelpPort {
  const events = new Map<string, Array<{ seq: number; event: CallEvent }>>();
  const waiters = new Set<() => void>();
  const pollWaiters: Array<() => void> = [];
  const failures = new Map<string, PortFailure[]>();
  let waiting = 0;
  let emptyAnswers = 0;
  const failure = (operation: string): PortFailure | undefined => failures.get(operation)?.shift();
  const fake: FakeRemoteHelpPort = {
    queued: [],
    signals: [],
    ended: [],
    consents: [],
    polls: [],
    get waiting() {
      return waiting;
    },
    async queueCall(request) {
      const failed = failure('queueCall');
      if (failed !== undefined) return err(failed);
      fake.queued.push(request);
      const callId = randomUUID();
      events.set(callId, []);
      return ok({
        callId,
        position: 1,
        expectedWaitSeconds: 60,
        iceServers: [],
        iceTransportPolicy: 'all',
        recording: { enabled: false },
        ...answer,
      });
    },
    async callEvents(
      callId,
      after,
      signal,
    ): Promise<Result<{ events: Array<{ seq: number; event: CallEvent }> }, PortFailure>> {
      fake.polls.push({ callId, after });
      const failed = failure('callEvents');
      if (failed !== undefined) return err(failed);
      const list = events.get(callId);
      if (list === undefined) return err({ kind: 'final', status: 404, reason: 'Not Found' });
      const newer = () => list.filter((e) => e.seq > after);
      if (emptyAnswers > 0) {
        emptyAnswers -= 1;
        return ok({ events: [] });
      }
      if (newer().length === 0 && !signal.aborted) {
        waiting += 1;
        for (const wake of pollWaiters.splice(0)) wake();
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done);
            signal.removeEventListener('abort', done);
            resolve();
          };
          waiters.add(done);
          signal.addEventListener('abort', done);
        });
        waiting -= 1;
      }
      if (signal.aborted) return err({ kind: 'retryable', reason: 'aborted' });
      return ok({ events: newer() });
    },
    async consentCall(callId, consent) {
      const failed = failure('consentCall');
      if (failed !== undefined) return err(failed);
      fake.consents.push({ callId, consent });
      return ok();
    },
    async sendSignal(callId, signal) {
      const failed = failure('sendSignal');
      if (failed !== undefined) return err(failed);
      fake.signals.push({ callId, signal });
      return ok();
    },
    async endCall(callId, reason) {
      const failed = failure('endCall');
      if (failed !== undefined) return err(failed);
      fake.ended.push({ callId, reason });
      return ok();
    },
    push(callId, event) {
      const list = events.get(callId);
      if (list === undefined) throw new Error(`no call ${callId}`);
      list.push({ seq: list.length + 1, event });
      for (const wake of [...waiters]) wake();
    },
    failNext(operation, failed, times = 1) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...Array.from({ length: times }, () => failed)]);
    },
    answerEmptyNext(times) {
      emptyAnswers += times;
    },
    nextPoll() {
      return waiting > 0 ? Promise.resolve() : new Promise((resolve) => pollWaiters.push(resolve));
    },
  };
  return fake;
}
