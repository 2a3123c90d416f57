import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import type { RpcServer } from '../../api/rpc-server';
import type { JourneyService, ReceiptPrinterPort } from '../journey/journey-service';
import type { DiscoveredDevices } from '../staff/device-port';
import { createDeviceManager, type DeviceManager } from './device-manager';
import { createSimulatorDock, type SimulatorDock } from './simulator-dock';
import { startScannerSimulatorForDock } from './scanner-dock';

/**
 * Starts the devices and connects their events: cards to the journey, scans and status changes to
 * the renderer. Returns the manager (technician console, health view) and the simulator dock.
 */
export interface RunningDevices {
  readonly manager: DeviceManager;
  readonly dock: SimulatorDock;
  /** Delegates to whichever printer is attached now, so a reassigned printer is used at once. */
  readonly printer: ReceiptPrinterPort;
  discover(): Promise<DiscoveredDevices>;
  stop(): Promise<void>;
}

export async function startDevices(options: {
  config: KioskConfig;
  log: Log;
  journey: JourneyService;
  rpc: RpcServer;
}): Promise<RunningDevices> {
  const { journey, rpc } = options;
  const dock = createSimulatorDock(options.log, () => startScannerSimulatorForDock(options.log));
  const manager = createDeviceManager({
    config: options.config,
    dock,
    log: options.log,
    hooks: {
      cardRead: (card) => journey.cardRead(card),
      cardRemoved: () => journey.cardRemoved(),
      cardProblem: (problem) => journey.cardProblem(problem),
      scanned: (text) => rpc.emit('scanner.scanned', { text: text.slice(0, 1000) }),
      status: (role, status) => rpc.emit('device.status', { device: role, ...status }),
    },
  });
  await manager.start();
  return {
    manager,
    dock,
    printer: {
      print: (job, reprint) => manager.printer()?.print(job, reprint) ?? Promise.resolve('no-printer'),
    },
    discover: () => manager.discover(),
    async stop() {
      await manager.stop();
      await dock.stop();
    },
  };
}
