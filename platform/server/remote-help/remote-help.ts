/**
 * Remote help on the platform, put together once at start: the in-memory call queue, the metadata
 * table behind it, the ICE configuration, and the sweep that ends unanswered and abandoned calls.
 * The terminal routes (terminal-routes.ts) and the hall's routes (hall-routes.ts) both work on it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { monotonicClock, systemTimers, type MonotonicClock, type Timers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import type { CallRecording } from '../../contract/remote-help';
import { CallQueue } from './call-queue';
import { CallRecords } from './call-records';
import type { IceConfig } from './ice-servers';

export interface RemoteHelpOptions {
  readonly ice?: IceConfig;
  /** A call nobody answers in this many seconds ends `no-answer` (default 90). */
  readonly noAnswerSeconds?: number;
  /** A side silent this long ends the call `lost` (default 45; longer than one long poll). */
  readonly lostSeconds?: number;
  /** How long a long poll is held when nothing happens (default 20 s). */
  readonly pollMs?: number;
  /** Terminals' long polls held at once over all calls (default 200). */
  readonly maxWaiters?: number;
  /** Officers' long polls held at once (the hall's queue and their calls; default 50), a budget of their own. */
  readonly maxOfficerWaiters?: number;
  /** What the consent screen must say. The reference platform records nothing, so this is the default. */
  readonly recording?: CallRecording;
  /** Requests per terminal (and address) and minute on the signalling routes. */
  readonly signalsPerMinute?: number;
  readonly callsPerMinute?: number;
  /** Requests per hall account, route and minute on the hall's remote help routes (default 120). */
  readonly hallRequestsPerMinute?: number;
  /** Tests move time by hand. */
  readonly clock?: MonotonicClock;
  readonly timers?: Timers;
  /** Tests call `sweep()` themselves (default: every second). */
  readonly sweepEveryMs?: number | null;
}

export interface RemoteHelp {
  readonly queue: CallQueue;
  readonly records: CallRecords;
  readonly ice: IceConfig;
  readonly pollMs: number;
  readonly recording: CallRecording;
  readonly limits: {
    readonly signalsPerMinute: number;
    readonly callsPerMinute: number;
    readonly hallRequestsPerMinute: number;
  };
  close(): void;
}

export function createRemoteHelp(
  db: BetterSqlite3.Database,
  options: RemoteHelpOptions,
  now: () => Date,
  log: Log,
): RemoteHelp {
  const records = new CallRecords(db, now);
  const leftOpen = records.closeLeftOpen();
  if (leftOpen > 0) log.warn({ calls: leftOpen }, 'remote help calls left open by the last run ended as lost');
  const queue = new CallQueue({
    clock: options.clock ?? monotonicClock,
    timers: options.timers ?? systemTimers,
    recorder: records,
    noAnswerMs: (options.noAnswerSeconds ?? 90) * 1000,
    lostMs: (options.lostSeconds ?? 45) * 1000,
    maxWaiters: options.maxWaiters ?? 200,
    maxOfficerWaiters: options.maxOfficerWaiters ?? 50,
  });
  const sweepEvery = options.sweepEveryMs === undefined ? 1000 : options.sweepEveryMs;
  const timer = sweepEvery === null ? null : setInterval(() => queue.sweep(), sweepEvery);
  timer?.unref();
  return {
    queue,
    records,
    ice: options.ice ?? {},
    pollMs: options.pollMs ?? 20_000,
    recording: options.recording ?? { enabled: false },
    limits: {
      signalsPerMinute: options.signalsPerMinute ?? 600,
      callsPerMinute: options.callsPerMinute ?? 20,
      hallRequestsPerMinute: options.hallRequestsPerMinute ?? 120,
    },
    close() {
      if (timer !== null) clearInterval(timer);
      queue.close();
    },
  };
}
