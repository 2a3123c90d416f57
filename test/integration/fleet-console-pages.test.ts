import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { newBrokerSecret } from '../../fleet/broker/mosquitto-passwords';
import { startBroker, type RunningBroker } from '../../fleet/broker/mosquitto-process';
import { startFleetConsole, type FleetConsole } from '../../fleet/console/console-server';
import { createSimulatedFleet, simulatedAccounts, type SimulatedFleet } from '../../fleet/simulator/simulated-fleet';
import type { SimulatedTerminal } from '../../fleet/simulator/simulated-terminal';
import { addStaffAccount, HallClient } from '../support/hall-client';
import { until } from '../support/until';

/**
 * The county list at scale, shrunk: 120 simulated terminals on a real Mosquitto, pages of 5. A
 * page shows its share of the filtered list (red and amber first), its live stream speaks only when
 * what that page shows changed, and a broker restart's storm of states is checked in a few page
 * computations, not one per message, without ever building the whole fleet's list.
 */
const county = 'qingshan';
const size = 120;
const pageSize = 5;
const dir = mkdtempSync(join(tmpdir(), 'fleet-pages-'));
const fleetSecret = randomBytes(32).toString('base64url');
const consoleSecret = newBrokerSecret();
let broker: RunningBroker;
let fleet: SimulatedFleet;
let console_: FleetConsole;
let tech: HallClient;

const sim = (n: number): SimulatedTerminal => {
  const terminal = fleet.terminals[n - 1];
  if (terminal === undefined) throw new Error(`no simulated terminal ${n}`);
  return terminal;
};
const id = (n: number) => sim(n).address.terminal;
const shown = (page: string) => [...page.matchAll(/data-terminal="([^"]+)" data-health="(\w+)"/g)].map((m) => m[1]);
const mark = (page: string) => /data-live="([^"]+)"/.exec(page)?.[1] ?? '';
const healthOf = (n: number) => console_.store.terminal(id(n))?.health;

/** A live stream whose messages give the terminals they name. */
async function openLive(path: string): Promise<{ next(): Promise<string[]>; close(): void }> {
  const stream = await tech.openEvents(path);
  return {
    next: async () => (JSON.parse(await stream.next()) as { terminals: string[] }).terminals,
    close: () => stream.close(),
  };
}

beforeAll(async () => {
  const accounts = simulatedAccounts(fleetSecret, size);
  accounts.set('fleet-console', consoleSecret);
  broker = await startBroker({
    dir: join(dir, 'broker'),
    county,
    users: accounts,
    consoleUsers: ['fleet-console'],
    plainPort: 0,
    connectionMessages: false,
  });
  await addStaffAccount(join(dir, 'console.sqlite'), 'li.na', 'technician');
  console_ = await startFleetConsole({
    port: 0,
    databasePath: join(dir, 'console.sqlite'),
    retentionDays: 90,
    county,
    broker: {
      url: broker.tlsUrl,
      ca: readFileSync(broker.certificates.caFile),
      username: 'fleet-console',
      password: consoleSecret,
    },
    signingKey: generateKeyPairSync('ed25519'),
    clock: systemClock,
    log: silentLog,
    pageSize,
  });
  await console_.link.ready();
  tech = new HallClient(console_.url, '/fleet');
  expect(await tech.signIn('li.na')).toBe(303);
  const plain = new URL(broker.plainUrl ?? '');
  fleet = createSimulatedFleet({
    county,
    count: size,
    fleetSecret,
    host: plain.hostname,
    port: Number(plain.port),
    statePublishMs: 3600_000,
    commandKeys: [],
    clock: systemClock,
    reconnectMs: 100,
  });
  expect((await fleet.connectAll(40)).failed).toBe(0);
  await until(() => console_.store.listPage({}, 0, 1).counts.green === size, 20_000, 'all terminals green');
  // List checks run at most every 200 ms and name every row changed since the last one: a test that
  // opened its streams inside that window would hear of the fleet's arrival too. This stream hears
  // the check that announces 13 turning amber, so everything before it has been announced.
  const settled = await openLive('/fleet/live');
  // Red: 4, 10, 18 (paper out); amber: 13 (disk low).
  for (const n of [4, 10, 18]) await sim(n).setAlert('printer-paper-out', true);
  await sim(13).setAlert('disk-low', true);
  await until(() => healthOf(18) === 'red' && healthOf(13) === 'amber', 10_000, 'alerts shown');
  while (!(await settled.next()).includes(id(13)));
  settled.close();
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await console_?.close();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet console list at scale', () => {
  it('shows one page of the filtered list, red and amber first, with pages that keep the filter', async () => {
    const first = (await tech.get('/fleet')).body;
    expect(shown(first)).toEqual([id(4), id(10), id(18), id(13), id(1)]);
    expect(first).toContain('data-testid="count-green"><b>116</b>');
    expect(first).toContain(`data-page="1" data-pages="${size / pageSize}"`);
    expect(first).toContain('href="/fleet?page=2" rel="next"');

    const last = (await tech.get(`/fleet?page=${size / pageSize}`)).body;
    expect(shown(last)).toEqual([id(116), id(117), id(118), id(119), id(120)]);
    // Past the end: the last page, not an empty one.
    expect(shown((await tech.get('/fleet?page=999')).body)).toEqual(shown(last));

    // Search and filters cover the whole fleet, then page.
    const village = (await tech.get(`/fleet?q=${encodeURIComponent('柳溪村1组')}`)).body;
    expect(shown(village)).toEqual([id(1)]);
    const red = (await tech.get('/fleet?alert=printer-paper-out')).body;
    expect(shown(red)).toEqual([id(4), id(10), id(18)]);
    expect(red).not.toContain('data-testid="pager"');
    const green2 = (await tech.get('/fleet?health=green&page=2')).body;
    expect(shown(green2)).toEqual([7, 8, 9, 11, 12].map(id));
    expect(green2).toContain('href="/fleet?health=green" rel="prev"');
    expect(green2).toContain('href="/fleet?health=green&amp;page=3" rel="next"');
    // The JSON list comes in pages too, in id order.
    const json = JSON.parse((await tech.get(`/fleet/api/terminals?after=${id(100)}&limit=15`)).body) as {
      terminals: Array<{ terminal: string; health: string }>;
      next: string | null;
    };
    expect(json.terminals.map((t) => t.terminal)).toEqual(Array.from({ length: 15 }, (_, i) => id(101 + i)));
    expect(json.next).toBe(id(115));
    expect(JSON.parse((await tech.get(`/fleet/api/terminals?after=${id(115)}`)).body)).toMatchObject({ next: null });
    // The live refresh asks for the same page's content only.
    const fragment = (await tech.get('/fleet?health=green&page=2&fragment=1')).body;
    expect(fragment).not.toContain('<html');
    expect(shown(fragment)).toEqual(shown(green2));
  });

  it('tells a list page only about changes to what it shows', async () => {
    const page1 = mark((await tech.get('/fleet')).body);
    const lastPage = `/fleet/live?page=${size / pageSize}`;
    const page24 = mark((await tech.get(lastPage.replace('/live', ''))).body);
    const first = await openLive(`/fleet/live?since=${encodeURIComponent(page1)}`);
    const last = await openLive(`${lastPage}&since=${encodeURIComponent(page24)}`);
    try {
      // Acknowledging 4's alert changes its row on page 1 (who acknowledged), not the counts.
      const ack = /action="(\/fleet\/terminals\/[^/]+\/alerts\/\d+\/ack)"/.exec(
        (await tech.get(`/fleet/terminals/${id(4)}`)).body,
      )?.[1];
      expect((await tech.post(ack ?? '', {})).response.status).toBe(303);
      expect(await first.next()).toEqual([id(4)]);
      // 120 turning amber changes the counts (every page shows them) and leaves the last page.
      await sim(120).setAlert('disk-low', true);
      // The last page's first message is this one: the acknowledgement on page 1 was not announced to it.
      expect(await last.next()).toEqual([id(120)]);
      expect(await first.next()).toEqual([id(120)]);
      expect(shown((await tech.get('/fleet?page=1')).body)).toEqual([id(4), id(10), id(18), id(13), id(120)]);
    } finally {
      first.close();
      last.close();
      await sim(120).setAlert('disk-low', false);
      await until(() => healthOf(120) === 'green', 10_000, '120 green again');
    }
  });

  it('takes a broker restart storm in a few page checks, never listing the whole fleet', async () => {
    const list = await openLive(`/fleet/live?since=${encodeURIComponent(mark((await tech.get('/fleet')).body))}`);
    // As the page's script does: each message fetches the page's content again.
    let refreshes = 0;
    let closed = false;
    const following = (async () => {
      while (!closed) {
        await list.next();
        const fragment = (await tech.get('/fleet?fragment=1')).body;
        expect(shown(fragment)).toHaveLength(pageSize);
        refreshes += 1;
      }
    })().catch(() => undefined);
    const listPage = vi.spyOn(console_.store, 'listPage');
    const terminals = vi.spyOn(console_.store, 'terminals');
    const applyState = vi.spyOn(console_.store, 'applyState');
    try {
      const start = performance.now();
      const restartedAt = new Date().toISOString();
      await broker.stop();
      // While the broker is down, half the fleet runs low on paper: the storm after it carries real changes.
      const low = fleet.terminals.filter((_, i) => i >= 20 && i % 2 === 0);
      await Promise.all(low.map((t) => t.setAlert('printer-paper-near-end', true)));
      await broker.start();
      // Retained states on resubscribe, the console's queued session, and every terminal's reconnect.
      await until(
        () =>
          fleet.onlineCount() === size &&
          fleet.terminals.every((t) => {
            const view = console_.store.terminal(t.address.terminal);
            return view !== undefined && view.lastSeen >= restartedAt && view.health === t.health;
          }),
        30_000,
        'every terminal heard from again, in its colour',
      );
      const elapsed = performance.now() - start;
      expect(applyState.mock.calls.length).toBeGreaterThanOrEqual(size);
      // The open list stream's page is checked at most once per 200 ms, and fetched after each message.
      expect(listPage.mock.calls.length).toBeLessThanOrEqual(2 * (Math.ceil(elapsed / 200) + 1));
      expect(listPage.mock.calls.length).toBeLessThan(applyState.mock.calls.length / 4);
      expect(terminals).not.toHaveBeenCalled();
      // The open page heard of it (its counts changed) and fetched its own page, a few times at most.
      await until(() => refreshes > 0, 10_000, 'the page refreshed');
      expect(refreshes).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
      expect(low.length).toBe(50);
    } finally {
      closed = true;
      list.close();
      await following;
      listPage.mockRestore();
      terminals.mockRestore();
      applyState.mockRestore();
    }
  }, 60_000);
});
