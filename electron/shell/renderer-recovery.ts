import type { WebContents } from 'electron';
import { monotonicClock, type MonotonicClock } from '../../foundation/clock';
import type { Log } from '../../foundation/log';

/**
 * A kiosk has nobody to click "reload": when the page's process dies it is reloaded by itself,
 * waiting longer after each failure (1 s, 2 s, 4 s…) so a page that crashes at once does not spin.
 * Too many failures within a window mean something is wrong beyond the page: the whole app is
 * relaunched. A page that hangs is killed after a grace period, which leads to the same path.
 */
export interface RecoveryPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** This many failures within `windowMs` relaunch the app instead of reloading. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** How long a page may stay unresponsive before its process is killed. */
  readonly unresponsiveGraceMs: number;
}

export const defaultRecoveryPolicy: RecoveryPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxFailures: 5,
  windowMs: 10 * 60_000,
  unresponsiveGraceMs: 15_000,
};

export interface RecoveryActions {
  /** Load the start page again (a fresh page: the resident session is gone with the process). */
  reload(): void;
  /** Restart the whole app (app.relaunch + app.exit). */
  relaunch(): void;
  /** Kill a hung renderer; its 'render-process-gone' then drives recovery. */
  killRenderer(): void;
  /**
   * The person on the page went with it: the services drop what they hold for them (the session:
   * card data, a speaker muted for their headphones) now, not when the next person starts.
   */
  pageGone(): void;
}

export interface RendererRecovery {
  rendererGone(reason: string, exitCode: number): void;
  unresponsive(): void;
  responsive(): void;
  dispose(): void;
}

export function reloadDelayMs(policy: RecoveryPolicy, failuresInWindow: number): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.max(0, failuresInWindow - 1), policy.maxDelayMs);
}

export function createRendererRecovery(
  policy: RecoveryPolicy,
  actions: RecoveryActions,
  log: Log,
  // Failures are counted within a window of elapsed time: a wall clock stepped back must not keep old ones in it.
  monotonic: MonotonicClock = monotonicClock,
): RendererRecovery {
  let failures: number[] = [];
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  let hangTimer: ReturnType<typeof setTimeout> | undefined;
  let relaunching = false;

  const clearHang = () => {
    if (hangTimer !== undefined) clearTimeout(hangTimer);
    hangTimer = undefined;
  };

  return {
    rendererGone(reason, exitCode) {
      actions.pageGone();
      if (relaunching) return;
      clearHang();
      const now = monotonic.elapsedMs();
      failures = [...failures.filter((at) => now - at < policy.windowMs), now];
      if (failures.length >= policy.maxFailures) {
        relaunching = true;
        if (reloadTimer !== undefined) clearTimeout(reloadTimer);
        log.error(
          { reason, exitCode, failures: failures.length, windowMs: policy.windowMs },
          'renderer keeps failing: relaunching the app',
        );
        actions.relaunch();
        return;
      }
      const delayMs = reloadDelayMs(policy, failures.length);
      log.error({ reason, exitCode, failures: failures.length, delayMs }, 'renderer process gone: reloading');
      if (reloadTimer !== undefined) clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => {
        reloadTimer = undefined;
        log.info({ failures: failures.length }, 'reloading the renderer');
        actions.reload();
      }, delayMs);
    },
    unresponsive() {
      if (relaunching || hangTimer !== undefined) return;
      log.warn({ graceMs: policy.unresponsiveGraceMs }, 'renderer unresponsive');
      hangTimer = setTimeout(() => {
        hangTimer = undefined;
        log.error({ graceMs: policy.unresponsiveGraceMs }, 'renderer still unresponsive: killing it');
        actions.killRenderer();
      }, policy.unresponsiveGraceMs);
    },
    responsive() {
      if (hangTimer === undefined) return;
      clearHang();
      log.info({}, 'renderer responsive again');
    },
    dispose() {
      clearHang();
      if (reloadTimer !== undefined) clearTimeout(reloadTimer);
      reloadTimer = undefined;
    },
  };
}

/** Connects a window's WebContents to the recovery; events during shutdown are expected and ignored. */
export function watchRenderer(contents: WebContents, recovery: RendererRecovery, isQuitting: () => boolean): void {
  contents.on('render-process-gone', (_event, details) => {
    if (!isQuitting()) recovery.rendererGone(details.reason, details.exitCode);
  });
  contents.on('unresponsive', () => recovery.unresponsive());
  contents.on('responsive', () => recovery.responsive());
}
