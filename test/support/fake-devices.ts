import { createListeners } from '../../foundation/listeners';
import { silentLog } from '../../foundation/log';
import { ok } from '../../foundation/result';
import type { ReceiptDocument } from '../../drivers/receipt/receipt-model';
import type { PrintOutcome } from '../../electron/api/journey-contract';
import type { DeviceEvent, DeviceManager } from '../../electron/services/devices/device-manager';
import { createSimulatorDock } from '../../electron/services/devices/simulator-dock';

/**
 * A device layer without devices, for service tests: it records what was printed, answers the
 * technician's calls as told, and lets the test raise device events (a card read, a scan).
 */
export interface FakeDevices extends DeviceManager {
  readonly printed: ReceiptDocument[];
  /** What the next prints answer; 'printed' by default. */
  printOutcome: PrintOutcome;
  raise(event: DeviceEvent): void;
}

export function fakeDevices(
  answers: Partial<Pick<DeviceManager, 'states' | 'discover' | 'assign' | 'selfTest'>> = {},
): FakeDevices {
  const events = createListeners<DeviceEvent>();
  const printed: ReceiptDocument[] = [];
  const devices: FakeDevices = {
    printed,
    printOutcome: 'printed',
    raise: (event) => events.emit(event),
    subscribe: (listener) => events.subscribe(listener),
    printer: {
      print: (job) => {
        if (devices.printOutcome === 'printed') printed.push(job.document);
        return Promise.resolve(devices.printOutcome);
      },
    },
    dock: createSimulatorDock(silentLog, () => Promise.reject(new Error('the fake device layer has no simulators'))),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    states: () => [],
    discover: () => Promise.resolve({ serial: [], hid: [] }),
    assign: () => Promise.resolve(ok()),
    selfTest: (role) => Promise.resolve(ok(`${role} fine`)),
    paperWidth: () => 80,
    busySince: () => null,
    ...answers,
  };
  return devices;
}
