import type { DeviceLink } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import { FileTransport } from '../../../drivers/transport/file-transport';
import { HidTransport } from '../../../drivers/transport/hid-transport';
import { SerialTransport } from '../../../drivers/transport/serial-transport';
import { TcpTransport } from '../../../drivers/transport/tcp-transport';
import type { Transport } from '../../../drivers/transport/transport';

/**
 * A configured link (kiosk-config's `deviceLinkSchema`) made into a transport. `simulated` links
 * are resolved to the simulator's PTY path before they get here; `none` has no transport.
 */
export type ConcreteLink = Exclude<DeviceLink, { kind: 'simulated' } | { kind: 'none' }>;

export function openLink(link: ConcreteLink, log: Log, options: { readable?: boolean } = {}): Transport {
  switch (link.kind) {
    case 'serial':
      return new SerialTransport({ path: link.path, baudRate: link.baudRate, log });
    case 'tcp':
      return new TcpTransport({ host: link.host, port: link.port, log });
    case 'file':
      return new FileTransport({ path: link.path, readable: options.readable ?? false, log });
    case 'hid':
      return new HidTransport({
        target: link.path === undefined ? { vendorId: link.vendorId, productId: link.productId } : { path: link.path },
        log,
      });
  }
}

/** Safe to log and to show technicians. */
export function describeLink(link: DeviceLink): string {
  switch (link.kind) {
    case 'simulated':
      return 'simulated';
    case 'none':
      return 'none';
    case 'serial':
      return `serial:${link.path}@${link.baudRate}`;
    case 'tcp':
      return `tcp:${link.host}:${link.port}`;
    case 'file':
      return `file:${link.path}`;
    case 'hid':
      return `hid:${link.vendorId.toString(16).padStart(4, '0')}:${link.productId.toString(16).padStart(4, '0')}${link.path === undefined ? '' : `@${link.path}`}`;
  }
}
