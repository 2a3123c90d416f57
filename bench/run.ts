import { benchCli } from './cli-bench';
import { benchDocuments } from './documents-bench';
import { benchDrivers } from './drivers-bench';
import { benchHandwriting } from './handwriting-bench';
import { benchFleet } from './fleet-bench';
import { benchPackage } from './package-bench';
import { benchRemoteHelp } from './remote-help-bench';
import { benchRenderer } from './renderer-bench';
import { benchStore, benchSubmitAnswer } from './store-bench';

/**
 * `npm run bench`: speed and memory figures, with ratios against the named peers. Figures are
 * printed, never asserted in unit tests. `--quick` runs short versions (used to check the bench runs).
 */
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const sections: Record<string, () => Promise<void> | void> = {
  drivers: () => benchDrivers({ frames: quick ? 2000 : 20_000, reads: quick ? 10 : 50, encodes: quick ? 200 : 2000 }),
  renderer: () => benchRenderer({ taps: quick ? 3 : 15, idleSeconds: quick ? 5 : 30 }),
  store: () => benchStore({ crashKills: quick ? 5 : 200 }),
  submit: () => benchSubmitAnswer({ submits: quick ? 5 : 30 }),
  cli: () => benchCli({ runs: quick ? 3 : 15 }),
  handwriting: () => benchHandwriting(quick ? { sample: 300 } : {}),
  documents: () => benchDocuments({ runs: quick ? 3 : 10 }),
  'remote-help': () => benchRemoteHelp({ calls: quick ? 2 : 5, changes: quick ? 10 : 40 }),
  package: benchPackage,
  fleet: () =>
    benchFleet(
      quick
        ? { terminals: 500, steadySeconds: 10, alerts: 20, burst: 20, statePublishSeconds: 10 }
        : { terminals: 10_000, steadySeconds: 60, alerts: 300, burst: 100, statePublishSeconds: 60 },
    ),
};

console.log(`village-kiosk bench — ${new Date().toISOString()} — node ${process.version}${quick ? ' (quick)' : ''}`);
for (const [name, run] of Object.entries(sections)) {
  if (only !== undefined && only !== name) continue;
  await run();
}
