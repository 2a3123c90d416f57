import { randomUUID } from 'node:crypto';
import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import type { SessionEndReason } from '../../api/contract';

/**
 * One resident at a time. Everything held for the person (card data, answers in progress) hangs
 * off the current session and is dropped when it ends, whatever the reason.
 */
export interface SessionService {
  start(): string;
  end(reason: SessionEndReason): void;
  /** `startedAt` is monotonic ms (foundation/clock.ts): for the session's length in the log, never shown. */
  readonly current: { readonly id: string; readonly startedAt: number } | null;
  /** Called with the ended session's id so other services can wipe what they hold for it. */
  onEnded(listener: (sessionId: string, reason: SessionEndReason) => void): () => void;
}

export function createSessionService(log: Log, monotonic: MonotonicClock = monotonicClock): SessionService {
  const now = () => monotonic.elapsedMs();
  let current: { id: string; startedAt: number } | null = null;
  const listeners = new Set<(sessionId: string, reason: SessionEndReason) => void>();

  function end(reason: SessionEndReason): void {
    if (current === null) return;
    const ended = current;
    current = null;
    log.info({ sessionId: ended.id, reason, seconds: Math.round((now() - ended.startedAt) / 1000) }, 'session ended');
    for (const listener of listeners) listener(ended.id, reason);
  }

  return {
    start() {
      // A new person starting means the previous one is gone, even if nobody said so.
      end('cancelled');
      current = { id: randomUUID(), startedAt: now() };
      log.info({ sessionId: current.id }, 'session started');
      return current.id;
    },
    end,
    get current() {
      return current;
    },
    onEnded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
