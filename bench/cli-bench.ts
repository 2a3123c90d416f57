import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../test/support/kiosk-process';
import { figure, ms, section, summarize } from './stats';

/**
 * Issue 11: how long `kiosk --help` takes from typing to the last line, as a technician sees it.
 * Now: the `kiosk` bin running the prebuilt, split bundle. Beside it, the same command the way the
 * bin ran before (the TypeScript sources compiled by tsx at every start), on the same machine at
 * the same moment — a ratio, since a shared machine's load moves both.
 */
function timeRuns(args: readonly string[], runs: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    samples.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited with ${run.status}: ${String(run.stderr)}`);
  }
  return samples;
}

export function benchCli(options: { runs: number }): void {
  section('kiosk command line');
  const bin = join(repoRoot, 'electron', 'cli', 'kiosk.mjs');
  timeRuns([bin, '--help'], 1); // a source change since the last build is rebuilt here, not timed
  const now = summarize(timeRuns([bin, '--help'], options.runs));
  const before = summarize(
    timeRuns(['--import', 'tsx', join(repoRoot, 'electron', 'cli', 'entry.ts'), '--help'], options.runs),
  );
  figure('kiosk --help, prebuilt bundle (median)', ms(now.p50), { met: now.p50 < 500, text: '< 500 ms' });
  figure('kiosk --help, sources under tsx as before (median)', ms(before.p50));
  figure('ratio, before / now', `${(before.p50 / now.p50).toFixed(1)}×`);
}
