import type { WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { FakeWebContents, fakeEvent } from './fake-electron';
import {
  createRendererRecovery,
  defaultRecoveryPolicy,
  reloadDelayMs,
  watchRenderer,
  type RecoveryPolicy,
} from './renderer-recovery';

const policy: RecoveryPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 8_000,
  maxFailures: 5,
  windowMs: 60_000,
  unresponsiveGraceMs: 10_000,
};

function setup(p = policy) {
  const actions = { reload: vi.fn(), relaunch: vi.fn(), killRenderer: vi.fn(), pageGone: vi.fn() };
  const log = recordingLog();
  return { actions, log, recovery: createRendererRecovery(p, actions, log) };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-24T08:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('reloadDelayMs', () => {
  it('doubles from 1 s and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => reloadDelayMs(policy, n))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('defaults to 1 s first, relaunch after 5 failures in 10 minutes', () => {
    expect(defaultRecoveryPolicy).toMatchObject({ firstDelayMs: 1_000, maxFailures: 5, windowMs: 600_000 });
  });
});

describe('renderer crash', () => {
  it('reloads after 1 s, then 2 s, then 4 s', () => {
    const { actions, recovery } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      recovery.rendererGone('crashed', 139);
      const before = Date.now();
      for (let step = 0; step < 100 && actions.reload.mock.calls.length === i; step += 1) vi.advanceTimersByTime(100);
      waits.push(Date.now() - before);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
  });

  it('tells the services the person on the page is gone at once, before the reload waits', () => {
    const { actions, recovery } = setup();
    recovery.rendererGone('crashed', 139);
    expect(actions.pageGone).toHaveBeenCalledTimes(1);
    expect(actions.reload).not.toHaveBeenCalled();
  });

  it('relaunches the app on the 5th failure within the window, and only once', () => {
    const { actions, recovery, log } = setup();
    for (let i = 0; i < 5; i += 1) {
      recovery.rendererGone('crashed', 139);
      vi.advanceTimersByTime(10_000); // 5 failures within 50 s, inside the 60 s window
    }
    expect(actions.reload).toHaveBeenCalledTimes(4);
    expect(actions.relaunch).toHaveBeenCalledTimes(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'renderer keeps failing: relaunching the app' }),
    );
    recovery.rendererGone('crashed', 139);
    vi.advanceTimersByTime(60_000);
    expect(actions.relaunch).toHaveBeenCalledTimes(1);
    expect(actions.reload).toHaveBeenCalledTimes(4);
  });

  it('forgets failures older than the window', () => {
    const { actions, recovery } = setup();
    for (let i = 0; i < 10; i += 1) {
      recovery.rendererGone('oom', 0);
      vi.advanceTimersByTime(30_000); // two failures per minute window at most
    }
    expect(actions.relaunch).not.toHaveBeenCalled();
    expect(actions.reload).toHaveBeenCalledTimes(10);
  });

  it('logs each loss with its reason', () => {
    const { recovery, log } = setup();
    recovery.rendererGone('killed', 9);
    expect(log.lines.find((line) => line.message === 'renderer process gone: reloading')).toMatchObject({
      level: 'error',
      fields: { reason: 'killed', exitCode: 9, delayMs: 1_000 },
    });
  });
});

describe('renderer hang', () => {
  it('kills a renderer still unresponsive after the grace period', () => {
    const { actions, recovery } = setup();
    recovery.unresponsive();
    vi.advanceTimersByTime(9_999);
    expect(actions.killRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(actions.killRenderer).toHaveBeenCalledTimes(1);
  });

  it('does nothing if the renderer recovers in time', () => {
    const { actions, recovery } = setup();
    recovery.unresponsive();
    vi.advanceTimersByTime(5_000);
    recovery.responsive();
    vi.advanceTimersByTime(60_000);
    expect(actions.killRenderer).not.toHaveBeenCalled();
  });

  it('dispose cancels pending work', () => {
    const { actions, recovery } = setup();
    recovery.rendererGone('crashed', 1);
    recovery.unresponsive();
    recovery.dispose();
    vi.advanceTimersByTime(60_000);
    expect(actions.reload).not.toHaveBeenCalled();
    expect(actions.killRenderer).not.toHaveBeenCalled();
  });
});

describe('watchRenderer', () => {
  function watched(quitting: boolean) {
    const contents = new FakeWebContents();
    const recovery = { rendererGone: vi.fn(), unresponsive: vi.fn(), responsive: vi.fn(), dispose: vi.fn() };
    watchRenderer(contents as unknown as WebContents, recovery, () => quitting);
    return { contents, recovery };
  }

  it('feeds render-process-gone, unresponsive and responsive to the recovery', () => {
    const { contents, recovery } = watched(false);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 11 });
    contents.emit('unresponsive');
    contents.emit('responsive');
    expect(recovery.rendererGone).toHaveBeenCalledWith('crashed', 11);
    expect(recovery.unresponsive).toHaveBeenCalledTimes(1);
    expect(recovery.responsive).toHaveBeenCalledTimes(1);
  });

  it('ignores the renderer going away while the app quits', () => {
    const { contents, recovery } = watched(true);
    contents.emit('render-process-gone', fakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(recovery.rendererGone).not.toHaveBeenCalled();
  });
});
