import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import type { IdCard } from '../../drivers/id-card/id-card-text';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { receipt } from '../../drivers/receipt/receipt-model';
import { defaultConfig } from '../../kiosk-config/default-config';
import { createDeviceManager, type DeviceManager } from '../../electron/services/devices/device-manager';

/**
 * The device manager on the default (simulated) configuration: every device on its simulator over a
 * real PTY, events reaching its subscribers, and a printer moved to another port at run time.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function managerWithHooks() {
  const log = recordingLog();
  const seen = { cards: [] as IdCard[], scans: [] as string[], problems: [] as string[], statuses: [] as string[] };
  const manager: DeviceManager = createDeviceManager({ config: defaultConfig, log });
  manager.subscribe((event) => {
    switch (event.kind) {
      case 'card-read':
        return seen.cards.push(event.card);
      case 'card-removed':
        return undefined;
      case 'card-problem':
        return seen.problems.push(event.problem);
      case 'scanned':
        return seen.scans.push(event.text);
      case 'keypad-key':
        return undefined; // test/integration/keypad-device.test.ts
      case 'status':
        return seen.statuses.push(`${event.role}:${event.status.state}`);
    }
  });
  // Stopping the manager stops the dock's simulators too.
  cleanups.push(() => manager.stop());
  await manager.start();
  return { manager, dock: manager.dock, seen, log };
}

describe('device manager', () => {
  it('runs every simulated device: a card is read, a code scanned, a receipt printed', async () => {
    const { manager, dock, seen, log } = await managerWithHooks();
    await expect
      .poll(() => manager.states().map((s) => `${s.role}:${s.status.state}`), { timeout: 10_000 })
      .toEqual(['id-reader:ready', 'printer:ready', 'scanner:ready', 'keypad:ready']);
    dock.insertCard('resident-long-term');
    await expect.poll(() => seen.cards.length, { timeout: 10_000 }).toBe(1);
    expect(seen.cards[0]?.cardType).toBe('resident');
    dock.scan('VK1.test');
    await expect.poll(() => seen.scans, { timeout: 5_000 }).toEqual(['VK1.test']);
    expect(
      await manager.printer.print(
        { id: 'job-1', document: receipt().text('测试回执').cut().build() },
        { reprint: false },
      ),
    ).toBe('printed');
    expect(dock.running.printer?.receipts().at(-1)?.text).toContain('测试回执');
    // Logs name each device and transition, never the card holder.
    expect(JSON.stringify(log.lines)).not.toContain('王建国');
    expect(log.lines.some((l) => l.message === 'device status' && l.fields['role'] === 'printer')).toBe(true);
  });

  it('says paper out plainly and keeps going', async () => {
    const { manager, dock } = await managerWithHooks();
    await expect
      .poll(() => manager.states().find((s) => s.role === 'printer')?.status.state, { timeout: 10_000 })
      .toBe('ready');
    dock.setPrinterState({ paper: 'out' });
    expect(
      await manager.printer.print({ id: 'job-2', document: receipt().text('回执').cut().build() }, { reprint: false }),
    ).toBe('paper-out');
    dock.setPrinterState({ paper: 'ok' });
    expect(
      await manager.printer.print({ id: 'job-3', document: receipt().text('回执').cut().build() }, { reprint: false }),
    ).toBe('printed');
  });

  it('moves the printer to another port at run time and prints a test page there', async () => {
    const { manager, dock } = await managerWithHooks();
    const second: PrinterSimulator = await startPrinterSimulator({ width: 58 });
    cleanups.push(() => second.stop());
    const moved = await manager.assign(
      'printer',
      { kind: 'serial', path: second.devicePath, baudRate: 115200 },
      { paperWidth: 58 },
    );
    expect(moved.ok).toBe(true);
    expect(manager.paperWidth()).toBe(58);
    const test = await manager.selfTest('printer');
    expect(test.ok).toBe(true);
    expect(second.receipts().at(-1)?.text).toContain('打印测试');
    expect(dock.running.printer?.receipts() ?? []).toHaveLength(0);
  });

  it('reports an unplugged or missing device as a status, not a crash', async () => {
    const { manager } = await managerWithHooks();
    const result = await manager.assign('scanner', { kind: 'serial', path: '/dev/does-not-exist', baudRate: 9600 });
    expect(result.ok).toBe(true);
    await expect
      .poll(() => manager.states().find((s) => s.role === 'scanner')?.status.state, { timeout: 5_000 })
      .toMatch(/no-device|error/);
    expect((await manager.selfTest('scanner')).ok).toBe(false);
  });
});
