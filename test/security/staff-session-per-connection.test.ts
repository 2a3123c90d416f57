import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import type { MethodName, ParamsOf } from '../../electron/api/contract';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { noDevicesConfig } from '../support/services-fixture';
import { fakeDevices } from '../support/fake-devices';
import { testPins } from '../support/provisioning';

/**
 * A second client on the browser host's socket (another tab or process that got hold of the
 * socket) while staff are signed in on the screen: it cannot ride their session, see it, or end
 * an assistance staff started on the screen.
 */
const config = noDevicesConfig;
let services: KioskServices;
let dataDir: string;
let nextId = 1;

/** One call on a given socket connection, answering the raw JSON-RPC response. */
async function on<M extends MethodName>(connection: string, method: M, params: ParamsOf<M> | object = {}) {
  const response = await services.rpc.handle(
    { jsonrpc: '2.0', id: nextId++, method, params },
    { transport: 'websocket', connection },
  );
  return 'error' in response ? { error: (response.error.data as { kind?: string } | undefined)?.kind } : response;
}
const result = (answer: unknown) => (answer as { result?: unknown }).result;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-connection-attack-'));
  const started = await startKioskServices({ config, dataDir, log: silentLog, createDevices: () => fakeDevices() });
  if (!started.ok) throw new Error(started.error.message);
  services = started.value;
  await on('ws:screen', 'setup.complete', {
    terminalName: config.terminal.name,
    servicePointName: config.servicePoint.name,
    platformUrl: '',
    code: '',
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
  await on('ws:screen', 'staff.signOut');
});
afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a staff session belongs to the connection that signed in', () => {
  it('refuses staff and technician calls from another connection and hides the session from it', async () => {
    expect(result(await on('ws:screen', 'staff.signIn', { pin: testPins.technician }))).toEqual({ role: 'technician' });
    expect(result(await on('ws:screen', 'staff.queue'))).toMatchObject({ items: [] });

    expect(await on('ws:other', 'staff.queue')).toEqual({ error: 'not-allowed' });
    expect(await on('ws:other', 'tech.audit', { limit: 10 })).toEqual({ error: 'not-allowed' });
    expect(await on('ws:other', 'tech.pin.set', { role: 'staff', pin: '111222' })).toEqual({ error: 'not-allowed' });
    expect(result(await on('ws:other', 'staff.status'))).toMatchObject({ role: null, staffId: null });

    // The screen's session is untouched.
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ role: 'technician' });
    await on('ws:screen', 'staff.signOut');
  });

  it('lets only the screen that staff handed over end an assistance', async () => {
    await on('ws:screen', 'staff.signIn', { pin: testPins.staff });
    expect(result(await on('ws:screen', 'staff.assist.start'))).toEqual({});
    expect(await on('ws:other', 'staff.assist.cancel')).toEqual({ error: 'not-allowed' });
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ assisting: true });
    expect(result(await on('ws:screen', 'staff.assist.cancel'))).toEqual({});
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ assisting: false });
  });
});
