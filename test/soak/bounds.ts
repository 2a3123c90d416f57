import type { Sample } from './figures';
import type { SoakResult } from './soak';
import { cycleLength } from './journeys';

/**
 * The issue's bounds over a soak run, the service's for each kiosk (docs/soak.md explains each):
 * - the renderer's page objects (its heap without compiled code and native objects) and event
 *   listeners on the idle screen: last sample within ±5 % of the baseline,
 *   the sample after the second cycle (every kind of journey has run twice: every screen's code
 *   loaded, the JIT and the page's caches settled);
 * - service RSS and open descriptors: every sample after warm-up (warmUpJourney) within ±10 %
 *   of the warm-up sample;
 * - data folder: once the retention period has passed, growth per 1,000 journeys at most a tenth of
 *   what it was before anything could be purged (what stays is the statistics rows, not residents' data);
 * - logs: no log file in the data folder (the service logs to stderr: the journal's, rotated by
 *   journald, when installed), and log volume per journey flat (±25 %) between the two halves after warm-up;
 * - tap-to-paint p95 on the fixed screen: last sample at most 10 % above the baseline (quicker is
 *   no regression: the full run of 4 Dec ended 16 % quicker than it started, and was judged missed).
 */
export interface Bound {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

const within = (value: number, base: number, share: number) => Math.abs(value - base) <= Math.abs(base) * share;
const pct = (value: number, base: number) => `${(((value - base) / base) * 100).toFixed(1)} %`;

export function checkBounds(result: SoakResult): Bound[] {
  const { samples } = result;
  const bounds: Bound[] = [
    {
      name: 'every journey completed',
      met: result.failures.length === 0,
      detail:
        result.failures.length === 0
          ? `${result.completed.chromium} in Chromium, ${result.completed.api} through the API`
          : result.failures.join('; '),
    },
  ];
  const rendered = samples.filter((s) => s.phase === 'chromium');
  const baseline = rendered.find((s) => s.journey >= 2 * cycleLength) ?? rendered[0];
  const lastRendered = rendered.at(-1);
  if (baseline !== undefined && lastRendered !== undefined && lastRendered !== baseline) {
    const ratio = (name: string, pick: (s: Sample) => number | null, share: number, only?: 'above') => {
      const base = pick(baseline) ?? Number.NaN;
      const last = pick(lastRendered) ?? Number.NaN;
      bounds.push({
        name,
        met: only === 'above' ? last <= base * (1 + share) : within(last, base, share),
        detail: `journey ${baseline.journey}: ${base.toFixed(2)}, journey ${lastRendered.journey}: ${last.toFixed(2)} (${pct(last, base)}; bound ${only === 'above' ? '+' : '±'}${share * 100} %)`,
      });
    };
    // Judged on the page's own objects; the whole heap (with compiled code and the browser's native
    // objects, heap-snapshot.ts pageObjectBytes) is printed in the table and its growth per 1,000 residents.
    ratio('renderer page objects after GC, idle screen', (s) => s.pageObjectsMb, 0.05);
    ratio('event listeners, idle screen', (s) => s.listeners, 0.05);
    ratio('tap-to-paint p95, fixed screen', (s) => s.tapP95Ms, 0.1, 'above');
  }

  for (const phase of ['chromium', 'api'] as const) {
    const own = samples.filter((s) => s.phase === phase);
    if (own.length >= 2) bounds.push(...serviceBounds(own, result, `${phase} kiosk`));
  }
  return bounds;
}

/** Warm-up: 10 % of the journeys, and never before two full cycles (JIT, SQLite's page cache, the first receipts). */
export function warmUpJourney(total: number): number {
  return Math.max(total * 0.1, 2 * cycleLength);
}

/** The service side of one kiosk: RSS and descriptors flat, data bounded by retention, logs bounded. */
function serviceBounds(samples: readonly Sample[], result: SoakResult, kiosk: string): Bound[] {
  const bounds: Bound[] = [];
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return bounds;
  const total = last.journey;
  const warm = samples.find((s) => s.journey >= warmUpJourney(total));
  if (warm !== undefined && warm !== last) {
    const after = samples.filter((s) => s.journey >= warm.journey);
    const flat = (name: string, pick: (s: Sample) => number) => {
      const worst = after.reduce((a, b) => (Math.abs(pick(b) - pick(warm)) > Math.abs(pick(a) - pick(warm)) ? b : a));
      bounds.push({
        name: `${name} (${kiosk})`,
        met: after.every((s) => within(pick(s), pick(warm), 0.1)),
        detail: `after warm-up (journey ${warm.journey}: ${pick(warm).toFixed(1)}) the farthest is journey ${worst.journey}: ${pick(worst).toFixed(1)} (${pct(pick(worst), pick(warm))}; bound ±10 %)`,
      });
    };
    flat('service RSS', (s) => s.rssMb);
    flat('service open descriptors', (s) => s.fds);
  }

  // Data: the rate while nothing could yet be purged against the rate once retention runs.
  const beforePurge = samples.filter((s) => s.day <= result.retentionDays).at(-1);
  const purging = samples.filter((s) => s.day >= result.retentionDays * 1.5);
  const from = purging[0];
  if (beforePurge !== undefined && from !== undefined && from !== last) {
    // From the freshly provisioned folder (a few KB) to the last sample before anything could be purged.
    const early = beforePurge.dataMb / Math.max(1, beforePurge.journey);
    const late = (last.dataMb - from.dataMb) / Math.max(1, last.journey - from.journey);
    bounds.push({
      name: `data folder bounded by retention (${kiosk})`,
      met: late <= early * 0.1,
      detail: `${(early * 1000).toFixed(2)} MB per 1,000 journeys before the first purge (to day ${beforePurge.day.toFixed(1)}), ${(late * 1000).toFixed(2)} MB per 1,000 from day ${from.day.toFixed(1)}, with ${result.retentionDays}-day retention running (bound: a tenth)`,
    });
  }

  const logRate = (a: Sample, b: Sample) => (b.logMb - a.logMb) / Math.max(1, b.journey - a.journey);
  const mid = samples.find((s) => s.journey >= ((warm?.journey ?? 0) + total) / 2);
  if (warm !== undefined && mid !== undefined && mid !== last && mid !== warm) {
    const early = logRate(warm, mid);
    const late = logRate(mid, last);
    const files = result.logFilesInData.length;
    bounds.push({
      name: `logs (${kiosk})`,
      met: files === 0 && within(late, early, 0.25),
      detail: `written to stderr (the journal when installed), ${files} log files in the data folder; ${(early * 1024).toFixed(1)} KB per journey in the first half after warm-up, ${(late * 1024).toFixed(1)} KB in the second (bound ±25 %)`,
    });
  }
  return bounds;
}
