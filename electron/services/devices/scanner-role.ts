import type { Log } from '../../../foundation/log';
import { ScannerService } from '../../../drivers/scanner/scanner-service';
import { openLink, type ConcreteLink } from './device-links';
import { linkStatusView, serialHotplug, type RoleRuntime } from './role-runtime';

/** The barcode/QR scanner on its link; every code goes to `onScanned` (progress lookup). */
export async function startScannerRole(
  link: ConcreteLink,
  options: {
    log: Log;
    onScanned: (text: string) => void;
    onStatus: (status: { state: string; detail?: string }) => void;
  },
): Promise<RoleRuntime> {
  const watched = serialHotplug(link, options.log);
  const service = new ScannerService({
    connect: () => openLink(link, options.log, { readable: true }),
    kind: link.kind === 'hid' ? 'hid' : 'serial',
    log: options.log,
    ...watched,
  });
  service.on('status', (status) => options.onStatus(linkStatusView(status)));
  service.on('scanned', (event) => options.onScanned(event.text));
  await service.start();
  return {
    status: () => linkStatusView(service.status),
    selfTest: async () => {
      const result = await service.selfTest(15_000);
      return result.ok
        ? { ok: true, message: `scanned ${result.value.text.length} characters` }
        : { ok: false, message: result.error.message };
    },
    stop: async () => {
      await service.stop();
      watched.hotplug?.close();
    },
  };
}
