import { describe, expect, it } from 'vitest';
import { runCrashTrial } from '../support/crash-harness';

/**
 * A kiosk killed with SIGKILL at random moments while submitting: every application it reported
 * saved reaches the platform exactly once. `npm run bench` runs the same trial with ≥ 200 kills.
 */
describe('crash mid-submission', () => {
  it('loses nothing and duplicates nothing across SIGKILLs', async () => {
    const report = await runCrashTrial({ kills: 5 });
    console.log(
      `crash trial: applications ${report.applications}, lost ${report.lost}, duplicated ${report.duplicated}`,
    );
    // Every run is killed only after it saved at least one application.
    expect(report.applications).toBeGreaterThanOrEqual(report.kills);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
  }, 300_000); // only bounds a hang: six kiosk starts take over a minute on a loaded machine
});
