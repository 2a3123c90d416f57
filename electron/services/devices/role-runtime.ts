import { dirname } from 'node:path';
import type { Log } from '../../../foundation/log';
import type { LinkDeviceStatus } from '../../../drivers/transport/link-device-status';
import { watchDevicePaths, type HotplugWatcher } from '../../../drivers/transport/hotplug';
import type { ConcreteLink } from './device-links';

/** What the device manager keeps for each running device. */
export interface RoleRuntime {
  status(): { state: string; detail?: string };
  selfTest(): Promise<{ ok: boolean; message: string }>;
  stop(): Promise<void>;
}

/**
 * For a serial link, a watcher of its path, so a device unplugged and plugged back is reopened as
 * soon as its path reappears; pass the result to the service as `hotplug` + `devicePath`.
 */
export function serialHotplug(
  link: ConcreteLink,
  log: Log,
): { hotplug: HotplugWatcher; devicePath: string } | Record<string, never> {
  if (link.kind !== 'serial') return {};
  const hotplug = watchDevicePaths({ dirs: [dirname(link.path)], accept: (path) => path === link.path, log });
  return { hotplug, devicePath: link.path };
}

/** A listening device's status as the contract shows it (the reason becomes the detail). */
export function linkStatusView(status: LinkDeviceStatus): { state: string; detail?: string } {
  return status.state === 'ready' ? { state: status.state } : { state: status.state, detail: status.reason };
}
