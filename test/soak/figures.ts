import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { pageObjectBytes, type HeapSnapshotJson } from './heap-snapshot';

/** What one sample holds (docs/soak.md says how each is measured). Renderer figures only while Chromium runs. */
export interface Sample {
  readonly journey: number;
  readonly phase: 'chromium' | 'api';
  /** Wall time skipped so far, in days. */
  readonly day: number;
  readonly rendererHeapMb: number | null;
  /**
   * The page's own objects in that heap (a heap snapshot's self sizes without compiled code and the
   * browser's native objects): what a leak in the kiosk's code would grow. The bound is judged on it.
   */
  readonly pageObjectsMb: number | null;
  readonly domNodes: number | null;
  readonly listeners: number | null;
  readonly tapP95Ms: number | null;
  readonly rssMb: number;
  readonly serviceHeapMb: number;
  readonly fds: number;
  readonly sqliteMb: number;
  readonly walMb: number;
  readonly dataMb: number;
  readonly logMb: number;
  /** Mean time of the journeys since the previous sample. */
  readonly journeyMs: number;
}

const mb = (bytes: number) => bytes / (1024 * 1024);

/** Sizes under `dir`: all files, SQLite main files, their WALs, and any *.log. */
export function folderSizes(dir: string): { all: number; sqlite: number; wal: number; logFiles: string[] } {
  const sizes = { all: 0, sqlite: 0, wal: 0, logFiles: [] as string[] };
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const { size } = statSync(path);
        sizes.all += size;
        if (entry.name.endsWith('.sqlite')) sizes.sqlite += size;
        if (entry.name.endsWith('.sqlite-wal')) sizes.wal += size;
        if (/\.log(\.\d+)?$/.test(entry.name)) sizes.logFiles.push(path);
      }
    }
  };
  walk(dir);
  return sizes;
}

/** The service process as the kernel sees it: resident set and open descriptors. */
export function processFigures(pid: number): { rssBytes: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return { rssBytes: rssKb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/**
 * Renderer heap after GC, the page's own objects in it, and the idle screen's DOM counters (CDP).
 * The heap snapshot it takes for the page's objects is handed back, for SOAK_HEAP_SNAPSHOTS.
 */
export async function rendererFigures(
  cdp: CDPSession,
): Promise<{ heapBytes: number; pageObjectBytes: number; nodes: number; listeners: number; snapshot: string }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  const snapshot = await heapSnapshot(cdp);
  return {
    heapBytes: heap.usedSize,
    pageObjectBytes: pageObjectBytes(JSON.parse(snapshot) as HeapSnapshotJson),
    nodes: counters.nodes,
    listeners: counters.jsEventListeners,
    snapshot,
  };
}

/** A heap snapshot of the page as Chromium writes it (JSON), after a GC. */
async function heapSnapshot(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return chunks.join('');
}

/**
 * Saved before Playwright's clock replaces them (the walk-aways need the page's clock run forward):
 * tap-to-paint is measured on the real performance clock and real frames.
 */
export const realTimeScript = `
  window.__soakNow = performance.now.bind(performance);
  window.__soakFrame = requestAnimationFrame.bind(window);
`;

/** Ms from a tap on `testId` to the second frame after the screen changed (bench/renderer-bench.ts, on real time). */
async function timedTap(page: Page, testId: string): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __tap?: Promise<number>;
      __soakNow: () => number;
      __soakFrame: (cb: () => void) => void;
    };
    w.__tap = new Promise<number>((resolve) => {
      window.addEventListener(
        'pointerdown',
        () => {
          const start = w.__soakNow();
          const before = document.querySelector('[data-screen]')?.getAttribute('data-screen');
          const observer = new MutationObserver(() => {
            if (document.querySelector('[data-screen]')?.getAttribute('data-screen') === before) return;
            observer.disconnect();
            w.__soakFrame(() => w.__soakFrame(() => resolve(w.__soakNow() - start)));
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        },
        { once: true, capture: true },
      );
    });
  });
  await page.getByTestId(testId).click();
  return page.evaluate(() => (window as unknown as { __tap: Promise<number> }).__tap);
}

/**
 * The fixed screen: idle → 开始 (the categories) and 首页 back, `rounds` times; answers p95. Each tap
 * waits for the screen it belongs to: a tap's paint is seen on the first change of screen, which can
 * come before the screen has settled (after a recovered journey the page may still be on its way home),
 * and a 首页 tapped then finds no 首页.
 */
export async function tapToPaintP95(
  page: Page,
  rounds: number,
  waitScreen: (prefix: string) => Promise<void>,
): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await waitScreen('idle');
    samples.push(await timedTap(page, 'start'));
    await waitScreen('categories');
    samples.push(await timedTap(page, 'home'));
  }
  await waitScreen('idle');
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.ceil(0.95 * samples.length) - 1)] ?? Number.NaN;
}

export const toMb = mb;
