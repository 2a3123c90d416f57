import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIdReaderSimulator } from '../../drivers/id-card/id-reader-simulator';
import { sampleCard, SAMPLE_CARD_NAMES, type SampleCardName } from '../../drivers/id-card/sample-cards';
import { openPtyPair } from '../../drivers/simulators/pty';
import { runCliCaptured } from '../support/cli-capture';

/** `kiosk id-card read` against our simulator and against an independent Python reader emulator. */
const root = join(import.meta.dirname, '..', '..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const cli = runCliCaptured;

function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms; got: ${text}`)), ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const m = text.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  });
}

function track(child: ChildProcessWithoutNullStreams) {
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
  return child;
}

/** Starts the Python emulator on a fresh PTY pair with the card's fields as JSON; returns the device path. */
async function startThirdPartyReader(name: SampleCardName): Promise<string> {
  const pty = await openPtyPair();
  cleanups.push(() => pty.close());
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-idcard-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const card = sampleCard(name);
  const file = join(dir, 'card.json');
  await writeFile(
    file,
    JSON.stringify({
      text: card.text,
      photoHex: Buffer.from(card.photo).toString('hex'),
      fingerprintHex: Buffer.from(card.fingerprint).toString('hex'),
    }),
  );
  const child = track(
    spawn('python3', [
      join(root, 'test/support/third-party-id-reader.py'),
      '--port',
      pty.simulatorPath,
      '--card-json',
      file,
    ]),
  );
  await waitForLine(child, /^ready$/m);
  return pty.devicePath;
}

async function ourReader(
  name: SampleCardName,
  fault?: Parameters<Awaited<ReturnType<typeof startIdReaderSimulator>>['setFault']>[0],
) {
  const sim = await startIdReaderSimulator({ card: name });
  cleanups.push(() => sim.stop());
  if (fault !== undefined) sim.setFault(fault);
  return sim.devicePath;
}

describe('kiosk id-card read', () => {
  it.each(SAMPLE_CARD_NAMES)(
    'gives identical results from our simulator and a third-party emulator: %s',
    async (name) => {
      const ours = await cli('id-card', 'read', '--port', await ourReader(name), '--json', '--timeout', '30');
      const theirs = await cli(
        'id-card',
        'read',
        '--port',
        await startThirdPartyReader(name),
        '--json',
        '--timeout',
        '30',
      );
      // Identical but for the waiting line, which names each reader's own port.
      expect({ ...theirs, progress: [] }).toEqual({ ...ours, progress: [] });
      if (name === 'unsupported-y') {
        expect(ours.code).toBe(1);
        expect(ours.err).toEqual(['kiosk: this card type is not supported (card-type:"Y")']);
        return;
      }
      expect(ours.code).toBe(0);
      expect(ours.out).toHaveLength(1);
      const json = JSON.parse(ours.out[0] ?? '') as Record<string, unknown>;
      const base = [
        'cardType',
        'name',
        'gender',
        'nation',
        'nationCode',
        'birthDate',
        'address',
        'idNumber',
        'idNumberValid',
        'issuer',
        'validFrom',
        'validUntil',
        'photoBytes',
      ];
      const extra =
        json['cardType'] === 'foreign-permanent'
          ? ['englishName', 'nationality']
          : json['cardType'] === 'hk-mo-tw-permit'
            ? ['passNumber', 'issueCount']
            : [];
      expect(Object.keys(json)).toEqual([...base, ...extra]);
      expect(json['photoBytes']).toBe(1024);
      expect(json['idNumberValid']).toBe(true);
    },
  );

  it('prints the exact JSON for the long-term resident', async () => {
    const r = await cli('id-card', 'read', '--port', await startThirdPartyReader('resident-long-term'), '--json');
    expect(r.out).toEqual([
      '{"cardType":"resident","name":"王建国","gender":"male","nation":"汉","nationCode":"01","birthDate":"1944-03-15","address":"北京市朝阳区幸福村东街12号","idNumber":"110105194403150136","idNumberValid":true,"issuer":"北京市公安局朝阳分局","validFrom":"2010-06-01","validUntil":"long-term","photoBytes":1024}',
    ]);
  });

  it('masks personal fields without --json', async () => {
    const r = await cli('id-card', 'read', '--port', await ourReader('resident-rare-char'), '--timeout', '30');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain('name:        李*');
    expect(text).toContain('330106********0245 (check digit valid)');
    expect(text).toContain('1990-**-**');
    expect(text).not.toContain('330106199007180245');
    expect(text).not.toContain('龙井路');
  });

  it.each([
    ['card-moved', /^kiosk: the card was moved while it was read \(sw3:41\); hold it still/],
    ['checksum-error', /^kiosk: the card could not be read correctly \(bad-checksum\); place it again$/],
  ] as const)('reports %s in one line and exits non-zero', async (fault, line) => {
    const r = await cli(
      'id-card',
      'read',
      '--port',
      await ourReader('resident-young', fault),
      '--json',
      '--timeout',
      '30',
    );
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(line);
  });

  it('reports a missing reader, a wait without a card and bad arguments', async () => {
    const missing = await cli('id-card', 'read', '--port', '/nonexistent/kiosk-idreader');
    expect(missing).toEqual({
      code: 1,
      out: [],
      err: ['kiosk: no reader: serial port /nonexistent/kiosk-idreader does not exist (unplugged or wrong path)'],
      progress: [],
    });

    const sim = await startIdReaderSimulator();
    cleanups.push(() => sim.stop());
    const started = Date.now();
    const empty = await cli('id-card', 'read', '--port', sim.devicePath, '--timeout', '1');
    expect(empty.code).toBe(1);
    // A person at a terminal is told what the command waits for (only on a TTY, so not in scripts).
    expect(empty.progress).toEqual([`kiosk: waiting up to 1 s for a card on ${sim.devicePath} …`]);
    expect(empty.err).toEqual([
      'kiosk: timeout: no card was read within 1 s (a card already read must be lifted and placed again)',
    ]);
    expect(Date.now() - started).toBeLessThan(4000);

    expect((await cli('id-card', 'read', '--port', sim.devicePath, '--baud', 'fast')).code).toBe(2);
    expect((await cli('id-card', 'read')).code).not.toBe(0);
  });

  it('runs as real processes: kiosk simulate id-reader and kiosk id-card read', async () => {
    const bin = join(root, 'electron/cli/kiosk.mjs');
    const sim = track(spawn(process.execPath, [bin, 'simulate', 'id-reader', '--card', 'foreigner-i'], { cwd: root }));
    const [, devicePath] = await waitForLine(sim, /device (\S+)/);
    const reader = track(
      spawn(process.execPath, [bin, 'id-card', 'read', '--port', devicePath ?? '', '--json', '--timeout', '10'], {
        cwd: root,
      }),
    );
    let stdout = '';
    reader.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    const code = await new Promise((r) => reader.once('exit', r));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      cardType: 'foreign-permanent',
      englishName: 'SMITH, JOHN ALEXANDER',
      nationality: 'USA',
      nation: null,
    });

    // The simulator's console: place another card by typing on its stdin.
    const acknowledged = waitForLine(sim, /ok: insert permit-j/);
    sim.stdin.write('insert permit-j\n');
    await acknowledged;
    const again = await cli('id-card', 'read', '--port', devicePath ?? '', '--json', '--timeout', '30');
    expect(JSON.parse(again.out[0] ?? '')).toMatchObject({ cardType: 'hk-mo-tw-permit', passNumber: 'H12345678' });
  });
});
