import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { testPins } from '../support/provisioning';
import { noDevicesConfig, rpcCall, rpcFailure, provisionServices } from '../support/services-fixture';

/**
 * The attacker at the screen (or on the page's socket) asking the root helper to rename a device:
 * a pin request leaves the unprivileged kiosk for a root unit, so nobody but a signed-in technician
 * may write it — not a page without a session, not a staff member — and never for a node that is
 * not a kiosk device.
 */
let services: KioskServices;
let dataDir: string;
const requestWritten = () => existsSync(join(dataDir, 'pin-request.json'));
const printer = { role: 'printer', port: '/dev/ttyUSB0' } as const;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-device-pin-attack-'));
  const started = await startKioskServices({ config: noDevicesConfig, dataDir, log: silentLog });
  if (!started.ok) throw new Error(started.error.message);
  services = started.value;
  await provisionServices(services);
});
afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('device pin requests', () => {
  it('a page without a session cannot leave one, nor read the answer', async () => {
    expect(await rpcFailure(services, 'tech.devices.pin', printer)).toEqual({ kind: 'not-allowed' });
    expect(await rpcFailure(services, 'tech.devices.pinResult')).toEqual({ kind: 'not-allowed' });
    expect(requestWritten()).toBe(false);
  });

  it('a staff member cannot leave one', async () => {
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    expect(await rpcFailure(services, 'tech.devices.pin', printer)).toEqual({ kind: 'not-allowed' });
    expect(requestWritten()).toBe(false);
    await rpcCall(services, 'staff.signOut');
  });

  it('a technician can, but only for a kiosk device node', async () => {
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    expect(await rpcFailure(services, 'tech.devices.pin', { role: 'printer', port: '/etc/shadow' })).toEqual({
      kind: 'not-pinnable',
    });
    expect(requestWritten()).toBe(false);
    expect(await rpcCall(services, 'tech.devices.pin', printer)).toEqual({});
    expect(requestWritten()).toBe(true);
    await rpcCall(services, 'staff.signOut');
  });
});
