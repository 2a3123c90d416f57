import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import type { MethodName, ParamsOf } from '../../electron/api/contract';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { noDevicesConfig } from '../support/services-fixture';
import type { IdCard } from '../../drivers/id-card/id-card-text';
import { fakeDevices, type FakeDevices } from '../support/fake-devices';
import { testPins } from '../support/provisioning';

/**
 * A second client on the browser host's socket (another tab or process that got hold of the
 * socket) while staff are signed in on the screen: it cannot ride their session, see it, or end
 * an assistance staff started on the screen.
 */
const config = noDevicesConfig;
let services: KioskServices;
let devices: FakeDevices;
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
  const started = await startKioskServices({
    config,
    dataDir,
    log: silentLog,
    createDevices: () => (devices = fakeDevices()),
  });
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

/** An invented resident's card (the check digit is right; nobody real). */
function card(name: string, idNumber: string): IdCard {
  return {
    cardType: 'resident',
    name,
    gender: 'male',
    birthDate: '1949-12-31',
    idNumber,
    idNumberValid: true,
    issuer: '北京市公安局朝阳分局',
    validFrom: '2010-01-01',
    validUntil: 'long-term',
    nation: '汉',
    nationCode: '01',
    address: '北京市朝阳区青石村幸福路88号',
  };
}
const staffCard = card('王工作', '110105197506080046');
const residentCard = card('张三丰', '110105194912310021');
const read = (idCard: IdCard) => devices.raise({ kind: 'card-read', card: idCard });

describe('the staff-card window (staff.awaitCard) cannot be opened to catch a card meant for someone else', () => {
  beforeAll(async () => {
    // A technician registers the staff member's card on the screen.
    await on('ws:screen', 'staff.signIn', { pin: testPins.technician });
    expect(result(await on('ws:screen', 'tech.cards.register', { staffId: 'S01' }))).toEqual({});
    read(staffCard);
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ cardOutcome: 'registered' });
    await on('ws:screen', 'staff.signOut');
  });

  it("refuses to take over the screen's open window: the staff card signs in the screen, not the intruder", async () => {
    expect(result(await on('ws:screen', 'staff.awaitCard'))).toEqual({});
    expect(await on('ws:other', 'staff.awaitCard')).toEqual({ error: 'not-allowed' });
    read(staffCard);
    expect(result(await on('ws:other', 'staff.status'))).toMatchObject({ role: null });
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ role: 'staff', staffId: 'S01' });
    await on('ws:screen', 'staff.signOut');
  });

  it('refuses a window while a resident session runs: the next card stays in the resident journey', async () => {
    read(residentCard);
    expect(services.health().sessionActive).toBe(true);
    expect(await on('ws:other', 'staff.awaitCard')).toEqual({ error: 'not-allowed' });
    expect(await on('ws:screen', 'staff.awaitCard')).toEqual({ error: 'not-allowed' });
    // The second card of a 代办 (here, a staff member's own) joins the resident session.
    read(staffCard);
    expect(result(await on('ws:other', 'staff.status'))).toMatchObject({ role: null });
    const cards = result(await on('ws:screen', 'journey.cards')) as { cards: unknown[] };
    expect(cards.cards).toHaveLength(2);
    await on('ws:screen', 'session.end', { reason: 'cancelled' });
  });

  it("does not let another connection end the screen's staff session", async () => {
    await on('ws:screen', 'staff.signIn', { pin: testPins.staff });
    expect(result(await on('ws:other', 'staff.signOut'))).toEqual({});
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ role: 'staff' });
    await on('ws:screen', 'staff.signOut');
    expect(result(await on('ws:screen', 'staff.status'))).toMatchObject({ role: null });
  });
});
