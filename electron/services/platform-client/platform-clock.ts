/**
 * The platform's time as this terminal sees it. The platform refuses a signed request dated more
 * than 300 s from its own clock (docs/platform-contract.md), and a village terminal's clock drifts,
 * loses its battery or is set to the wrong zone; so every answer's `Date` header is measured and
 * the terminal signs with its own clock corrected by the offset it last saw. A correction beyond
 * `maxCorrectionMs` is not applied (a broken header must not move the signing time by days): that
 * terminal stays refused, and staff and the fleet see the offset.
 */
import type { Log } from '../../../foundation/log';

export interface PlatformClock {
  /** The time to sign with: the terminal's clock, corrected by the kept offset when within bounds. */
  now(): Date;
  /** Terminal clock minus the platform's, in ms, as last measured; null until an answer carried a Date. */
  offsetMs(): number | null;
  /** Measures the offset an answer shows (local times around the request); returns it, or null without a usable Date. */
  observe(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): number | null;
}

/** Up to a day: drift and a wrong time zone (8 h) are corrected; a clock reset to another year needs a technician. */
export const defaultMaxCorrectionMs = 24 * 3_600_000;

export function createPlatformClock(
  options: { localNow?: () => number; maxCorrectionMs?: number; log?: Log } = {},
): PlatformClock {
  const localNow = options.localNow ?? Date.now;
  const maxCorrectionMs = options.maxCorrectionMs ?? defaultMaxCorrectionMs;
  let measured: number | null = null;
  let outOfBounds = false;
  const correction = () => (measured !== null && Math.abs(measured) <= maxCorrectionMs ? measured : 0);
  return {
    now: () => new Date(localNow() - correction()),
    offsetMs: () => measured,
    observe(dateHeader, sentAtMs, receivedAtMs) {
      if (dateHeader === null) return null;
      const platformMs = Date.parse(dateHeader);
      if (Number.isNaN(platformMs)) return null;
      // A Date header has whole seconds (truncated): its middle is the better estimate, and the
      // platform wrote it somewhere between our send and our receipt.
      const offset = Math.round((sentAtMs + receivedAtMs) / 2 - (platformMs + 500));
      measured = offset;
      const beyond = Math.abs(offset) > maxCorrectionMs;
      if (beyond !== outOfBounds) {
        outOfBounds = beyond;
        if (beyond)
          options.log?.warn(
            { offsetSeconds: Math.round(offset / 1000), maxSeconds: maxCorrectionMs / 1000 },
            'terminal clock too far from the platform to correct; set the clock',
          );
      }
      return offset;
    },
  };
}
