import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, systemTimers } from '../../foundation/clock';
import { fleetKeyId, signCommand } from '../../fleet/contract/fleet-command-signing';
import {
  commandReplySchema,
  fleetEventSchema,
  terminalStateSchema,
  type CommandBody,
  type CommandReply,
  type FleetCommand,
  type FleetEvent,
  type TerminalState,
} from '../../fleet/contract/fleet-payloads';
import { terminalTopic } from '../../fleet/contract/fleet-topics';
import { defaultThresholds } from '../../electron/services/fleet/alert-watch';
import { createFleetAgent, type FleetAgent } from '../../electron/services/fleet/fleet-agent';
import { createFakeFleetPort, type FakeFleetPort } from '../../electron/services/fleet/fake-fleet-port';
import { openFleetStore, type FleetStore } from '../../electron/services/fleet/fleet-store';
import { silentLog } from '../../foundation/log';
import { startTestBroker, testCounty, type TestBroker } from '../support/fleet-broker';
import { repoRoot } from '../support/kiosk-process';
import { until } from '../support/until';
import { createBrokerLink, type BrokerLink } from '../../electron/services/fleet/broker-link';

/**
 * The terminal's fleet link against a real Mosquitto with the county's TLS, password file and ACL:
 * what the broker lets a terminal do, signed commands, offline events, the Last Will.
 */
const countyKey = generateKeyPairSync('ed25519');
let test: TestBroker;
let console_: MqttClient;
const seen: Array<{ topic: string; payload: string; retain: boolean }> = [];
const cleanups: Array<() => Promise<void> | void> = [];

// The console keeps a persistent session, as the real one does: what arrives while it is away waits for it.
const consoleSession = { clean: false, properties: { sessionExpiryInterval: 3600 } };
let consoleSecret = '';

beforeAll(async () => {
  test = await startTestBroker();
  consoleSecret = await test.account('fleet-console');
  console_ = await test.connectAs('fleet-console', consoleSecret, consoleSession);
  console_.on('message', (topic, payload, packet) =>
    seen.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  await console_.subscribeAsync(`vk/v1/${testCounty}/#`, { qos: 1 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await test?.close();
});

const on = (terminal: string, kind: 'state' | 'events' | 'cmd' | 'cmd/reply') =>
  seen.filter((m) => m.topic === terminalTopic({ county: testCounty, terminal }, kind));
const states = (terminal: string): TerminalState[] =>
  on(terminal, 'state').map((m) => terminalStateSchema.parse(JSON.parse(m.payload)));
const events = (terminal: string): FleetEvent[] =>
  on(terminal, 'events').map((m) => fleetEventSchema.parse(JSON.parse(m.payload)));
const replies = (terminal: string): CommandReply[] =>
  on(terminal, 'cmd/reply').map((m) => commandReplySchema.parse(JSON.parse(m.payload)));

async function startAgent(
  terminal: string,
): Promise<{ agent: FleetAgent; port: FakeFleetPort; store: FleetStore; link: BrokerLink }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-terminal-'));
  const secret = await test.account(terminal);
  const opened = openFleetStore(dataDir, systemClock);
  if (!opened.ok) throw new Error('fleet store');
  const store = opened.value;
  const port = createFakeFleetPort();
  const link = createBrokerLink();
  const agent = createFleetAgent({
    address: { county: testCounty, terminal },
    brokerUrl: test.broker.tlsUrl,
    ca: test.ca,
    credentials: { username: terminal, password: secret },
    commandKeys: [countyKey.publicKey],
    statePublishMs: 60_000,
    thresholds: { ...defaultThresholds, unpluggedSettleMs: 0 },
    port,
    store,
    clock: systemClock,
    timers: systemTimers,
    log: silentLog,
    reconnectMs: 100,
    link,
  });
  agent.start();
  cleanups.push(async () => {
    await agent.stop();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await until(() => agent.connected, 10_000, 'agent connected');
  return { agent, port, store, link };
}

function command(terminal: string, body: FleetCommand, overrides: Partial<CommandBody> = {}): CommandBody {
  const now = Date.now();
  return {
    v: 1,
    id: randomUUID(),
    county: testCounty,
    terminal,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 600_000).toISOString(),
    issuedBy: 'tech-wang',
    command: body,
    ...overrides,
  };
}
const signed = (body: CommandBody) => JSON.stringify(signCommand(body, countyKey.privateKey, countyKey.publicKey));

describe('fleet link against a real Mosquitto (TLS, ACL)', () => {
  it('lets a terminal publish only under its own topic and read only its own commands', async () => {
    const secret = await test.account('QS-ACL-0001');
    const terminal = await test.connectAs('QS-ACL-0001', secret);
    const received: string[] = [];
    terminal.on('message', (topic) => received.push(topic));
    // Publishing as another terminal is refused by the broker (MQTT 5 reason 135, not authorised).
    await expect(
      terminal.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-ACL-0002' }, 'state'), '{}', { qos: 1 }),
    ).rejects.toMatchObject({ code: 135 });
    await expect(terminal.publishAsync('vk/v1/other-county/QS-ACL-0001/state', '{}', { qos: 1 })).rejects.toMatchObject(
      {
        code: 135,
      },
    );
    // A terminal may not send commands, not even to itself.
    await expect(
      terminal.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-ACL-0001' }, 'cmd'), '{}', { qos: 1 }),
    ).rejects.toMatchObject({ code: 135 });
    await terminal.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-ACL-0001' }, 'events'), 'own', {
      qos: 1,
    });
    await until(() => on('QS-ACL-0001', 'events').length === 1, 5000, 'own event at the console');
    expect(on('QS-ACL-0002', 'state')).toEqual([]);
    expect(seen.some((m) => m.topic.startsWith('vk/v1/other-county/'))).toBe(false);

    // Subscribing to another terminal's commands delivers nothing; its own arrive.
    await terminal.subscribeAsync(`vk/v1/${testCounty}/+/cmd`, { qos: 1 });
    await console_.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-ACL-0002' }, 'cmd'), 'not yours', {
      qos: 1,
    });
    await console_.publishAsync(terminalTopic({ county: testCounty, terminal: 'QS-ACL-0001' }, 'cmd'), 'yours', {
      qos: 1,
    });
    await until(() => received.length >= 1, 5000, 'own command');
    expect(received).toEqual([terminalTopic({ county: testCounty, terminal: 'QS-ACL-0001' }, 'cmd')]);

    // A wrong secret is not let in at all.
    await expect(test.connectAs('QS-ACL-0001', 'guessed')).rejects.toThrow(/Not authorized/);
  });

  it('runs a signed command once and refuses unsigned, forged and replayed ones', async () => {
    const terminal = 'QS-CMD-0001';
    const { port } = await startAgent(terminal);
    const cmdTopic = terminalTopic({ county: testCounty, terminal }, 'cmd');
    const good = command(terminal, { kind: 'self-test', device: 'printer' });

    await console_.publishAsync(cmdTopic, signed(good), { qos: 1 });
    await until(() => replies(terminal).length === 1, 5000, 'reply');
    expect(replies(terminal)[0]).toMatchObject({ id: good.id, outcome: 'done', message: 'self-test printer done' });
    expect(port.calls).toEqual(['self-test printer']);

    // Replayed: the same signed bytes again.
    await console_.publishAsync(cmdTopic, signed(good), { qos: 1 });
    // Unsigned: a bare body.
    await console_.publishAsync(cmdTopic, JSON.stringify(command(terminal, { kind: 'refresh-catalogue' })), { qos: 1 });
    // Signed by someone else.
    const stranger = generateKeyPairSync('ed25519');
    const forged = command(terminal, { kind: 'upload-diagnostics' });
    await console_.publishAsync(
      cmdTopic,
      JSON.stringify(signCommand(forged, stranger.privateKey, stranger.publicKey)),
      {
        qos: 1,
      },
    );
    // A stranger's signature presented under the county's key id.
    const impostor = command(terminal, { kind: 'set-assigned-version', version: '6.6.6' });
    await console_.publishAsync(
      cmdTopic,
      JSON.stringify({
        ...signCommand(impostor, stranger.privateKey, stranger.publicKey),
        keyId: fleetKeyId(countyKey.publicKey),
      }),
      { qos: 1 },
    );
    // Signed, but for another terminal.
    const elsewhere = command('QS-CMD-0002', { kind: 'refresh-catalogue' });
    await console_.publishAsync(cmdTopic, signed(elsewhere), { qos: 1 });
    // Signed, but long expired.
    const old = command(
      terminal,
      { kind: 'refresh-catalogue' },
      {
        issuedAt: new Date(Date.now() - 7200_000).toISOString(),
        expiresAt: new Date(Date.now() - 3600_000).toISOString(),
      },
    );
    await console_.publishAsync(cmdTopic, signed(old), { qos: 1 });

    await until(() => replies(terminal).length === 7, 5000, 'all replies');
    expect(
      replies(terminal)
        .slice(1)
        .map((r) => [r.id, r.outcome, r.refusal]),
    ).toEqual([
      [good.id, 'refused', 'replayed'],
      [null, 'refused', 'malformed'],
      [forged.id, 'refused', 'unknown-key'],
      [impostor.id, 'refused', 'bad-signature'],
      [elsewhere.id, 'refused', 'wrong-terminal'],
      [old.id, 'refused', 'expired'],
    ]);
    // Nothing refused ran.
    expect(port.calls).toEqual(['self-test printer']);
  });

  it('remembers accepted commands across a restart: a replay after it is still refused', () => {
    const terminal = 'QS-CMD-0003';
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-terminal-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const opened = openFleetStore(dataDir, systemClock);
    if (!opened.ok) throw new Error('fleet store');
    const body = command(terminal, { kind: 'set-assigned-version', version: '0.2.0' });
    expect(opened.value.claimCommand(body.id, 'set-assigned-version', Date.now() + 600_000)).toBe(true);
    opened.value.close();
    const reopened = openFleetStore(dataDir, systemClock);
    if (!reopened.ok) throw new Error('fleet store');
    expect(reopened.value.claimCommand(body.id, 'set-assigned-version', Date.now() + 600_000)).toBe(false);
    reopened.value.close();
  });

  it('delivers events raised while the broker was down once, in order, when it is back', async () => {
    const terminal = 'QS-EVT-0001';
    const { agent, port, link } = await startAgent(terminal);
    await until(() => states(terminal).some((s) => s.status === 'online'), 5000, 'first state');
    // The kiosk's HTTP heartbeat stands in exactly while this says the link is down.
    expect(link.up).toBe(true);

    await test.broker.stop();
    await until(() => !agent.connected, 5000, 'agent noticed the outage');
    expect(link.up).toBe(false);
    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-near-end' } };
    await agent.evaluate();
    port.deviceStates = { ...port.deviceStates, printer: { state: 'paper-out' } };
    await agent.evaluate();
    agent.report('database-restored', 'restored the 03:00 backup');
    port.deviceStates = { ...port.deviceStates, printer: { state: 'ready' } };
    await agent.evaluate();
    await test.broker.start();
    // The console reconnects by hand (its own client has no automatic reconnect in this test).
    console_ = await test.connectAs('fleet-console', consoleSecret, consoleSession);
    console_.on('message', (topic, payload, packet) =>
      seen.push({ topic, payload: payload.toString(), retain: packet.retain }),
    );

    await until(() => events(terminal).length >= 5, 15_000, 'events after the outage');
    expect(link.up).toBe(true);
    // Let any repeat arrive before counting: the retained state is published after the events are flushed.
    await until(
      () =>
        states(terminal).at(-1)?.status === 'online' &&
        (states(terminal).at(-1) as { alerts: unknown[] }).alerts.length === 0,
      5000,
      'state after events',
    );
    const got = events(terminal);
    expect(got.map((e) => [e.seq, e.code, e.phase])).toEqual([
      [1, 'printer-paper-near-end', 'raised'],
      [2, 'printer-paper-near-end', 'cleared'],
      [3, 'printer-paper-out', 'raised'],
      [4, 'database-restored', 'once'],
      [5, 'printer-paper-out', 'cleared'],
    ]);
    expect(new Set(got.map((e) => e.stream)).size).toBe(1);
  });

  it('raises disk-low, saying applications are refused, while the terminal refuses them for want of space', async () => {
    const terminal = 'QS-DSK-0001';
    const { agent, port } = await startAgent(terminal);
    await until(() => states(terminal).some((s) => s.status === 'online'), 5000, 'first state');
    port.refused = true;
    await agent.evaluate();
    port.refused = false;
    await agent.evaluate();
    await until(() => events(terminal).length >= 2, 10_000, 'disk events');
    expect(events(terminal).map((e) => [e.code, e.phase, e.detail])).toEqual([
      ['disk-low', 'raised', '10240 MB free; new applications refused'],
      ['disk-low', 'cleared', undefined],
    ]);
  });

  it('marks a killed terminal offline through its Last Will (retained)', async () => {
    const terminal = 'QS-LWT-0001';
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-terminal-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/support/fleet-terminal-child.ts',
        JSON.stringify({
          brokerUrl: test.broker.tlsUrl,
          caFile: test.broker.certificates.caFile,
          county: testCounty,
          terminal,
          password: await test.account(terminal),
          dataDir,
        }),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('connected') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    await until(() => states(terminal).at(-1)?.status === 'online', 5000, 'online state');
    child.kill('SIGKILL');
    await until(() => states(terminal).at(-1)?.status === 'offline', 10_000, 'offline by Last Will');
    expect(states(terminal).at(-1)).toMatchObject({ status: 'offline', reason: 'connection-lost', terminal });

    // Retained: a console that connects afterwards learns it at once.
    const late = await test.connectAs('fleet-console', consoleSecret, { clientId: 'late', clean: true });
    const retained = new Promise<TerminalState>((resolve) =>
      late.on('message', (_topic, payload) => resolve(terminalStateSchema.parse(JSON.parse(payload.toString())))),
    );
    await late.subscribeAsync(terminalTopic({ county: testCounty, terminal }, 'state'), { qos: 1 });
    expect(await retained).toMatchObject({ status: 'offline', reason: 'connection-lost' });
  });
});
