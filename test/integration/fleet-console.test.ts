import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock, systemTimers } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { startFleetConsole, type FleetConsole } from '../../fleet/console/console-server';
import { terminalTopic } from '../../fleet/contract/fleet-topics';
import { defaultThresholds } from '../../electron/services/fleet/alert-watch';
import { createFleetAgent, type FleetAgent } from '../../electron/services/fleet/fleet-agent';
import { createFakeFleetPort, type FakeFleetPort } from '../../electron/services/fleet/fake-fleet-port';
import { openFleetStore, type FleetStore } from '../../electron/services/fleet/fleet-store';
import { startTestBroker, testCounty, type TestBroker } from '../support/fleet-broker';
import { addStaffAccount, HallClient } from '../support/hall-client';
import { until } from '../support/until';

/** The county console fed by a real Mosquitto: list, alerts, acknowledgement, commands, restarts. */
const countyKey = generateKeyPairSync('ed25519');
const dir = mkdtempSync(join(tmpdir(), 'fleet-console-'));
let test: TestBroker;
let console_: FleetConsole;
let consoleSecret: string;
let agent: FleetAgent;
let port: FakeFleetPort;
let fleetStore: FleetStore;
const terminal = 'QS-LX-0001';

async function startConsole(): Promise<FleetConsole> {
  return startFleetConsole({
    port: 0,
    databasePath: join(dir, 'console.sqlite'),
    retentionDays: 90,
    county: testCounty,
    broker: { url: test.broker.tlsUrl, ca: test.ca, username: 'fleet-console', password: consoleSecret },
    signingKey: countyKey,
    clock: systemClock,
    log: silentLog,
  });
}

/** A technician signed in through the console's sign-in form (the account model's session and CSRF). */
let tech: HallClient;
const get = async (path: string) => (await tech.get(path)).body;
const post = async (path: string, form: Record<string, string>) => (await tech.post(path, form)).response;
const health = () => console_.store.terminal(terminal)?.health;

beforeAll(async () => {
  test = await startTestBroker();
  consoleSecret = await test.account('fleet-console');
  await addStaffAccount(join(dir, 'console.sqlite'), 'li.na', 'technician');
  console_ = await startConsole();
  await console_.link.ready();
  tech = new HallClient(console_.url, '/fleet');
  expect(await tech.signIn('li.na')).toBe(303);
  const opened = openFleetStore(dir, systemClock);
  if (!opened.ok) throw new Error('fleet store');
  fleetStore = opened.value;
  port = createFakeFleetPort();
  agent = createFleetAgent({
    address: { county: testCounty, terminal },
    brokerUrl: test.broker.tlsUrl,
    ca: test.ca,
    credentials: { username: terminal, password: await test.account(terminal) },
    commandKeys: [countyKey.publicKey],
    statePublishMs: 60_000,
    thresholds: defaultThresholds,
    port,
    store: fleetStore,
    clock: systemClock,
    timers: systemTimers,
    log: silentLog,
    reconnectMs: 100,
  });
  agent.start();
});

afterAll(async () => {
  await agent?.stop();
  fleetStore?.close();
  await console_?.close();
  await test?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet console', () => {
  it('lists the terminal, turns it red on paper-out and green when paper is back', async () => {
    await until(() => health() === 'green', 10_000, 'terminal listed green');
    const list = await get('/fleet');
    expect(list).toContain(`data-terminal="${terminal}" data-health="green"`);
    expect(list).toContain('柳溪村');

    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-out' } };
    await agent.evaluate();
    await until(() => health() === 'red', 2000, 'red after paper-out');
    expect(console_.store.terminal(terminal)?.alerts.map((a) => a.code)).toEqual(['printer-paper-out']);
    expect(await get('/fleet?alert=printer-paper-out')).toContain(`data-terminal="${terminal}"`);
    expect(await get('/fleet?alert=disk-low')).not.toContain(`data-terminal="${terminal}"`);
    expect(await get('/fleet?lang=en')).toContain('Printer out of paper');
    await get('/fleet?lang=zh');

    // Acknowledged: who and when, and it stays red while the paper is still out.
    const alertId = console_.store.terminal(terminal)?.alerts[0]?.id ?? -1;
    await get(`/fleet/terminals/${terminal}`);
    const ack = await post(`/fleet/terminals/${terminal}/alerts/${alertId}/ack`, {});
    expect(ack.status).toBe(303);
    expect(console_.store.terminal(terminal)?.alerts[0]).toMatchObject({ ackedBy: 'li.na' });
    const page = await get(`/fleet/terminals/${terminal}`);
    expect(page).toContain('li.na 于');
    expect(page).toContain('打印机: 缺纸');
    expect(health()).toBe('red');

    port.deviceStates = { ...port.deviceStates, printer: { state: 'ready' } };
    await agent.evaluate();
    await until(() => health() === 'green', 2000, 'green after paper is back');
    const events = console_.store.events(terminal, 10).map((e) => `${e.code}:${e.phase}`);
    expect(events).toEqual(['printer-paper-out:cleared', 'printer-paper-out:raised']);
  });

  it('sends a signed command and shows the reply', async () => {
    await get(`/fleet/terminals/${terminal}`);
    const sent = await post(`/fleet/terminals/${terminal}/commands`, {
      kind: 'self-test',
      device: 'printer',
    });
    expect(sent.headers.get('location')).toBe(`/fleet/terminals/${terminal}?sent=1`);
    await until(() => console_.store.commands(terminal, 1)[0]?.outcome === 'done', 5000, 'reply');
    expect(port.calls).toEqual(['self-test printer']);
    const page = await get(`/fleet/terminals/${terminal}`);
    expect(page).toContain('self-test printer done');
    // A bad form sends nothing.
    const bad = await post(`/fleet/terminals/${terminal}/commands`, { kind: 'format-disk' });
    expect(bad.headers.get('location')).toBe(`/fleet/terminals/${terminal}?sent=0`);
    expect(console_.store.commands(terminal, 10)).toHaveLength(1);
  });

  it('refreshes a page whose reply landed between rendering and opening its live stream', async () => {
    // The browser follows the command's redirect, renders "waiting", and only then opens the live stream;
    // a kiosk that answers within those milliseconds must still show on the page.
    const page = await get(`/fleet/terminals/${terminal}`);
    const since = /data-live="([^"]+)"/.exec(page)?.[1];
    expect(since).toMatch(/^[0-9a-f]{8}\.\d+$/);
    await post(`/fleet/terminals/${terminal}/commands`, { kind: 'self-test', device: 'scanner' });
    await until(() => console_.store.commands(terminal, 1)[0]?.outcome === 'done', 5000, 'reply');
    const event = await tech.firstEvent(
      `/fleet/live/terminals/${terminal}?since=${encodeURIComponent(since ?? '')}`,
      AbortSignal.timeout(10_000),
    );
    expect(JSON.parse(event)).toMatchObject({ terminals: [terminal] });
    // So does the list, for a change that reached it; a mark from before a console restart is stale.
    const list = await get('/fleet');
    const listSince = /data-live="([^"]+)"/.exec(list)?.[1] ?? '';
    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-out' } };
    await agent.evaluate();
    await until(() => health() === 'red', 2000, 'red after paper-out');
    expect(
      await tech.firstEvent(`/fleet/live?since=${encodeURIComponent(listSince)}`, AbortSignal.timeout(10_000)),
    ).toContain('"terminals"');
    expect(await tech.firstEvent('/fleet/live?since=00000000.0', AbortSignal.timeout(10_000))).toContain('"terminals"');
    port.deviceStates = { ...port.deviceStates, printer: { state: 'ready' } };
    await agent.evaluate();
    await until(() => health() === 'green', 2000, 'green after paper is back');
  });

  it('ignores a payload that names another terminal than its topic', async () => {
    const other = await test.connectAs('QS-LX-0009', await test.account('QS-LX-0009'));
    const state = console_.store.terminal(terminal)?.state;
    await other.publishAsync(
      terminalTopic({ county: testCounty, terminal: 'QS-LX-0009' }, 'state'),
      JSON.stringify({ ...state, status: 'offline', reason: 'shutdown', at: new Date().toISOString(), terminal }),
      { qos: 1 },
    );
    await other.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-LX-0009' }, 'events'), 'not json', {
      qos: 1,
    });
    await other.endAsync();
    expect(console_.store.terminal(terminal)?.status).toBe('online');
    expect(console_.store.terminal('QS-LX-0009')).toBeUndefined();
  });

  it('refuses a malformed state, also one a byte away from a state it accepted (not taken as "unchanged")', async () => {
    const id = 'QS-LX-0007';
    const client = await test.connectAs(id, await test.account(id));
    const topic = terminalTopic({ county: testCounty, terminal: id }, 'state');
    const accepted = { ...console_.store.terminal(terminal)?.state, terminal: id, name: '石桥村 7 号机' };
    const applied = vi.spyOn(console_.store, 'applyState');
    try {
      await client.publishAsync(topic, JSON.stringify(accepted), { qos: 1, retain: true });
      await until(() => console_.store.terminal(id)?.state?.name === '石桥村 7 号机', 5000, 'the state accepted');
      await client.publishAsync(topic, JSON.stringify(accepted).slice(0, -1), { qos: 1, retain: true });
      await client.publishAsync(topic, JSON.stringify({ ...accepted, uptimeSeconds: -1 }), { qos: 1, retain: true });
      await client.publishAsync(topic, JSON.stringify({ ...accepted, devices: 'all fine' }), { qos: 1, retain: true });
      // The same topic keeps its order: once this one shows, the three before it were refused.
      await client.publishAsync(topic, JSON.stringify({ ...accepted, name: '石桥村 7 号机 (2)' }), { qos: 1 });
      await until(() => console_.store.terminal(id)?.state?.name === '石桥村 7 号机 (2)', 5000, 'the next state');
      expect(applied.mock.calls.filter(([t]) => t === id).map(([, , state]) => state)).toEqual([
        accepted,
        { ...accepted, name: '石桥村 7 号机 (2)' },
      ]);
    } finally {
      applied.mockRestore();
      await client.publishAsync(topic, '', { qos: 1, retain: true }); // the retained state goes
      await client.endAsync();
    }
  });

  it('prints a daily summary and comes back with the full view after a restart', async () => {
    const summary = await get('/fleet/summary');
    expect(summary).toContain('打印机缺纸');
    expect(summary).toContain('data-print');
    // Availability is counted in bands for the whole county; the table lists the lowest first.
    expect(summary).toMatch(/data-testid="availability-bands">在线率 ≥ 99%：\d+ 台/);

    await console_.close();
    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-near-end' } };
    await agent.evaluate();
    console_ = await startConsole();
    // The event raised while the console was down waits in its persistent session.
    await until(() => health() === 'amber', 5000, 'amber after the restart');
    expect(console_.store.events(terminal, 1)[0]).toMatchObject({ code: 'printer-paper-near-end', phase: 'raised' });
    expect(console_.store.availability(terminal, 7)).toBeGreaterThan(0.99);
  });
});
