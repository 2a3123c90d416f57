import { describe, expect, it } from 'vitest';
import { checkBounds } from './bounds';
import type { Sample } from './figures';
import { cycleLength } from './journeys';

const sample = (journey: number, pageObjectsMb: number, tapP95Ms: number): Sample => ({
  journey,
  phase: 'chromium',
  day: 0,
  rendererHeapMb: pageObjectsMb + 1,
  pageObjectsMb,
  domNodes: 164,
  listeners: 46,
  tapP95Ms,
  rssMb: 200,
  serviceHeapMb: 48,
  fds: 55,
  sqliteMb: 1,
  walMb: 1,
  dataMb: 10,
  logMb: 1,
  journeyMs: 3000,
});

function judge(last: { heap: number; tap: number }) {
  const bounds = checkBounds({
    samples: [sample(2 * cycleLength, 4, 30), sample(500, last.heap, last.tap)],
    retentionDays: 7,
    logFilesInData: [],
    failures: [],
    completed: { chromium: 500, api: 0 },
  });
  const met = (name: string) => bounds.find((b) => b.name === name)?.met;
  return { heap: met('renderer page objects after GC, idle screen'), tap: met('tap-to-paint p95, fixed screen') };
}

describe('the soak bounds', () => {
  it('tap-to-paint may get quicker, not more than 10 % slower', () => {
    expect(judge({ heap: 4, tap: 25 }).tap).toBe(true);
    expect(judge({ heap: 4, tap: 33 }).tap).toBe(true);
    expect(judge({ heap: 4, tap: 33.3 }).tap).toBe(false);
  });

  it("the renderer's page objects are held to ±5 % both ways", () => {
    expect(judge({ heap: 4.19, tap: 30 }).heap).toBe(true);
    expect(judge({ heap: 4.21, tap: 30 }).heap).toBe(false);
    expect(judge({ heap: 3.79, tap: 30 }).heap).toBe(false);
  });
});

describe('the service RSS bound', () => {
  const api = (journey: number, day: number, rssMb: number): Sample => ({
    ...sample(journey, 1, 30),
    phase: 'api',
    day,
    rendererHeapMb: null,
    pageObjectsMb: null,
    domNodes: null,
    listeners: null,
    tapP95Ms: null,
    rssMb,
  });
  const rss = (series: Array<[number, number, number]>) =>
    checkBounds({
      samples: series.map(([j, d, r]) => api(j, d, r)),
      retentionDays: 7,
      logFilesInData: [],
      failures: [],
      completed: { chromium: 0, api: 5000 },
    }).find((b) => b.name === 'service RSS (api kiosk)');

  it('a rise after the warm-up is a miss', () => {
    const creeping: Array<[number, number, number]> = [
      [500, 3, 217],
      [1750, 10.5, 240],
      [3000, 18, 255],
      [5000, 30, 270],
    ];
    expect(rss(creeping)?.met).toBe(false);
  });
});
