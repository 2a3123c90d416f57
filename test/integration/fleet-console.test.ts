import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, systemTimers } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { startFleetConsole, type FleetConsole } from '../../fleet/console/console-server';
import { terminalTopic } from '../../fleet/contract/fleet-topics';
import { defaultThresholds } from '../../electron/services/fleet/alert-watch';
import { createFleetAgent, type FleetAgent } from '../../electron/services/fleet/fleet-agent';
import { createFakeFleetPort, type FakeFleetPort } from '../../electron/services/fleet/fake-fleet-port';
import { openFleetStore, type FleetStore } from '../../electron/services/fleet/fleet-store';
import { startTestBroker, testCounty, type TestBroker } from '../support/fleet-broker';
import { headerTestAuth, testCsrfToken } from '../support/fleet-test-auth';
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
    auth: headerTestAuth,
    clock: systemClock,
    log: silentLog,
  });
}

const get = (path: string, user: string | null = 'tech-wang') =>
  fetch(`${console_.url}${path}`, { headers: user === null ? {} : { 'x-test-user': user }, redirect: 'manual' });
const post = (path: string, form: Record<string, string>, user = 'tech-wang') =>
  fetch(`${console_.url}${path}`, {
    method: 'POST',
    headers: { 'x-test-user': user, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const health = () => console_.store.terminal(terminal)?.health;

beforeAll(async () => {
  test = await startTestBroker();
  consoleSecret = await test.account('fleet-console');
  console_ = await startConsole();
  await console_.link.ready();
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
    const list = await (await get('/fleet')).text();
    expect(list).toContain(`data-terminal="${terminal}" data-health="green"`);
    expect(list).toContain('柳溪村');

    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-out' } };
    await agent.evaluate();
    await until(() => health() === 'red', 2000, 'red after paper-out');
    expect(console_.store.terminal(terminal)?.alerts.map((a) => a.code)).toEqual(['printer-paper-out']);
    expect(await (await get('/fleet?alert=printer-paper-out')).text()).toContain(`data-terminal="${terminal}"`);
    expect(await (await get('/fleet?alert=disk-low')).text()).not.toContain(`data-terminal="${terminal}"`);
    expect(await (await get('/fleet?lang=en')).text()).toContain('Printer out of paper');

    // Acknowledged: who and when, and it stays red while the paper is still out.
    const alertId = console_.store.terminal(terminal)?.alerts[0]?.id ?? -1;
    const noToken = await post(`/fleet/terminals/${terminal}/alerts/${alertId}/ack`, {});
    expect(noToken.status).toBe(403);
    const ack = await post(`/fleet/terminals/${terminal}/alerts/${alertId}/ack`, { _csrf: testCsrfToken }, 'li.na');
    expect(ack.status).toBe(303);
    expect(console_.store.terminal(terminal)?.alerts[0]).toMatchObject({ ackedBy: 'li.na' });
    expect(await (await get(`/fleet/terminals/${terminal}`)).text()).toContain('li.na 于');
    expect(health()).toBe('red');

    port.deviceStates = { ...port.deviceStates, printer: { state: 'ready' } };
    await agent.evaluate();
    await until(() => health() === 'green', 2000, 'green after paper is back');
    const events = console_.store.events(terminal, 10).map((e) => `${e.code}:${e.phase}`);
    expect(events).toEqual(['printer-paper-out:cleared', 'printer-paper-out:raised']);
  });

  it('sends a signed command and shows the reply', async () => {
    const sent = await post(`/fleet/terminals/${terminal}/commands`, {
      _csrf: testCsrfToken,
      kind: 'self-test',
      device: 'printer',
    });
    expect(sent.headers.get('location')).toBe(`/fleet/terminals/${terminal}?sent=1`);
    await until(() => console_.store.commands(terminal, 1)[0]?.outcome === 'done', 5000, 'reply');
    expect(port.calls).toEqual(['self-test printer']);
    const page = await (await get(`/fleet/terminals/${terminal}`)).text();
    expect(page).toContain('self-test printer done');
    // A bad form sends nothing.
    const bad = await post(`/fleet/terminals/${terminal}/commands`, { _csrf: testCsrfToken, kind: 'format-disk' });
    expect(bad.headers.get('location')).toBe(`/fleet/terminals/${terminal}?sent=0`);
    expect(console_.store.commands(terminal, 10)).toHaveLength(1);
  });

  it('refuses pages without a signed-in account', async () => {
    for (const path of ['/fleet', `/fleet/terminals/${terminal}`, '/fleet/summary', '/fleet/live'])
      expect((await get(path, null)).status).toBe(401);
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

  it('prints a daily summary and comes back with the full view after a restart', async () => {
    const summary = await (await get('/fleet/summary')).text();
    expect(summary).toContain('打印机缺纸');
    expect(summary).toContain('data-print');

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
