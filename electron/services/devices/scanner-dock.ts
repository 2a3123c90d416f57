import type { Log } from '../../../foundation/log';
import { startScannerSimulator } from '../../../drivers/scanner/scanner-simulator';
import type { ScannerSimulatorLike } from './simulator-dock';

/** The scanner simulator as the dock uses it: a PTY that "scans" whatever the dock is given. */
export async function startScannerSimulatorForDock(log: Log): Promise<ScannerSimulatorLike> {
  const simulator = await startScannerSimulator({ log, baudRate: 9600 });
  return {
    devicePath: simulator.devicePath,
    scan: (text) => void simulator.scan(text),
    stop: () => simulator.stop(),
  };
}
