import type { DeviceLink } from '../../../kiosk-config/config-schema';
import type { Result } from '../../../foundation/result';
import type { DeviceRole, DeviceStateView, DeviceStatus } from '../../api/device-contract';

/**
 * What the staff and technician modes need from the device manager (devices/device-manager.ts):
 * states for the health view, discovery, assignment at run time and self-tests. A port of our own,
 * so these services are tested with a fake and never reach into drivers.
 */
export interface DeviceState {
  readonly role: DeviceRole;
  readonly link: DeviceLink;
  readonly status: DeviceStatus;
}

/** A device's state as the contract shows it to staff and technicians. */
export function deviceStateView(device: DeviceState): DeviceStateView {
  return {
    role: device.role,
    link: device.link,
    state: device.status.state,
    ...(device.status.detail === undefined ? {} : { detail: device.status.detail }),
  };
}

export interface DiscoveredDevices {
  readonly serial: ReadonlyArray<{ path: string; vendorId?: string; productId?: string; manufacturer?: string }>;
  readonly hid: ReadonlyArray<{ path: string; vendorId: number; productId: number; product?: string }>;
}

export interface DeviceManagerPort {
  states(): DeviceState[];
  discover(): Promise<DiscoveredDevices>;
  assign(
    role: DeviceRole,
    link: DeviceLink,
    options?: { paperWidth?: 58 | 80 },
  ): Promise<Result<void, { message: string }>>;
  /** What the device answered (the SAM id, the bytes of the test page, the characters scanned). */
  selfTest(role: DeviceRole): Promise<Result<string, SelfTestFailure>>;
}

export type SelfTestFailure = { kind: 'no-device' } | { kind: 'self-test-failed'; detail: string };
