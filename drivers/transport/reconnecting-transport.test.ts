import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Timers } from '../../foundation/clock';
import { recordingLog } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import { backoffDelay } from '../../foundation/backoff';
import { linkBackoff, ReconnectingTransport, type LinkStatus } from './reconnecting-transport';
import type { Transport, TransportError } from './transport';
import { TransportBase } from './transport-base';

/** A transport whose open() outcome is scripted per attempt and which the test can "unplug". */
class ScriptedTransport extends TransportBase implements Transport {
  readonly description = 'fake:scanner';
  isOpen = false;
  written: number[] = [];
  constructor(private readonly outcome: TransportError | null) {
    super();
  }
  open(): Promise<Result<void, TransportError>> {
    if (this.outcome !== null) return Promise.resolve(err(this.outcome));
    this.isOpen = true;
    return Promise.resolve(ok());
  }
  write(data: Uint8Array): Promise<Result<void, TransportError>> {
    this.written.push(...data);
    return Promise.resolve(ok());
  }
  close(): Promise<void> {
    if (this.isOpen) {
      this.isOpen = false;
      this.emitClosed(recordingLog(), undefined);
    }
    return Promise.resolve();
  }
  receive(bytes: number[]): void {
    this.emitData(Uint8Array.from(bytes));
  }
  unplug(): void {
    this.isOpen = false;
    this.emitClosed(recordingLog(), { kind: 'disconnected', message: 'gone' });
  }
}

const notFound: TransportError = { kind: 'not-found', message: 'no port' };
/**
 * Retry waits on an injected clock: each passes at the next turn of the event loop, whatever its
 * length, and the clock knows which are still pending — so the tests neither wait nor race.
 */
function instantTimers(): Timers & { readonly pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    setTimeout: (fn) => {
      const handle = setImmediate(() => {
        pending.delete(handle);
        fn();
      });
      pending.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      pending.delete(handle);
      clearImmediate(handle as NodeJS.Immediate);
    },
  };
}

function setup(outcomes: (TransportError | null)[]) {
  const timers = instantTimers();
  const made: ScriptedTransport[] = [];
  const statuses: LinkStatus[] = [];
  const log = recordingLog();
  const link = new ReconnectingTransport({
    create: () => {
      const t = new ScriptedTransport(outcomes[made.length] ?? null);
      made.push(t);
      return t;
    },
    backoff: { baseMs: 5, capMs: 20, jitter: 0 },
    log,
    timers,
  });
  made.length = 0; // the constructor made one only to learn the description
  link.onStatus((s) => statuses.push(s));
  return { link, made, statuses, log, timers };
}

describe('linkBackoff', () => {
  it('doubles from 250 ms and stops at 10 s', () => {
    const p = { ...linkBackoff, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, p))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
  });

  it('is at most 20 % shorter than the doubling, never longer and never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const base = Math.min(linkBackoff.capMs, linkBackoff.baseMs * 2 ** attempt);
          const d = backoffDelay(attempt, linkBackoff, () => r);
          return d >= Math.floor(base * 0.8) && d <= base;
        },
      ),
    );
  });
});

describe('ReconnectingTransport', () => {
  it('retries a failed open with backoff until it connects, reporting each status', async () => {
    const { link, made, statuses } = setup([notFound, notFound, null]);
    const first = await link.open();
    expect(first.ok ? 'ok' : first.error.kind).toBe('not-found');
    await vi.waitFor(() => expect(link.isOpen).toBe(true), { timeout: 10_000 });
    expect(made).toHaveLength(3);
    expect(statuses.map((s) => s.state)).toEqual([
      'connecting',
      'disconnected',
      'connecting',
      'disconnected',
      'connecting',
      'connected',
    ]);
    expect(statuses[1]).toEqual({ state: 'disconnected', reason: notFound, retryInMs: 5 });
    expect(statuses[3]).toEqual({ state: 'disconnected', reason: notFound, retryInMs: 10 });
    expect(link.isOpen).toBe(true);
    await link.close();
  });

  it('forwards data and writes to the live link and reconnects after an unplug', async () => {
    const { link, made, statuses } = setup([null, null]);
    expect((await link.open()).ok).toBe(true);
    const got: number[] = [];
    link.onData((c) => got.push(...c));
    made[0]?.receive([1, 2]);
    expect((await link.write(Uint8Array.of(9))).ok).toBe(true);
    expect(made[0]?.written).toEqual([9]);
    made[0]?.unplug();
    const w = await link.write(Uint8Array.of(8));
    expect(w.ok ? 'ok' : w.error.kind).toBe('disconnected');
    await vi.waitFor(() => expect(link.isOpen).toBe(true), { timeout: 10_000 });
    expect(made).toHaveLength(2);
    made[1]?.receive([3]);
    expect(got).toEqual([1, 2, 3]);
    expect(statuses.map((s) => s.state)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
    await link.close();
  });

  it('stops retrying after close and fires onClose once', async () => {
    const { link, statuses, log, timers } = setup([notFound, notFound, notFound, notFound]);
    const closes: (TransportError | undefined)[] = [];
    link.onClose((e) => closes.push(e));
    await link.open();
    await link.close();
    await link.close();
    expect(timers.pending.size).toBe(0); // no retry left to fire
    expect(closes).toEqual([undefined]);
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', retryInMs: null });
    expect((await link.open()).ok).toBe(false);
    expect(log.lines.some((l) => l.message.startsWith('disconnected: no port'))).toBe(true);
  });
});
