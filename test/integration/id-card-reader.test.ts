import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdCardService, type IdCardServiceEvents } from '../../drivers/id-card/id-card-service';
import {
  startIdReaderSimulator,
  type IdReaderSimulator,
  type IdReaderSimulatorOptions,
} from '../../drivers/id-card/id-reader-simulator';
import { sampleCard, type SampleCardName } from '../../drivers/id-card/sample-cards';
import { recordingLog } from '../../foundation/log';
import { SerialTransport } from '../../drivers/transport/serial-transport';

/** The real stack (SerialTransport → driver → service) against the simulator over a socat PTY pair. */
type Recorded = {
  [K in keyof IdCardServiceEvents]: { event: K; payload: IdCardServiceEvents[K] };
}[keyof IdCardServiceEvents];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(simOptions: IdReaderSimulatorOptions = {}, commandTimeoutMs = 1000) {
  const sim: IdReaderSimulator = await startIdReaderSimulator(simOptions);
  cleanups.push(() => sim.stop());
  const log = recordingLog();
  const transport = new SerialTransport({ path: sim.devicePath, baudRate: 115200 });
  const opens = vi.spyOn(transport, 'open');
  const service = new IdCardService({
    transport,
    log,
    pollIntervalMs: 30,
    reconnectDelayMs: 100,
    commandTimeoutMs,
  });
  const events: Recorded[] = [];
  for (const event of ['status', 'card-read', 'card-removed', 'read-problem'] as const)
    service.on(event, (payload) => events.push({ event, payload } as Recorded));
  service.start();
  cleanups.push(() => service.stop());
  const waitFor = async (predicate: () => boolean, what: string, ms = 8000) => {
    const until = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > until)
        throw new Error(
          `timed out waiting for ${what}; events: ${JSON.stringify(events.map((e) => (e.event === 'status' ? e.payload : e.event)))}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const all = <K extends keyof IdCardServiceEvents>(event: K) =>
    events.filter((e) => e.event === event).map((e) => e.payload as IdCardServiceEvents[K]);
  return { sim, service, events, log, opens, waitFor, all };
}

const EXPECTED: Record<Exclude<SampleCardName, 'unsupported-y'>, object> = {
  'resident-long-term': {
    cardType: 'resident',
    name: '王建国',
    gender: 'male',
    nation: '汉',
    nationCode: '01',
    birthDate: '1944-03-15',
    idNumberValid: true,
    validUntil: 'long-term',
  },
  'resident-rare-char': {
    cardType: 'resident',
    name: '李𠮷',
    gender: 'female',
    nation: '壮',
    nationCode: '08',
    idNumber: '330106199007180245',
    idNumberValid: true,
    validUntil: '2035-07-20',
  },
  'resident-young': {
    cardType: 'resident',
    name: '陈小红',
    birthDate: '2001-02-03',
    address: '广东省深圳市福田区莲花路1001号花园小区5栋302室',
    idNumberValid: true,
    validFrom: '2019-03-01',
  },
  'foreigner-i': {
    cardType: 'foreign-permanent',
    name: '史约翰',
    englishName: 'SMITH, JOHN ALEXANDER',
    nationality: 'USA',
    idNumber: 'USA110088061501',
    nation: null,
    address: null,
  },
  'permit-j': {
    cardType: 'hk-mo-tw-permit',
    name: '黄志明',
    idNumber: '810000199204100014',
    idNumberValid: true,
    passNumber: 'H12345678',
    issueCount: 1,
    nation: null,
  },
};

describe('ID-card reader over a PTY', () => {
  it('reads every sample card, once per insertion, with its photo bytes', async () => {
    const { sim, waitFor, all, log } = await rig();
    for (const [name, expected] of Object.entries(EXPECTED) as [SampleCardName, object][]) {
      const before = all('card-read').length;
      sim.insertCard(name);
      await waitFor(() => all('card-read').length === before + 1, `card-read of ${name}`);
      const read = all('card-read')[before];
      expect(read?.card).toMatchObject(expected);
      expect(read?.photo).toEqual(sampleCard(name).photo);
      sim.removeCard();
      await waitFor(() => all('card-removed').length === before + 1, `card-removed of ${name}`);
    }
    expect(all('read-problem')).toEqual([]);
    expect(JSON.stringify(log.lines)).not.toMatch(/王建国|李|330106|H12345678|史约翰|SMITH/);
  });

  it('reports the unsupported Y card once while it stays', async () => {
    const { sim, waitFor, all } = await rig();
    sim.insertCard('unsupported-y');
    await waitFor(() => all('read-problem').length === 1, 'read-problem');
    expect(all('read-problem')[0]).toEqual({
      kind: 'unsupported-card',
      hint: 'use-another-document',
      cause: 'card-type:"Y"',
    });
    const commands = sim.commands.length;
    await waitFor(() => sim.commands.length > commands + 10, 'more polls');
    expect(all('read-problem')).toHaveLength(1);
    expect(all('card-read')).toHaveLength(0);
  });

  it('reads with 30 10 (fingerprint layout) as well', async () => {
    const sim = await startIdReaderSimulator({ card: 'resident-young' });
    cleanups.push(() => sim.stop());
    const service = new IdCardService({
      transport: new SerialTransport({ path: sim.devicePath, baudRate: 115200 }),
      log: recordingLog(),
      pollIntervalMs: 30,
      readLayout: 'text-photo-fingerprint',
    });
    const read = new Promise<IdCardServiceEvents['card-read']>((resolve) => service.on('card-read', resolve));
    service.start();
    cleanups.push(() => service.stop());
    const event = await read;
    expect(event.card.name).toBe('陈小红');
    expect(event.fingerprint).toEqual(sampleCard('resident-young').fingerprint);
    expect(sim.commands).toContain('read-text-photo-fingerprint');
  });

  it('sees no card under the no-card fault and reads it once the fault clears', async () => {
    const { sim, service, waitFor, all } = await rig({ card: 'resident-young' });
    sim.setFault('no-card');
    await waitFor(() => sim.commands.filter((c) => c === 'find-card').length >= 5, 'polls');
    expect(all('card-read')).toHaveLength(0);
    expect(service.status).toEqual({ state: 'ready' });
    sim.setFault(null);
    await waitFor(() => all('card-read').length === 1, 'card-read');
  });

  it('turns a moved card and a bad checksum into read problems, then reads', async () => {
    const { sim, service, waitFor, all } = await rig();
    sim.setFault('card-moved');
    sim.insertCard('resident-long-term');
    await waitFor(() => all('read-problem').some((p) => p.kind === 'card-moved'), 'card-moved');
    expect(all('read-problem')[0]).toEqual({ kind: 'card-moved', hint: 'hold-card-still', cause: 'sw3:41' });
    sim.setFault('checksum-error');
    await waitFor(() => all('read-problem').some((p) => p.kind === 'bad-read'), 'bad-read');
    expect(all('read-problem').find((p) => p.kind === 'bad-read')).toEqual({
      kind: 'bad-read',
      hint: 'place-card-again',
      cause: 'bad-checksum',
    });
    sim.setFault(null);
    await waitFor(() => all('card-read').length === 1, 'card-read');
    expect(all('card-read')[0]?.card.name).toBe('王建国');
    expect(service.status).toEqual({ state: 'ready' });
  });

  it.each(['noise-before-preamble', 'split-response'] as const)('reads through %s', async (fault) => {
    const { sim, waitFor, all } = await rig();
    sim.setFault(fault);
    sim.insertCard('permit-j');
    await waitFor(() => all('card-read').length === 1, 'card-read');
    expect(all('card-read')[0]?.card).toMatchObject(EXPECTED['permit-j']);
    expect(all('read-problem')).toEqual([]);
  });

  it('reads through slow answers within the timeout, and reports a reader slower than the timeout', async () => {
    const { sim, service, waitFor, all } = await rig({ slowAnswerMs: 300 }, 1000);
    sim.setFault('slow-answers');
    sim.insertCard('foreigner-i');
    await waitFor(() => all('card-read').length === 1, 'card-read');
    expect(all('card-read')[0]?.card).toMatchObject(EXPECTED['foreigner-i']);

    // Answers 2 s late against a 300 ms timeout: not even the retry after draining the line gets one.
    const slow = await rig({ slowAnswerMs: 2000 }, 300);
    slow.sim.setFault('slow-answers');
    await slow.waitFor(() => slow.service.status.state === 'error', 'error status');
    expect(slow.service.status).toEqual({ state: 'error', reason: 'the reader did not answer find-card in time' });
    slow.sim.setFault(null);
    slow.sim.insertCard('resident-young');
    await slow.waitFor(() => slow.all('card-read').length === 1, 'card-read after the reader recovered', 15_000);
    expect(service.status.state).toBe('ready');
  });

  it('survives the cable pulled in the middle of a card-read answer and reads after replug', async () => {
    const { sim, service, opens, waitFor, all } = await rig();
    await waitFor(() => service.status.state === 'ready', 'ready');
    const cut = sim.unplugMidFrame();
    sim.insertCard('resident-rare-char');
    await cut;
    await waitFor(() => service.status.state === 'no-device', 'no-device');
    expect(all('card-read')).toHaveLength(0);
    expect(all('read-problem')).toEqual([]);
    const opensBefore = opens.mock.calls.length;
    await waitFor(() => opens.mock.calls.length >= opensBefore + 2, 'two failed reopen attempts');
    expect(service.status.state).toBe('no-device');
    await sim.replug();
    await waitFor(() => all('card-read').length === 1, 'card-read after replug');
    expect(all('card-read')[0]?.card.name).toBe('李𠮷');
    expect(service.status).toEqual({ state: 'ready' });
  });

  it('ends presence when unplugged with a card on it, and self-tests the SAM', async () => {
    const { sim, service, waitFor, all } = await rig({ card: 'resident-young' });
    await waitFor(() => all('card-read').length === 1, 'card-read');
    expect(await service.selfTest()).toEqual({ ok: true, value: { samId: '05000100123456780000002A11223344' } });
    await sim.unplug();
    await waitFor(() => all('card-removed').length === 1, 'card-removed');
    expect(service.status.state).toBe('no-device');
    expect(await service.selfTest()).toMatchObject({ ok: false, error: { kind: 'no-device' } });
    await sim.replug();
    await waitFor(() => all('card-read').length === 2, 'read again after replug');
  });
});
