import type { DeviceLink } from '../../../kiosk-config/config-schema';
import type { Result } from '../../../foundation/result';
import type { DeviceRole } from '../../api/device-contract';

/**
 * What the staff and technician modes need from the device manager (devices/device-manager.ts):
 * states for the health view, discovery, assignment at run time and self-tests. A port of our own,
 * so these services are tested with a fake and never reach into drivers.
 */

export interface DeviceStateView {
  readonly role: DeviceRole;
  readonly link: DeviceLink;
  readonly status: { readonly state: string; readonly detail?: string };
}

export interface DiscoveredDevices {
  readonly serial: ReadonlyArray<{ path: string; vendorId?: string; productId?: string; manufacturer?: string }>;
  readonly hid: ReadonlyArray<{ path: string; vendorId: number; productId: number; product?: string }>;
}

export interface DeviceManagerPort {
  states(): DeviceStateView[];
  discover(): Promise<DiscoveredDevices>;
  assign(
    role: DeviceRole,
    link: DeviceLink,
    options?: { paperWidth?: 58 | 80 },
  ): Promise<Result<void, { message: string }>>;
  selfTest(role: DeviceRole): Promise<{ ok: boolean; message: string }>;
}
