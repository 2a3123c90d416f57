import { describe, expect, it } from 'vitest';
import { checkBounds } from '../soak/bounds';
import { formatTable, runSoak } from '../soak/soak';

/**
 * The short soak (issue 18) that CI runs to catch a leak early: 30 residents in Chromium and 50
 * through the bridge's RPC calls, each on its own kiosk whose clock skips a month meanwhile (so
 * retention, backups, heartbeats and the catalogue refresh all run), held to the same bounds as
 * `npm run soak` (test/soak/bounds.ts, docs/soak.md) but tap-to-paint. A few minutes on two cores.
 */
describe('soak, short', () => {
  it('30 residents in Chromium and 50 through the API over a month: every bound holds', async () => {
    // Three rounds of taps a sample, not ten: tap-to-paint is printed here, not judged (below).
    const result = await runSoak({ journeys: 30, apiJourneys: 50, sampleEvery: 5, tapRounds: 3 });
    const bounds = checkBounds(result);
    const report = `${formatTable(result.samples)}\n${bounds.map((b) => `${b.met ? 'met' : 'MISSED'} ${b.name}: ${b.detail}`).join('\n')}`;
    // Every kind of bound was checked: a run too short to judge one must not pass by saying nothing.
    expect(bounds.map((b) => b.name).sort(), report).toEqual(
      [
        'data folder bounded by retention (api kiosk)',
        'data folder bounded by retention (chromium kiosk)',
        'event listeners, idle screen',
        'every journey completed',
        'logs (api kiosk)',
        'logs (chromium kiosk)',
        'renderer page objects after GC, idle screen',
        'service RSS (api kiosk)',
        'service RSS (chromium kiosk)',
        'service open descriptors (api kiosk)',
        'service open descriptors (chromium kiosk)',
        'tap-to-paint p95, fixed screen',
      ].sort(),
    );
    // Tap-to-paint is printed, not judged, here: a speed figure on a shared CI machine is no pass/fail
    // test (the guide keeps those in benches); the full `npm run soak` judges it.
    process.stdout.write(`${report}\n`);
    expect(
      bounds.filter((b) => !b.met && b.name !== 'tap-to-paint p95, fixed screen').map((b) => `${b.name}: ${b.detail}`),
      report,
    ).toEqual([]);
    // About 3 minutes on a two-core machine, 5 under a load average of 20; this bounds a hang (the soak project allows 20 min).
  }, 1_200_000);
});
