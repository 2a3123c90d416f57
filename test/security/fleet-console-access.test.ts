/**
 * Attacker against the county's fleet console: pages and commands without signing in, a viewer
 * account acknowledging alerts or sending commands, a forged cross-site form, password guessing,
 * command floods and request floods. Each protection is checked on the server; every test here
 * fails when its protection is taken out (see the comments).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { consoleSessionSecret } from '../../fleet/cli/console-command';
import { startFleetConsole, type FleetConsole, type FleetConsoleOptions } from '../../fleet/console/console-server';
import { addStaffAccount, HallClient } from '../support/hall-client';

const dir = mkdtempSync(join(tmpdir(), 'fleet-console-attack-'));
const terminal = 'QS-LX-0001';
const limits = { signIn: 6, commands: 4, requests: 80 };
let console_: FleetConsole;
// A port that accepts and never answers MQTT: the console's link stays down; these tests are about HTTP.
let deadBroker: Server;

function secretOf(data: string): string {
  const secret = consoleSessionSecret(data);
  if (!secret.ok) throw new Error(secret.error);
  return secret.value;
}

const options = (): FleetConsoleOptions => {
  const address = deadBroker.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port: 0,
    databasePath: join(dir, 'console.sqlite'),
    retentionDays: 90,
    county: 'qingshan',
    broker: { url: `mqtt://127.0.0.1:${port}`, username: 'fleet-console', password: 'x' },
    signingKey: generateKeyPairSync('ed25519'),
    clock: systemClock,
    log: silentLog,
    rateLimits: limits,
    sessionSecret: secretOf(dir),
    // The lock-out must not answer before the rate limit does in the guessing test.
    accounts: { lockout: { accountFailures: 100, addressFailures: 100, lockMs: 60_000 } },
  };
};

async function signedIn(name: string): Promise<HallClient> {
  const client = new HallClient(console_.url, '/fleet');
  expect(await client.signIn(name)).toBe(303);
  return client;
}

/** Answered as usual until the limit, then only 429 (earlier tests' requests count too). */
function expectLimited(statuses: readonly number[], usual: number): void {
  const first = statuses.indexOf(429);
  expect(first, statuses.join(' ')).toBeGreaterThanOrEqual(0);
  expect(
    statuses.slice(0, first).every((s) => s === usual),
    statuses.join(' '),
  ).toBe(true);
  expect(
    statuses.slice(first).every((s) => s === 429),
    statuses.join(' '),
  ).toBe(true);
}

beforeAll(async () => {
  await addStaffAccount(join(dir, 'console.sqlite'), 'wang.tech', 'technician');
  await addStaffAccount(join(dir, 'console.sqlite'), 'zhao.view', 'viewer');
  deadBroker = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => deadBroker.listen(0, '127.0.0.1', resolve));
  console_ = await startFleetConsole(options());
});

afterAll(async () => {
  await console_?.close();
  deadBroker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet console access', () => {
  // Fails when a route's access rule is relaxed to public (or the guard is not mounted on the scope).
  it('shows nothing and changes nothing without a signed-in account', async () => {
    const stranger = new HallClient(console_.url, '/fleet');
    for (const path of [
      '/fleet',
      `/fleet/terminals/${terminal}`,
      '/fleet/summary',
      '/fleet/api/terminals',
      '/fleet/live',
      `/fleet/live/terminals/${terminal}`,
    ]) {
      const { response } = await stranger.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/fleet\/login\?next=/);
    }
    await stranger.get('/fleet/login');
    for (const path of [`/fleet/terminals/${terminal}/alerts/1/ack`, `/fleet/terminals/${terminal}/commands`]) {
      const { response } = await stranger.post(path, { kind: 'refresh-catalogue' });
      expect(response.status, path).toBe(401);
    }
    expect(console_.store.commands(terminal, 10)).toEqual([]);
  });

  // Fails when acknowledging or sending commands is opened to every role.
  it('lets a viewer look but not acknowledge alerts or send commands', async () => {
    const viewer = await signedIn('zhao.view');
    expect((await viewer.get('/fleet')).response.status).toBe(200);
    expect((await viewer.get('/fleet/api/terminals')).response.status).toBe(200);
    const ack = await viewer.post(`/fleet/terminals/${terminal}/alerts/1/ack`, {});
    expect(ack.response.status).toBe(403);
    const command = await viewer.post(`/fleet/terminals/${terminal}/commands`, { kind: 'refresh-catalogue' });
    expect(command.response.status).toBe(403);
    expect(console_.store.commands(terminal, 10)).toEqual([]);
    // The same requests from a technician pass the guard (and find no such terminal).
    const tech = await signedIn('wang.tech');
    expect((await tech.post(`/fleet/terminals/${terminal}/alerts/1/ack`, {})).response.status).toBe(404);
  });

  // Fails when the routes are registered outside the account scope (no CSRF check on their POSTs).
  it('refuses a forged form: no token, or the token of another session', async () => {
    const tech = await signedIn('wang.tech');
    const missing = await tech.post(`/fleet/terminals/${terminal}/alerts/1/ack`, {}, { csrf: false });
    expect(missing.response.status).toBe(403);
    const attacker = new HallClient(console_.url, '/fleet');
    await attacker.get('/fleet/login');
    const foreign = await tech.post(`/fleet/terminals/${terminal}/alerts/1/ack`, {}, { csrf: attacker.csrf });
    expect(foreign.response.status).toBe(403);
  });

  // Fails when the console signs cookies with a fresh secret per start (staff signed out on restart),
  // and shows that only the kept, owner-only secret opens the kept sessions.
  it('keeps staff signed in across a console restart, with the secret kept owner-only', async () => {
    expect(statSync(join(dir, 'console-session.key')).mode & 0o777).toBe(0o600);
    expect(secretOf(dir)).toBe(secretOf(dir));
    const tech = await signedIn('wang.tech');
    const restart = async (sessionSecret: string): Promise<void> => {
      await console_.close();
      // Another port: the client's pooled connections to the old server are gone with it.
      console_ = await startFleetConsole({ ...options(), sessionSecret });
    };
    await restart(secretOf(dir));
    expect((await tech.at(console_.url).get('/fleet')).response.status).toBe(200);
    const elsewhere = mkdtempSync(join(tmpdir(), 'fleet-console-other-'));
    try {
      await restart(secretOf(elsewhere));
      expect((await tech.at(console_.url).get('/fleet')).response.status).toBe(303);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  // Fails when @fastify/rate-limit is not registered on the console (the route limits then do nothing).
  it('rate-limits password guesses and command floods per address', async () => {
    const tech = await signedIn('wang.tech');
    // Every sign-in post from this address counts, the earlier tests' included.
    const guesser = new HallClient(console_.url, '/fleet');
    const statuses: number[] = [];
    for (let i = 0; i <= limits.signIn; i++) {
      await guesser.get('/fleet/login');
      statuses.push(
        (await guesser.post('/fleet/login', { name: 'wang.tech', password: `guess-${i}` })).response.status,
      );
    }
    expectLimited(statuses, 401);

    const commandStatuses: number[] = [];
    for (let i = 0; i <= limits.commands; i++)
      commandStatuses.push((await tech.post('/fleet/terminals/QS-LX-0404/commands', { kind: 'x' })).response.status);
    expectLimited(commandStatuses, 404);
  });

  // Fails without the global limit: the pages themselves cannot be flooded from one address.
  it('answers 429 to a flood of requests from one address', async () => {
    let limitedAfter = -1;
    for (let i = 0; i <= limits.requests; i++) {
      const response = await fetch(`${console_.url}/fleet/login`, { redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status === 429) {
        limitedAfter = i;
        break;
      }
    }
    expect(limitedAfter).toBeGreaterThanOrEqual(0);
    expect(limitedAfter).toBeLessThanOrEqual(limits.requests);
  });

  it('refuses to serve another machine over plain HTTP', async () => {
    await expect(startFleetConsole({ ...options(), host: '0.0.0.0' })).rejects.toThrow(/HTTPS/);
  });
});
