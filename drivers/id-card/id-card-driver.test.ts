import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdCardDriver } from './id-card-driver';
import { encodeIdCardText } from './id-card-text-encoder';
import { IdReaderModel } from './id-reader-model';
import { attachResponder, type ResponderHooks } from './id-reader-responder';
import { memoryLink } from '../transport/memory-link';
import { sampleCard } from './sample-cards';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function setup(
  options: {
    timeoutMs?: number;
    hooks?: ResponderHooks;
    slowAnswerMs?: number;
    retries?: number;
    drainMs?: number;
  } = {},
) {
  const link = memoryLink();
  const model = new IdReaderModel({ slowAnswerMs: options.slowAnswerMs ?? 50 });
  await link.device.open();
  await link.reader.open();
  const responder = attachResponder(model, link.reader, options.hooks);
  const driver = new IdCardDriver({
    transport: link.device,
    commandTimeoutMs: options.timeoutMs ?? 500,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.drainMs === undefined ? {} : { drainAfterTimeoutMs: options.drainMs }),
  });
  cleanups.push(() => {
    responder.stop();
    driver.dispose();
  });
  return { link, model, driver, responder };
}

describe('IdCardDriver', () => {
  it('finds, selects and reads a card (30 01 and 30 10)', async () => {
    const { model, driver } = await setup();
    expect(await driver.findCard()).toEqual({
      ok: false,
      error: { kind: 'status', command: 'find-card', status: { kind: 'no-card', sw3: 0x80 } },
    });
    model.insertCard('resident-young');
    expect(await driver.findCard()).toEqual({ ok: true, value: undefined });
    expect((await driver.selectCard()).ok).toBe(true);
    const card = sampleCard('resident-young');
    expect(await driver.readCard('text-photo')).toEqual({
      ok: true,
      value: { text: encodeIdCardText(card.text), photo: card.photo, fingerprint: new Uint8Array(0) },
    });
    expect(await driver.readCard('text-photo-fingerprint')).toMatchObject({
      ok: true,
      value: { fingerprint: card.fingerprint },
    });
  });

  it('runs the SAM commands', async () => {
    const { driver } = await setup();
    expect((await driver.resetSam()).ok).toBe(true);
    expect((await driver.samSelfCheck()).ok).toBe(true);
    expect(await driver.readSamId()).toEqual({ ok: true, value: '05000100123456780000002A11223344' });
  });

  it('runs one command at a time even when called concurrently', async () => {
    const { model, driver } = await setup();
    model.insertCard('permit-j');
    const [find, select, read, samId] = await Promise.all([
      driver.findCard(),
      driver.selectCard(),
      driver.readCard(),
      driver.readSamId(),
    ]);
    expect([find.ok, select.ok, read.ok, samId.ok]).toEqual([true, true, true, true]);
    expect(model.log).toEqual(['find-card', 'select-card', 'read-text-photo', 'read-sam-id']);
  });

  it('reports a bad checksum and a moved card as values, without retrying the read', async () => {
    const { model, driver } = await setup();
    model.insertCard('resident-young');
    model.setFault('checksum-error');
    expect(await driver.readCard()).toEqual({
      ok: false,
      error: { kind: 'bad-frame', command: 'read-text-photo', reason: 'bad-checksum' },
    });
    model.setFault('card-moved');
    expect(await driver.readCard()).toMatchObject({
      ok: false,
      error: { kind: 'status', status: { kind: 'read-failed' } },
    });
    expect(model.log.filter((c) => c === 'read-text-photo')).toHaveLength(2);
  });

  it('retries find after a lost answer', async () => {
    let cut = 1;
    const { model, driver } = await setup({
      timeoutMs: 150,
      hooks: { beforeChunk: (command) => (command === 'find-card' && cut-- > 0 ? 'cut' : 'send') },
    });
    model.insertCard('resident-young');
    expect((await driver.findCard()).ok).toBe(true);
    expect(model.log).toEqual(['find-card', 'find-card']);
  });

  it('times out when the reader does not answer', async () => {
    const { driver, responder } = await setup({ timeoutMs: 80 });
    responder.stop();
    const started = performance.now();
    expect(await driver.readCard()).toEqual({ ok: false, error: { kind: 'timeout', command: 'read-text-photo' } });
    expect(await driver.findCard()).toEqual({ ok: false, error: { kind: 'timeout', command: 'find-card' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 80 - 10);
  });

  it.each([
    [200, { ok: true, value: undefined }],
    [
      0,
      {
        ok: false,
        error: { kind: 'status', command: 'select-card', status: { kind: 'unexpected-status', sw3: 0x9f } },
      },
    ],
  ] as const)(
    'with a drain of %i ms after a timeout, the late answer is (not) taken for the next command',
    async (drainMs, expected) => {
      const { model, driver } = await setup({ timeoutMs: 100, slowAnswerMs: 180, retries: 0, drainMs });
      model.insertCard('resident-young');
      model.setFault('slow-answers');
      expect(await driver.findCard()).toEqual({ ok: false, error: { kind: 'timeout', command: 'find-card' } });
      model.setFault(null);
      expect(await driver.selectCard()).toEqual(expected);
    },
  );

  it('waits for slow answers within the timeout and survives noise and split answers', async () => {
    const { model, driver } = await setup({ timeoutMs: 400, slowAnswerMs: 150 });
    model.insertCard('foreigner-i');
    for (const fault of ['slow-answers', 'noise-before-preamble', 'split-response'] as const) {
      model.setFault(fault);
      expect((await driver.selectCard()).ok).toBe(true);
      expect((await driver.readCard()).ok).toBe(true);
    }
  });

  it('fails the pending command when the link goes away', async () => {
    const { link, model, driver } = await setup({ slowAnswerMs: 200 });
    model.setFault('slow-answers');
    const pending = driver.findCard();
    // Pull the cable once the reader has the request (its answer is due 200 ms later).
    await vi.waitFor(() => expect(model.log).toContain('find-card'), { timeout: 10_000 });
    link.unplug();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'transport', error: { kind: 'disconnected' } } });
    expect(await driver.findCard()).toMatchObject({ ok: false, error: { kind: 'transport' } });
  });
});
