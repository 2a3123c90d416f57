import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../foundation/clock';
import type { FleetEvent, OnlineState } from '../contract/fleet-payloads';
import { openConsoleStore, type ConsoleStore } from './console-store';

const county = 'qingshan';
const terminal = 'QS-LX-0001';
let dir: string;
let clock: ReturnType<typeof manualClock>;
let store: ConsoleStore;

const online = (alerts: OnlineState['alerts'] = []): OnlineState => ({
  v: 1,
  status: 'online',
  county,
  terminal,
  name: '柳溪村 1 号机',
  village: '柳溪村',
  version: '1.0.0',
  assignedVersion: null,
  startedAt: new Date(clock.now()).toISOString(),
  publishedAt: new Date(clock.now()).toISOString(),
  uptimeSeconds: 0,
  devices: { printer: { state: alerts.length > 0 ? 'paper-out' : 'ready' } },
  outbox: { depth: 0, oldestUnsentAt: null },
  diskFreeBytes: 1e10,
  clockOffsetMs: 0,
  lastResidentActivityAt: null,
  auditHead: null,
  notice: null,
  alerts,
});
const event = (
  seq: number,
  phase: FleetEvent['phase'],
  code: FleetEvent['code'] = 'printer-paper-out',
): FleetEvent => ({
  v: 1,
  county,
  terminal,
  stream: '6f1d2b9e-8d43-4c55-9a4e-1f6f6a0b7c11',
  seq,
  at: new Date(clock.now()).toISOString(),
  code,
  severity: code === 'database-restored' ? 'warning' : 'critical',
  phase,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'console-store-'));
  clock = manualClock();
  store = openConsoleStore({ path: join(dir, 'console.sqlite'), clock, retentionDays: 30 });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console store', () => {
  it('stores an event once however often QoS 1 delivers it, and colours the terminal by its open alerts', () => {
    store.applyState(terminal, county, online());
    expect(store.terminal(terminal)?.health).toBe('green');
    expect(store.applyEvent(event(1, 'raised'))).toBe(true);
    expect(store.applyEvent(event(1, 'raised'))).toBe(false);
    expect(store.events(terminal, 10)).toHaveLength(1);
    expect(store.terminal(terminal)?.health).toBe('red');
    store.applyEvent(event(2, 'cleared'));
    expect(store.terminal(terminal)?.health).toBe('green');
  });

  it('takes the alerts listed in a state as the truth when an event was missed', () => {
    store.applyState(
      terminal,
      county,
      online([{ code: 'printer-paper-out', severity: 'critical', since: new Date(clock.now()).toISOString() }]),
    );
    expect(store.terminal(terminal)?.alerts.map((a) => a.code)).toEqual(['printer-paper-out']);
    store.applyState(terminal, county, online());
    expect(store.terminal(terminal)?.alerts).toEqual([]);
  });

  it('records who acknowledged a condition and when; an acknowledged happening closes', () => {
    store.applyState(terminal, county, online());
    store.applyEvent(event(1, 'raised'));
    store.applyEvent(event(2, 'once', 'database-restored'));
    const [paper, restored] = store.terminal(terminal)?.alerts ?? [];
    clock.advance(60_000);
    expect(store.acknowledge(terminal, paper?.id ?? -1, 'li.na')).toBe(true);
    expect(store.acknowledge(terminal, paper?.id ?? -1, 'wang.wei')).toBe(false);
    expect(store.terminal(terminal)?.alerts[0]).toMatchObject({
      ackedBy: 'li.na',
      ackedAt: new Date(clock.now()).toISOString(),
    });
    expect(store.acknowledge(terminal, restored?.id ?? -1, 'li.na')).toBe(true);
    expect(store.terminal(terminal)?.alerts.map((a) => a.code)).toEqual(['printer-paper-out']);
  });

  it('counts availability from online and offline intervals', () => {
    store.applyState(terminal, county, online());
    clock.advance(3 * 3600_000);
    store.applyState(terminal, county, {
      v: 1,
      status: 'offline',
      county,
      terminal,
      reason: 'connection-lost',
      at: new Date(clock.now()).toISOString(),
    });
    clock.advance(3600_000);
    expect(store.availability(terminal, 7)).toBeCloseTo(0.75, 5);
    store.flush();
    expect(store.availability(terminal, 7)).toBeCloseTo(0.75, 5);
    expect(store.availability('QS-NEVER-SEEN', 7)).toBeNull();
  });

  it("counts a day's availability for every terminal in one query, as the per-terminal figure does", () => {
    const offline = (id: string) => ({
      v: 1 as const,
      status: 'offline' as const,
      county,
      terminal: id,
      reason: 'connection-lost' as const,
      at: new Date(clock.now()).toISOString(),
    });
    const start = clock.now();
    store.applyState(terminal, county, online());
    clock.advance(6 * 3600_000);
    store.applyState('QS-LX-0002', county, { ...online(), terminal: 'QS-LX-0002' }); // first seen at 06:00
    clock.advance(6 * 3600_000);
    store.applyState(terminal, county, offline(terminal)); // 12:00 – 18:00 away
    store.flush();
    clock.advance(6 * 3600_000);
    store.applyState(terminal, county, online()); // not yet written: counted all the same
    clock.advance(6 * 3600_000);
    const day = store.availabilityBetween(new Date(start).toISOString(), new Date(start + 86_400_000).toISOString());
    expect(day.get(terminal)).toBeCloseTo(0.75, 5);
    expect(day.get(terminal)).toBeCloseTo(store.availability(terminal, 1) ?? -1, 5);
    expect(day.get('QS-LX-0002')).toBeCloseTo(1, 5);
    // A window ending before now counts up to its end; before a terminal was first seen, it is not listed.
    const morning = store.availabilityBetween(
      new Date(start).toISOString(),
      new Date(start + 15 * 3600_000).toISOString(),
    );
    expect(morning.get(terminal)).toBeCloseTo(12 / 15, 5);
    expect(
      store.availabilityBetween(new Date(start - 3600_000).toISOString(), new Date(start).toISOString()).size,
    ).toBe(0);
  });

  it("counts a day's alerts per code in the database, and lists only as many as asked", () => {
    store.applyState(terminal, county, online());
    store.applyEvent(event(1, 'raised'));
    store.applyEvent(event(2, 'cleared'));
    store.applyEvent(event(3, 'raised'));
    store.applyEvent(event(4, 'once', 'database-restored'));
    const [paper] = store.terminal(terminal)?.alerts ?? [];
    store.acknowledge(terminal, paper?.id ?? -1, 'li.na');
    const from = new Date(clock.now() - 1000).toISOString();
    const to = new Date(clock.now() + 1000).toISOString();
    expect(store.alertCountsBetween(from, to)).toEqual([
      { code: 'printer-paper-out', raised: 2, open: 1, acknowledged: 1 },
      { code: 'database-restored', raised: 1, open: 1, acknowledged: 0 },
    ]);
    expect(store.alertsRaisedBetween(from, to, 2)).toHaveLength(2);
    expect(store.alertsRaisedBetween(from, to)).toHaveLength(3);
  });

  it('keeps the list across a restart (the view a restarted console starts from)', () => {
    store.applyState(terminal, county, online());
    store.applyEvent(event(1, 'raised'));
    store.close();
    store = openConsoleStore({ path: join(dir, 'console.sqlite'), clock, retentionDays: 30 });
    expect(store.terminal(terminal)).toMatchObject({ status: 'online', health: 'red' });
  });

  it('keeps every state of a burst in order, the last one winning, though they are written once a second', () => {
    const notice = (text: string) => ({ ...online(), notice: { text, until: '2030-01-01T00:00:00.000Z' } });
    for (const text of ['一', '二', '三']) {
      clock.advance(1);
      store.applyState(terminal, county, notice(text));
    }
    store.close();
    store = openConsoleStore({ path: join(dir, 'console.sqlite'), clock, retentionDays: 30 });
    expect(store.terminal(terminal)?.state?.notice?.text).toBe('三');
    const since = new Date(0).toISOString();
    expect(store.samples(terminal, since, 10).map((s) => s.state?.notice?.text)).toEqual(['三', '二', '一']);
  });

  it('takes a state arriving again byte for byte as "seen", and nothing else (a restarted console, retained states)', () => {
    const text = JSON.stringify(online());
    expect(store.seenUnchanged(terminal, text)).toBe(false); // never seen: validate and apply it
    store.applyState(terminal, county, online(), text);
    clock.advance(60_000);
    expect(store.seenUnchanged(terminal, text)).toBe(true);
    expect(store.terminal(terminal)?.lastSeen).toBe(new Date(clock.now()).toISOString());
    // Other bytes (a changed or tampered state) must go through validation again.
    expect(store.seenUnchanged(terminal, text.replace('"uptimeSeconds":0', '"uptimeSeconds":-1'))).toBe(false);
    expect(store.seenUnchanged(terminal, ` ${text}`)).toBe(false);
    store.close();
    // After a restart the stored text is the one compared against: no parsing of 10,000 retained states.
    store = openConsoleStore({ path: join(dir, 'console.sqlite'), clock, retentionDays: 30 });
    expect(store.seenUnchanged(terminal, text)).toBe(true);
    expect(store.samples(terminal, new Date(0).toISOString(), 10)).toHaveLength(1);
    // A history sample is still due every sampleEveryMs (15 min), so then it is applied in full.
    clock.advance(15 * 60_000);
    expect(store.seenUnchanged(terminal, text)).toBe(false);
  });

  it('applies a repeated state in full once an event changed the alerts it would restore', () => {
    const since = new Date(clock.now()).toISOString();
    const red = online([{ code: 'printer-paper-out', severity: 'critical', since }]);
    const text = JSON.stringify(red);
    store.applyState(terminal, county, red, text);
    store.applyEvent(event(1, 'cleared'));
    expect(store.seenUnchanged(terminal, text)).toBe(false);
    // The same after a restart (the retained state comes again), as the stored state is compared then.
    store.close();
    store = openConsoleStore({ path: join(dir, 'console.sqlite'), clock, retentionDays: 30 });
    expect(store.seenUnchanged(terminal, text)).toBe(false);
    store.applyState(terminal, county, red, text);
    expect(store.terminal(terminal)?.health).toBe('red');
    expect(store.seenUnchanged(terminal, text)).toBe(true);
    // An offline terminal's repeated online state is news too (it came back).
    store.applyState(terminal, county, { v: 1, status: 'offline', county, terminal, reason: 'shutdown', at: since });
    expect(store.seenUnchanged(terminal, text)).toBe(false);
  });

  it('samples history on a change a person would notice, not on uptime or publish time alone', () => {
    const base = online();
    const later = (seconds: number, changes: Partial<OnlineState> = {}): OnlineState => ({
      ...base,
      publishedAt: new Date(clock.now()).toISOString(),
      uptimeSeconds: seconds,
      ...changes,
    });
    store.applyState(terminal, county, base);
    clock.advance(60_000);
    store.applyState(terminal, county, later(60, { diskFreeBytes: 9e9, clockOffsetMs: 12 }));
    clock.advance(60_000);
    const nearEnd = { devices: { printer: { state: 'paper-near-end' } } };
    store.applyState(terminal, county, later(120, nearEnd));
    clock.advance(60_000);
    store.applyState(terminal, county, later(180, nearEnd));
    store.flush();
    const states = store
      .samples(terminal, new Date(0).toISOString(), 10)
      .map((s) => s.state?.devices['printer']?.state);
    expect(states).toEqual(['paper-near-end', 'ready']);
  });

  it('forgets history older than the retention period', () => {
    store.applyState(terminal, county, online());
    store.applyEvent(event(1, 'raised'));
    store.flush();
    clock.advance(31 * 86_400_000);
    store.prune();
    expect(store.events(terminal, 10)).toEqual([]);
    expect(store.terminal(terminal)).toBeDefined();
  });

  it('pages the list red and amber first, then offline, then green, each by id, with the fleet counts', () => {
    // 12 terminals, arrived out of order: 0..11; every 4th red, every 4th+1 amber (disk low), 10 offline.
    const ids = Array.from({ length: 12 }, (_, i) => `QS-LX-${String(i).padStart(4, '0')}`);
    for (const id of [...ids].reverse()) {
      const i = Number(id.slice(-4));
      const alerts: OnlineState['alerts'] =
        i % 4 === 0
          ? [{ code: 'printer-paper-out', severity: 'critical', since: online().publishedAt }]
          : i % 4 === 1
            ? [{ code: 'disk-low', severity: 'warning', since: online().publishedAt }]
            : [];
      store.applyState(id, county, { ...online(alerts), terminal: id, village: i < 6 ? '柳溪村' : '石门村' });
    }
    store.applyState('QS-LX-0010', county, {
      v: 1,
      status: 'offline',
      county,
      terminal: 'QS-LX-0010',
      reason: 'connection-lost',
      at: online().publishedAt,
    });
    const order = (offset: number, limit: number, filter = {}) =>
      store.listPage(filter, offset, limit).rows.map((r) => `${r.terminal.slice(-2)}${r.health[0] ?? ''}`);
    expect(order(0, 5)).toEqual(['00r', '04r', '08r', '01a', '05a']);
    expect(order(5, 5)).toEqual(['09a', '10g', '02g', '03g', '06g']);
    // A page past the end shows the last one.
    expect(order(50, 5)).toEqual(['07g', '11g']);
    const page = store.listPage({}, 0, 5);
    expect(page.counts).toEqual({ red: 3, amber: 3, grey: 1, green: 5 });
    expect(page.matched).toBe(12);
    // Filters apply before paging; counts stay the fleet's.
    expect(order(0, 5, { health: 'red' })).toEqual(['00r', '04r', '08r']);
    expect(order(0, 5, { alert: 'disk-low' })).toEqual(['01a', '05a', '09a']);
    expect(order(0, 5, { text: '石门' })).toEqual(['08r', '09a', '10g', '06g', '07g']);
    expect(order(0, 5, { text: 'lx-0003' })).toEqual(['03g']);
    expect(store.listPage({ text: '石门' }, 5, 5)).toMatchObject({ matched: 6, offset: 5, counts: page.counts });
    expect(store.listPage({ text: 'nowhere' }, 0, 5)).toMatchObject({ matched: 0, offset: 0, rows: [] });
  });

  it('answers the list in id order, page after page, for the JSON list', () => {
    for (const n of [3, 1, 2, 5, 4])
      store.applyState(`QS-LX-000${n}`, county, { ...online(), terminal: `QS-LX-000${n}` });
    const ids = (after: string, limit: number) => store.terminalsAfter(after, limit).map((t) => t.terminal.slice(-1));
    expect(ids('', 2)).toEqual(['1', '2']);
    expect(ids('QS-LX-0002', 2)).toEqual(['3', '4']);
    expect(ids('QS-LX-0004', 2)).toEqual(['5']);
    expect(ids('QS-LX-0005', 2)).toEqual([]);
    // An id that is not (or no longer) listed still finds its place.
    expect(ids('QS-LX-00025', 2)).toEqual(['3', '4']);
  });
});
