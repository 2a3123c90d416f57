import { describe, expect, it } from 'vitest';
import { checkBounds } from './bounds';
import type { Sample } from './figures';
import { cycleLength } from './journeys';

const sample = (journey: number, rendererHeapMb: number, tapP95Ms: number): Sample => ({
  journey,
  phase: 'chromium',
  day: 0,
  rendererHeapMb,
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
  return { heap: met('renderer heap after GC, idle screen'), tap: met('tap-to-paint p95, fixed screen') };
}

describe('the soak bounds', () => {
  it('tap-to-paint may get quicker, not more than 10 % slower', () => {
    expect(judge({ heap: 4, tap: 25 }).tap).toBe(true);
    expect(judge({ heap: 4, tap: 33 }).tap).toBe(true);
    expect(judge({ heap: 4, tap: 33.3 }).tap).toBe(false);
  });

  it('the renderer heap is held to ±5 % both ways', () => {
    expect(judge({ heap: 4.19, tap: 30 }).heap).toBe(true);
    expect(judge({ heap: 4.21, tap: 30 }).heap).toBe(false);
    expect(judge({ heap: 3.79, tap: 30 }).heap).toBe(false);
  });
});
