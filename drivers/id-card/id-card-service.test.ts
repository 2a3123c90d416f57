import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Timers } from '../../foundation/clock';
import { recordingLog } from '../../foundation/log';
import { IdCardService, type IdCardServiceEvents } from './id-card-service';
import { IdReaderModel, type IdReaderModelOptions } from './id-reader-model';
import { attachResponder } from './id-reader-responder';
import { memoryLink } from '../transport/memory-link';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

type Recorded = {
  [K in keyof IdCardServiceEvents]: { event: K; payload: IdCardServiceEvents[K] };
}[keyof IdCardServiceEvents];

/**
 * The service's waits (poll interval, reconnect delay) on an injected clock that lets each one
 * pass at the next turn of the event loop and records what was asked for: the tests run the
 * default one-second polling at I/O speed, and never depend on how fast the machine is.
 */
function instantTimers(): Timers & { readonly waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    setTimeout: (fn, ms) => {
      waits.push(ms);
      return setImmediate(fn);
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
}

async function setup(modelOptions: IdReaderModelOptions = {}, serviceOptions: { commandTimeoutMs?: number } = {}) {
  const link = memoryLink();
  const model = new IdReaderModel(modelOptions);
  await link.reader.open();
  let responder = attachResponder(model, link.reader);
  const log = recordingLog();
  const timers = instantTimers();
  const opens = vi.spyOn(link.device, 'open');
  const service = new IdCardService({
    transport: link.device,
    log,
    timers,
    commandTimeoutMs: serviceOptions.commandTimeoutMs ?? 200,
  });
  const events: Recorded[] = [];
  for (const event of ['status', 'card-read', 'card-removed', 'read-problem'] as const) {
    service.on(event, (payload) => events.push({ event, payload } as Recorded));
  }
  service.start();
  stops.push(async () => {
    await service.stop();
    responder.stop();
  });
  const waitFor = async (predicate: (events: Recorded[]) => boolean, what: string, ms = 10_000) => {
    const until = Date.now() + ms;
    while (!predicate(events)) {
      if (Date.now() > until)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.event))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const count = (event: Recorded['event']) => events.filter((e) => e.event === event).length;
  const polls = async (n: number) => {
    const target = model.log.length + n;
    await waitFor(() => model.log.length >= target, `${n} more reader commands`);
  };
  const replugReader = async () => {
    link.replug();
    await link.reader.open();
    responder.stop();
    responder = attachResponder(model, link.reader);
  };
  const silence = () => responder.stop();
  const answerAgain = () => {
    responder = attachResponder(model, link.reader);
  };
  return {
    link,
    model,
    service,
    events,
    log,
    timers,
    opens,
    waitFor,
    count,
    polls,
    replugReader,
    silence,
    answerAgain,
  };
}

describe('IdCardService', () => {
  it('reads a card once while it stays (halting reader), reports removal, and reads it again when placed again', async () => {
    const t = await setup();
    await t.waitFor((e) => e.some((x) => x.event === 'status' && x.payload?.state === 'ready'), 'ready');
    t.model.insertCard('resident-long-term');
    await t.waitFor(() => t.count('card-read') === 1, 'card-read');
    const read = t.events.find((e) => e.event === 'card-read');
    expect(read?.payload).toMatchObject({
      card: { cardType: 'resident', name: '王建国', validUntil: 'long-term', idNumberValid: true },
    });
    await t.polls(20);
    expect(t.count('card-read')).toBe(1);
    expect(t.count('card-removed')).toBe(0);
    t.model.removeCard();
    const commandsBefore = t.model.log.length;
    await t.waitFor(() => t.count('card-removed') === 1, 'card-removed');
    // Two refused select probes, one per poll, then the removal (docs/devices/id-card-reader.md).
    expect(t.model.log.slice(commandsBefore).filter((c) => c === 'select-card')).toHaveLength(2);
    t.model.insertCard('resident-long-term');
    await t.waitFor(() => t.count('card-read') === 2, 'second card-read');
    expect(t.service.status).toEqual({ state: 'ready' });
    // Polling waited the default second each time; the clock made those seconds instant.
    expect(new Set(t.timers.waits)).toEqual(new Set([1000]));
  });

  it('reads once on a reader that keeps finding the card, and notices a swap', async () => {
    const t = await setup({ haltAfterRead: false });
    t.model.insertCard('resident-young');
    await t.waitFor(() => t.count('card-read') === 1, 'card-read');
    await t.polls(15);
    expect(t.count('card-read')).toBe(1);
    t.model.insertCard('permit-j');
    await t.waitFor(() => t.count('card-read') === 2, 'card-read of the second card');
    const order = t.events.filter((e) => e.event !== 'status').map((e) => e.event);
    expect(order).toEqual(['card-read', 'card-removed', 'card-read']);
  });

  it('turns a moved card, a bad checksum and an unsupported card into read problems and keeps going', async () => {
    const t = await setup();
    t.model.setFault('card-moved');
    t.model.insertCard('resident-young');
    await t.waitFor((e) => e.some((x) => x.event === 'read-problem'), 'read-problem');
    expect(t.events.find((e) => e.event === 'read-problem')?.payload).toEqual({
      kind: 'card-moved',
      hint: 'hold-card-still',
      cause: 'sw3:41',
    });
    t.model.setFault('checksum-error');
    await t.waitFor((e) => e.some((x) => x.event === 'read-problem' && x.payload.kind === 'bad-read'), 'bad-read');
    t.model.setFault(null);
    await t.waitFor(() => t.count('card-read') === 1, 'card-read after faults');

    t.model.insertCard('unsupported-y');
    await t.waitFor(
      (e) => e.some((x) => x.event === 'read-problem' && x.payload.kind === 'unsupported-card'),
      'unsupported',
    );
    await t.polls(10);
    expect(t.events.filter((e) => e.event === 'read-problem' && e.payload.kind === 'unsupported-card')).toHaveLength(1);
    expect(
      t.events.find((e) => e.event === 'read-problem' && e.payload.kind === 'unsupported-card')?.payload,
    ).toMatchObject({ hint: 'use-another-document', cause: 'card-type:"Y"' });
  });

  it('sees nothing under the no-card fault', async () => {
    const t = await setup();
    t.model.setFault('no-card');
    t.model.insertCard('resident-young');
    await t.polls(10);
    expect(t.count('card-read')).toBe(0);
    expect(t.service.status).toEqual({ state: 'ready' });
  });

  it('goes no-device when unplugged, ends presence, and recovers when plugged back', async () => {
    const t = await setup();
    t.model.insertCard('foreigner-i');
    await t.waitFor(() => t.count('card-read') === 1, 'card-read');
    t.link.unplug();
    await t.waitFor(() => t.service.status.state === 'no-device', 'no-device');
    expect(t.count('card-removed')).toBe(1);
    const opensBefore = t.opens.mock.calls.length;
    await t.waitFor(() => t.opens.mock.calls.length >= opensBefore + 3, 'three failed reopen attempts');
    expect(t.service.status.state).toBe('no-device');
    expect(t.timers.waits).toContain(2000); // the default reconnect delay
    await t.replugReader();
    t.model.insertCard('foreigner-i');
    await t.waitFor(() => t.count('card-read') === 2, 'card-read after replug');
    expect(t.service.status).toEqual({ state: 'ready' });
  });

  it('reports a silent reader as an error and recovers when it answers', async () => {
    const t = await setup({}, { commandTimeoutMs: 60 });
    await t.waitFor(() => t.service.status.state === 'ready', 'ready');
    t.silence();
    await t.waitFor(() => t.service.status.state === 'error', 'error status');
    expect(t.service.status).toEqual({ state: 'error', reason: 'the reader did not answer find-card in time' });
    t.answerAgain();
    await t.waitFor(() => t.service.status.state === 'ready', 'ready again');
  });

  it('does not take a silent reader for a removed card', async () => {
    const t = await setup({}, { commandTimeoutMs: 60 });
    t.model.insertCard('resident-young');
    await t.waitFor(() => t.count('card-read') === 1, 'card-read');
    t.silence();
    await t.waitFor(() => t.service.status.state === 'error', 'error status');
    t.answerAgain();
    await t.waitFor(() => t.service.status.state === 'ready', 'ready again');
    await t.polls(10);
    expect(t.count('card-removed')).toBe(0);
    expect(t.count('card-read')).toBe(1);
  });

  it('self-tests the SAM', async () => {
    const t = await setup();
    await t.waitFor(() => t.service.status.state === 'ready', 'ready');
    expect(await t.service.selfTest()).toEqual({ ok: true, value: { samId: '05000100123456780000002A11223344' } });
  });

  it('survives a throwing listener and never logs personal data', async () => {
    const t = await setup();
    t.service.on('card-read', () => {
      throw new Error('listener bug');
    });
    for (const name of ['resident-rare-char', 'permit-j'] as const) {
      t.model.removeCard();
      await t.polls(4);
      t.model.insertCard(name);
      await t.waitFor((e) => e.filter((x) => x.event === 'card-read').length === (name === 'permit-j' ? 2 : 1), name);
    }
    const logged = JSON.stringify(t.log.lines);
    for (const secret of ['李', '黄志明', '330106199007180245', '810000199204100014', '杭州', 'H12345678'])
      expect(logged).not.toContain(secret);
    expect(logged).toContain('card read');
    expect(logged).toContain('listener bug');
  });
});
