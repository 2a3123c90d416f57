/**
 * The kiosk a soak run drives: the runtime `kiosk start --headless` runs (services, browser host,
 * simulators, embedded platform, the dock), on a wall clock and background timers the harness moves
 * on (virtual-time.ts). Run by the harness as `node --expose-gc --import tsx soak-kiosk.ts DATA [CONFIG]`.
 *
 * Its stdin takes one command a line from the harness; answers go to stdout, one line each:
 * - `advance MS`: skip MS of wall time, running the schedules that came due → `advanced ISO`
 * - `memory`: collect garbage, then → `memory {"heapUsed":…,"rss":…,…}` (process.memoryUsage)
 * - `heap PATH`: collect garbage and write a heap snapshot to PATH → `heap PATH` (heap-diff.ts)
 * Logs go to stderr as the service writes them (to the journal when installed).
 */
import { createInterface } from 'node:readline';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { loadConfig } from '../../electron/services/config/config-loader';
import { createLogger } from '../../electron/services/logging/logger';
import { startKioskRuntime } from '../../electron/host/kiosk-runtime';
import { createDeviceManager } from '../../electron/services/devices/device-manager';
import { steppedTime } from './virtual-time';

const [dataDir, configPath] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: soak-kiosk DATA [CONFIG]');
const config = await loadConfig(configPath);
if (!config.ok) throw new Error(config.error.message);
const time = steppedTime();
const soakReaderPollMs = 100;
const runtime = await startKioskRuntime({
  config: config.value,
  dataDir,
  port: 0,
  log: createLogger(),
  clock: time.clock,
  timers: time.timers,
  // The reader's 1 s poll and its two refused removal probes would set the pace of every resident
  // (docs/soak.md): polled ten times as often, each poll still a real exchange with the simulator.
  createDevices: (options) => createDeviceManager({ ...options, idReaderTiming: { pollIntervalMs: soakReaderPollMs } }),
});
if (!runtime.ok) throw new Error(`cannot start: ${runtime.error.message}`);
process.stdout.write(`kiosk ready at ${runtime.value.host.url}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command = '', argument] = line.trim().split(/\s+/);
  switch (command) {
    case 'advance':
      time.advance(Number(argument));
      process.stdout.write(`advanced ${new Date(time.clock.now()).toISOString()}\n`);
      return;
    case 'memory': {
      gc?.();
      // V8's spaces too: what the heap holds committed beside what is live (the young generation grows).
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
      );
      process.stdout.write(`memory ${JSON.stringify({ ...process.memoryUsage(), spaces })}\n`);
      return;
    }
    case 'heap':
      gc?.();
      process.stdout.write(`heap ${writeHeapSnapshot(argument)}\n`);
      return;
    default:
      process.stdout.write(`unknown ${command}\n`);
  }
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  lines.close();
  void runtime.value.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The harness gone (its end of stdin closed): nothing will stop this kiosk otherwise.
lines.once('close', stop);
