import type { Log } from '../../../foundation/log';
import { dirname } from 'node:path';
import { ScannerService } from '../../../drivers/scanner/scanner-service';
import { watchDevicePaths } from '../../../drivers/transport/hotplug';
import { openLink, type ConcreteLink } from './device-links';

/** What the device manager keeps for each running device. */
export interface RoleRuntime {
  status(): { state: string; detail?: string };
  selfTest(): Promise<{ ok: boolean; message: string }>;
  stop(): Promise<void>;
}

/** The barcode/QR scanner on its link; every code goes to `onScanned` (progress lookup). */
export async function startScannerRole(
  link: ConcreteLink,
  options: {
    log: Log;
    onScanned: (text: string) => void;
    onStatus: (status: { state: string; detail?: string }) => void;
  },
): Promise<RoleRuntime> {
  // A serial scanner that is unplugged and plugged back is reopened as soon as its path reappears.
  const hotplug =
    link.kind === 'serial'
      ? watchDevicePaths({ dirs: [dirname(link.path)], accept: (path) => path === link.path, log: options.log })
      : undefined;
  const service = new ScannerService({
    connect: () => openLink(link, options.log, { readable: true }),
    kind: link.kind === 'hid' ? 'hid' : 'serial',
    log: options.log,
    ...(hotplug === undefined || link.kind !== 'serial' ? {} : { hotplug, devicePath: link.path }),
  });
  const view = () => {
    const s = service.status;
    return s.state === 'no-device' || s.state === 'error' ? { state: s.state, detail: s.reason } : { state: s.state };
  };
  service.on('status', () => options.onStatus(view()));
  service.on('scanned', (event) => options.onScanned(event.text));
  await service.start();
  return {
    status: view,
    selfTest: async () => {
      const result = await service.selfTest(15_000);
      return result.ok
        ? { ok: true, message: `scanned ${result.value.text.length} characters` }
        : { ok: false, message: result.error.message };
    },
    stop: async () => {
      await service.stop();
      hotplug?.close();
    },
  };
}
