import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { ScannerService, type ScannedCode } from '../../drivers/scanner/scanner-service';
import { startScannerSimulator, type ScannerSimulator } from '../../drivers/scanner/scanner-simulator';
import { watchDevicePaths } from '../../drivers/transport/hotplug';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(): Promise<ScannerSimulator> {
  const sim = await startScannerSimulator();
  cleanups.push(() => sim.stop());
  return sim;
}

describe('scanner service against the scanner simulator on a PTY', () => {
  it('receives scans, survives an unplug and picks the scanner up again when it returns', async () => {
    const sim = await simulator();
    const hotplug = watchDevicePaths({ dirs: [dirname(sim.devicePath)], accept: () => true, debounceMs: 10 });
    cleanups.push(() => hotplug.close());
    const log = recordingLog();
    const service = new ScannerService({
      connect: () => new SerialTransport({ path: sim.devicePath, baudRate: 9600 }),
      kind: 'serial',
      log,
      backoff: { baseMs: 20_000, capMs: 20_000 }, // only hotplug can bring it back quickly
      hotplug,
      devicePath: sim.devicePath,
    });
    cleanups.push(() => service.stop());
    const scans: ScannedCode[] = [];
    service.on('scanned', (c) => scans.push(c));
    await service.start();
    expect(service.status).toEqual({ state: 'ready' });

    await sim.scan('KIOSK-RCPT-0001');
    await sim.scan('进度查询 Q-7', { encoding: 'gbk' });
    await sim.scan('NO-SUFFIX', { suffix: '' }); // ended by the 50 ms inter-byte timeout
    await until(() => scans.length === 3);
    expect(scans.map((s) => s.text)).toEqual(['KIOSK-RCPT-0001', '进度查询 Q-7', 'NO-SUFFIX']);

    await sim.unplug();
    await until(() => service.status.state === 'no-device');
    await sim.replug();
    await until(() => service.status.state === 'ready');
    expect(log.lines.some((l) => l.message === 'device reappeared; retrying now')).toBe(true);
    await sim.scan('BACK');
    await until(() => scans.length === 4);
    expect(scans[3]?.text).toBe('BACK');
  });

  it('self-test waits for one scan', async () => {
    const sim = await simulator();
    const service = new ScannerService({
      connect: () => new SerialTransport({ path: sim.devicePath }),
      kind: 'serial',
    });
    cleanups.push(() => service.stop());
    await service.start();
    const result = service.selfTest(2000);
    await sim.scan('SELFTEST');
    const r = await result;
    expect(r.ok ? r.value.text : r.error.message).toBe('SELFTEST');
  });
});
