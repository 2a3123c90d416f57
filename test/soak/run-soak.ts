/**
 * `npm run soak -- --journeys N [--api-journeys M] [--sample-every K] [--days D]`: the soak of issue 18
 * (docs/soak.md). Prints a line per sample as it goes, then the table, growth per 1,000 journeys, each
 * bound, and last `soak: all bounds met` or the bounds missed (exit 1). SIGUSR2 ends it early, judged.
 */
import { Command, InvalidArgumentError } from 'commander';
import { checkBounds, warmUpJourney } from './bounds';
import { formatTable, growthPer1000, runSoak } from './soak';

const count = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
  return n;
};
const program = new Command('soak')
  .option('--journeys <n>', 'resident journeys in Chromium', count, 500)
  .option('--api-journeys <n>', 'journeys through the bridge RPC calls', count, 0)
  .option('--sample-every <n>', 'sample every K Chromium journeys', count, 25)
  .option('--days <n>', 'wall time the run covers, in days', count, 30)
  .option('--minutes <n>', 'start no journey after this many minutes (the largest run that fits)', count)
  .parse();
const options = program.opts<{
  journeys: number;
  apiJourneys: number;
  sampleEvery: number;
  days: number;
  minutes?: number;
}>();

// SIGUSR2 (`kill -USR2 <pid>`) ends the run after the journeys under way, with its table and bounds: a
// machine too busy to finish in time still reports what it saw. Not SIGINT: Playwright closes Chromium on it.
const stop = new AbortController();
process.once('SIGUSR2', () => {
  console.log('soak: stopping after the journeys under way (SIGUSR2)');
  stop.abort();
});
const started = performance.now();
console.log(
  `soak: ${options.journeys} journeys in Chromium, ${options.apiJourneys} through the API, ${options.days} days, sampling every ${options.sampleEvery}`,
);
const result = await runSoak({
  journeys: options.journeys,
  apiJourneys: options.apiJourneys,
  sampleEvery: Math.max(1, options.sampleEvery),
  days: options.days,
  ...(options.minutes === undefined ? {} : { minutes: options.minutes }),
  stop: stop.signal,
  progress: (line) => console.log(line),
});
console.log(`\n${formatTable(result.samples)}\n`);
const { chromium, api } = result.completed;
const incomplete = chromium < options.journeys || api < options.apiJourneys;
if (incomplete)
  console.log(
    `stopped ${stop.signal.aborted ? 'early (SIGUSR2)' : `at the ${options.minutes ?? '?'}-minute budget`}: ${chromium} of ${options.journeys} journeys in Chromium, ${api} of ${options.apiJourneys} through the API`,
  );
for (const phase of ['chromium', 'api'] as const) {
  const own = result.samples.filter((s) => s.phase === phase);
  // From the first sample after warm-up: the first journeys load code and fill caches once.
  const from = own.find((s) => s.journey >= warmUpJourney(own.at(-1)?.journey ?? 0));
  const to = own.at(-1);
  if (from !== undefined && to !== undefined && from !== to) console.log(`${phase}: ${growthPer1000(from, to)}`);
}
const bounds = checkBounds(result);
for (const bound of bounds) console.log(`${bound.met ? 'met   ' : 'MISSED'} ${bound.name}: ${bound.detail}`);
console.log(`(${((performance.now() - started) / 60_000).toFixed(1)} min)`);
const missed = bounds.filter((b) => !b.met);
if (missed.length > 0) {
  console.log(`soak: bounds missed: ${missed.map((b) => b.name).join('; ')}`);
  process.exitCode = 1;
} else if (incomplete) {
  // Bounds over fewer journeys than asked prove less than the run promised: not a pass.
  console.log('soak: incomplete run; every bound judged on what ran was met');
  process.exitCode = 1;
} else console.log('soak: all bounds met');
