import type { Page } from 'playwright-core';
import { launchChromium, openKiosk } from '../support/browser';
import { JourneyDriver } from '../support/journey-driver';
import { defaultConfig } from '../../kiosk-config/default-config';
import {
  folderSizes,
  processFigures,
  realTimeScript,
  rendererFigures,
  tapToPaintP95,
  toMb,
  type Sample,
} from './figures';
import { apiJourney, chromiumJourney, cycleLength, plan } from './journeys';
import { connectRpc } from './rpc-client';
import { startSoakKiosk, type SoakKiosk } from './soak-kiosk-process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The soak (issue 18): N residents in Chromium, then M through the bridge's RPC calls, against one
 * kiosk whose wall clock and background schedules skip ahead so that `days` pass over the run.
 * Samples every K journeys; `checkBounds` says which of the bounds held.
 */
export interface SoakOptions {
  readonly journeys: number;
  readonly apiJourneys: number;
  readonly sampleEvery: number;
  /** How much wall time the run covers (default 30 days). */
  readonly days?: number;
  /** Taps (there and back) per tap-to-paint sample. */
  readonly tapRounds?: number;
  readonly progress?: (line: string) => void;
  /** Start no journey after this many minutes (the run then says how many it completed). */
  readonly minutes?: number;
  /** Ends the run early: no journey starts once it is aborted, and what ran is sampled and judged. */
  readonly stop?: AbortSignal;
}

export interface SoakResult {
  /** The Chromium kiosk's samples, then the API kiosk's. */
  readonly samples: Sample[];
  readonly retentionDays: number;
  /** *.log files found in the data folder (the service logs to stderr, the journal's when installed). */
  readonly logFilesInData: string[];
  /** Journeys that did not complete, with why (the kiosk was brought back to idle and the run went on). */
  readonly failures: string[];
  /** Journeys run in each half (fewer than asked when the time budget ran out). */
  readonly completed: { readonly chromium: number; readonly api: number };
}

const dayMs = 86_400_000;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  // The two halves run side by side, each on its own kiosk over the same span of days: the residents
  // in Chromium wait mostly on the card reader's polls, as do the API ones, so together they take
  // half the time; each kiosk's service figures are its own (the `via` column).
  const run: Run = {
    failures: [],
    deadline: options.minutes === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.minutes * 60_000,
  };
  const [chromium, api] = await Promise.all([
    options.journeys > 0 ? chromiumPhase(options, run) : Promise.resolve([]),
    options.apiJourneys > 0 ? apiPhase(options, run) : Promise.resolve([]),
  ]);
  return {
    samples: [...chromium, ...api],
    retentionDays: defaultConfig.privacy.retentionDays,
    logFilesInData: [...chromium, ...api].flatMap((s) => s.logFilesInData),
    failures: run.failures,
    completed: { chromium: chromium.at(-1)?.journey ?? 0, api: api.at(-1)?.journey ?? 0 },
  };
}

interface Run {
  readonly failures: string[];
  readonly deadline: number;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** A kiosk for one phase, its clock, and its sampling. */
async function withKiosk(
  options: SoakOptions,
  run: Run,
  phase: Sample['phase'],
  journeys: number,
  drive: (kiosk: SoakKiosk, step: () => Promise<void>, sample: Sampler) => Promise<void>,
): Promise<Array<Sample & { logFilesInData: string[] }>> {
  const spanMs = (options.days ?? 30) * dayMs;
  const startedAt = performance.now();
  // Each journey moves the clock on by its share of the span; with a time budget, by the share of the
  // budget that has gone, so the whole span passes however many journeys fit.
  const budgetMs = run.deadline - startedAt;
  const stepMs = () =>
    Number.isFinite(budgetMs)
      ? Math.max(0, Math.min(spanMs, (spanMs * (performance.now() - startedAt)) / budgetMs) - skipped)
      : spanMs / Math.max(1, journeys);
  const kiosk = await startSoakKiosk({});
  const samples: Array<Sample & { logFilesInData: string[] }> = [];
  let skipped = 0;
  try {
    await drive(
      kiosk,
      async () => {
        const ms = stepMs();
        skipped += ms;
        await kiosk.advance(ms);
      },
      async (journey, durations, renderer) => {
        const process = processFigures(kiosk.pid);
        const memory = await kiosk.memory();
        const data = folderSizes(join(kiosk.dataDir, 'data'));
        const log = folderSizes(join(kiosk.dataDir, 'log'));
        const row = {
          journey,
          phase,
          day: skipped / dayMs,
          rendererHeapMb: renderer === null ? null : toMb(renderer.heapBytes),
          pageObjectsMb: renderer === null ? null : toMb(renderer.pageObjectBytes),
          domNodes: renderer?.nodes ?? null,
          listeners: renderer?.listeners ?? null,
          tapP95Ms: renderer === null || Number.isNaN(renderer.tapP95) ? null : renderer.tapP95,
          rssMb: toMb(process.rssBytes),
          serviceHeapMb: toMb(memory.heapUsed),
          fds: process.fds,
          sqliteMb: toMb(data.sqlite),
          walMb: toMb(data.wal),
          dataMb: toMb(data.all),
          logMb: toMb(log.all),
          journeyMs: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length),
        };
        samples.push({ ...row, logFilesInData: data.logFiles });
        options.progress?.(formatRow(row));
      },
    );
    return samples;
  } finally {
    await kiosk.stop();
  }
}

type Sampler = (
  journey: number,
  durations: readonly number[],
  renderer: { heapBytes: number; pageObjectBytes: number; nodes: number; listeners: number; tapP95: number } | null,
) => Promise<void>;

/**
 * Folders for heap snapshots at every sample (finding what grows; heap-diff.ts): the renderer's, and
 * the API kiosk's service's. Apart, because writing a service snapshot doubles its RSS for a moment,
 * which the RSS bound would then judge.
 */
const heapSnapshots = process.env['SOAK_HEAP_SNAPSHOTS'];
const serviceHeapSnapshots = process.env['SOAK_SERVICE_HEAP_SNAPSHOTS'];

function chromiumPhase(options: SoakOptions, run: Run) {
  return withKiosk(options, run, 'chromium', options.journeys, async (kiosk, step, sample) => {
    const chromium = await launchChromium();
    try {
      const { page, context } = await openKiosk(chromium.browser, kiosk.launchUrl(), {
        fakeClock: true,
        initScript: realTimeScript,
      });
      const driver = await new JourneyDriver(page, kiosk).init();
      const cdp = await context.newCDPSession(page);
      const idleTimeoutMs = defaultConfig.ui.idleTimeoutSeconds * 1000;
      let durations: number[] = [];
      for (let i = 1; i <= options.journeys; i++) {
        const started = performance.now();
        try {
          await chromiumJourney(driver, page, plan(i - 1), idleTimeoutMs);
        } catch (error) {
          run.failures.push(`chromium journey ${i}: ${describeError(error)}`);
          options.progress?.(`chromium journey ${i} failed: ${describeError(error)}`);
          await bringBackToIdle(driver, page, idleTimeoutMs);
        }
        durations.push(performance.now() - started);
        await step();
        const last = i === options.journeys || performance.now() > run.deadline || options.stop?.aborted === true;
        if (i === cycleLength || i % options.sampleEvery === 0 || last) {
          const renderer = await rendererFigures(cdp);
          if (heapSnapshots !== undefined)
            writeFileSync(join(heapSnapshots, `renderer-${i}.heapsnapshot`), renderer.snapshot);
          // A tap the page does not answer is a finding like a failed journey, not the end of the run
          // (the evening run of 3 Dec died here at journey 200, its 42 minutes unreported).
          const tapP95 = await tapToPaintP95(page, options.tapRounds ?? 10, (screen) =>
            driver.waitScreen(screen),
          ).catch(async (error: unknown) => {
            run.failures.push(`chromium tap-to-paint after journey ${i}: ${describeError(error)}`);
            options.progress?.(`chromium tap-to-paint after journey ${i} failed: ${describeError(error)}`);
            await bringBackToIdle(driver, page, idleTimeoutMs);
            return Number.NaN;
          });
          await sample(i, durations, { ...renderer, tapP95 });
          durations = [];
        }
        if (last) break;
      }
      await context.close();
    } finally {
      await chromium.close();
    }
  });
}

function apiPhase(options: SoakOptions, run: Run) {
  return withKiosk(options, run, 'api', options.apiJourneys, async (kiosk, step, sample) => {
    const rpc = await connectRpc(kiosk.url, kiosk.launchUrl());
    try {
      const dock = dockOf(kiosk, rpc.token);
      const every = Math.max(options.sampleEvery, Math.round(options.apiJourneys / 20));
      let durations: number[] = [];
      for (let j = 1; j <= options.apiJourneys; j++) {
        const started = performance.now();
        try {
          await apiJourney(rpc, dock, plan(j - 1), j);
        } catch (error) {
          run.failures.push(`api journey ${j}: ${describeError(error)}`);
          options.progress?.(`api journey ${j} failed: ${describeError(error)}`);
          await rpc.call('session.end', { reason: 'cancelled' }).catch(() => undefined);
          await restoreDock(dock);
        }
        durations.push(performance.now() - started);
        await step();
        const last = j === options.apiJourneys || performance.now() > run.deadline || options.stop?.aborted === true;
        if (j === cycleLength || j % every === 0 || last) {
          if (serviceHeapSnapshots !== undefined)
            await kiosk.heapSnapshot(join(serviceHeapSnapshots, `service-${j}.heapsnapshot`));
          await sample(j, durations, null);
          durations = [];
        }
        if (last) break;
      }
    } finally {
      await rpc.close();
    }
  });
}

/** The platform up and paper in, whatever the failed journey left. */
async function restoreDock(dock: { dock(path: string, body?: unknown): Promise<unknown> }): Promise<void> {
  await dock.dock('/dock/platform/start');
  await dock.dock('/dock/printer/state', { paper: 'ok' });
}

/**
 * After a failed journey: the dock restored, and the page left alone until its inactivity timeout
 * takes it home, as a terminal recovers from a resident who gave up; then the card is lifted.
 */
async function bringBackToIdle(driver: JourneyDriver, page: Page, idleTimeoutMs: number): Promise<void> {
  await restoreDock(driver);
  if ((await driver.screen()) !== 'idle') {
    await page.clock.runFor(idleTimeoutMs + 5_000);
    await driver.waitScreen('idle');
  }
  await driver.takeCardAway().catch(() => undefined);
}

function dockOf(kiosk: SoakKiosk, token: string) {
  return {
    async dock(path: string, body?: unknown, method = 'POST'): Promise<unknown> {
      const response = await fetch(`${kiosk.url}${path.replace(/^\//, '')}`, {
        method,
        headers: { 'x-kiosk-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as unknown;
      if (!response.ok) throw new Error(`dock ${path}: ${JSON.stringify(json)}`);
      return json;
    },
  };
}

const columns: Array<[string, (s: Sample) => string]> = [
  ['journey', (s) => String(s.journey)],
  ['via', (s) => s.phase],
  ['day', (s) => s.day.toFixed(1)],
  ['r.heap MB', (s) => fixed(s.rendererHeapMb, 2)],
  ['page MB', (s) => fixed(s.pageObjectsMb, 2)],
  ['nodes', (s) => fixed(s.domNodes, 0)],
  ['listeners', (s) => fixed(s.listeners, 0)],
  ['tap p95 ms', (s) => fixed(s.tapP95Ms, 1)],
  ['svc RSS MB', (s) => s.rssMb.toFixed(1)],
  ['svc heap MB', (s) => s.serviceHeapMb.toFixed(1)],
  ['fds', (s) => String(s.fds)],
  ['sqlite MB', (s) => s.sqliteMb.toFixed(2)],
  ['WAL MB', (s) => s.walMb.toFixed(2)],
  ['data MB', (s) => s.dataMb.toFixed(2)],
  ['log MB', (s) => s.logMb.toFixed(2)],
  ['journey ms', (s) => s.journeyMs.toFixed(0)],
];

function fixed(value: number | null, digits: number): string {
  return value === null ? '—' : value.toFixed(digits);
}

export function formatRow(sample: Sample): string {
  return columns.map(([name, value]) => value(sample).padStart(name.length)).join('  ');
}

export function formatTable(samples: readonly Sample[]): string {
  const header = columns.map(([name]) => name).join('  ');
  return [header, ...samples.map(formatRow)].join('\n');
}

/** Growth per 1,000 journeys of each figure, between two samples (a line for the table's foot). */
export function growthPer1000(from: Sample, to: Sample): string {
  const span = (to.journey - from.journey) / 1000;
  const per = (a: number | null, b: number | null, digits: number, unit: string) =>
    a === null || b === null || span <= 0 ? '—' : `${((b - a) / span).toFixed(digits)} ${unit}`;
  return [
    `growth per 1,000 journeys (journey ${from.journey} → ${to.journey}):`,
    `renderer heap ${per(from.rendererHeapMb, to.rendererHeapMb, 2, 'MB')},`,
    `page objects ${per(from.pageObjectsMb, to.pageObjectsMb, 2, 'MB')},`,
    `listeners ${per(from.listeners, to.listeners, 0, '')},`,
    `service RSS ${per(from.rssMb, to.rssMb, 1, 'MB')},`,
    `service heap ${per(from.serviceHeapMb, to.serviceHeapMb, 1, 'MB')},`,
    `fds ${per(from.fds, to.fds, 0, '')},`,
    `data ${per(from.dataMb, to.dataMb, 2, 'MB')},`,
    `log ${per(from.logMb, to.logMb, 2, 'MB')}`,
  ].join(' ');
}
