import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrinterSimulator, type PrinterSimulator } from '../../drivers/printer/printer-simulator';
import { runCliCaptured } from '../support/cli-capture';

/**
 * `kiosk printer test|status` against the printer simulator (PTY and TCP), and the bytes of
 * `printer test --qr X` checked by an independent ESC/POS reader (test/support/escpos_check.py,
 * Python stdlib, written from docs/devices/receipt-printer.md without our encoder: no npm or Debian decoder exists).
 */
const root = join(import.meta.dirname, '..', '..');
const checker = join(root, 'test', 'support', 'escpos_check.py');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const cli = runCliCaptured;

async function simulator(options: Parameters<typeof startPrinterSimulator>[0] = {}): Promise<PrinterSimulator> {
  const sim = await startPrinterSimulator(options);
  cleanups.push(() => sim.stop());
  return sim;
}

interface CheckResult {
  ok: boolean;
  error?: string;
  lines: string[];
  qr: { declared: number; actual: number; payload: string }[];
  cuts: number;
}

async function thirdPartyCheck(bytes: Buffer): Promise<CheckResult> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-escpos-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'job.bin');
  await writeFile(file, bytes);
  const { stdout } = await promisify(execFile)('python3', [checker, file]).catch((e: { stdout: string }) => ({
    stdout: e.stdout,
  }));
  return JSON.parse(stdout) as CheckResult;
}

describe('kiosk printer test', () => {
  it('--lp FILE: the bytes pass the independent checker with 打印测试, the QR length fields matching X, and a cut', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-lp-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const lp = join(dir, 'lp0');
    await writeFile(lp, ''); // the device node exists; the transport never creates one
    const payload = '回执校验 https://example.invalid/r?c=A-2026-0001&v=123456';
    const run = await cli(
      'printer',
      'test',
      '--lp',
      lp,
      '--width',
      '58',
      '--qr',
      payload,
      '--terminal-id',
      'QS-LX-0009',
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toContain('status: not available over --lp');
    const bytes = await readFile(lp);
    const check = await thirdPartyCheck(bytes);
    expect(check.error).toBeUndefined();
    expect(check.ok).toBe(true);
    expect(check.lines).toContain('打印测试');
    expect(check.lines.some((l) => l.includes('QS-LX-0009'))).toBe(true);
    expect(check.qr).toEqual([{ declared: Buffer.byteLength(payload), actual: Buffer.byteLength(payload), payload }]);
    expect(check.cuts).toBe(1);
  });

  it('the checker is strict: it rejects a QR store whose length field lies, and garbage GBK', async () => {
    const lying = Buffer.from([0x1d, 0x28, 0x6b, 0x09, 0x00, 0x31, 0x50, 0x30, 0x41]);
    expect((await thirdPartyCheck(lying)).ok).toBe(false);
    const badGbk = Buffer.from([0x1c, 0x26, 0xb4, 0x0a]);
    expect((await thirdPartyCheck(badGbk)).ok).toBe(false);
  });

  it('--port: prints on the simulator (text, QR, cut) and reports the status', async () => {
    const sim = await simulator({ width: 80 });
    const run = await cli('printer', 'test', '--port', sim.devicePath, '--qr', 'X-1', '--terminal-id', 'T-PTY');
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.at(-1)).toBe('status: {"online":true,"paper":"ok","coverOpen":false,"error":null}');
    const [printed] = sim.receipts();
    expect(printed?.text.split('\n')[0]).toBe('打印测试');
    expect(printed?.text).toContain('T-PTY');
    expect(printed?.qrPayloads).toEqual(['X-1']);
    expect(printed?.cut).toBe(true);
  });

  it('--tcp: prints on a network printer (the simulator on loopback TCP)', async () => {
    const sim = await simulator({ tcp: true, width: 58 });
    const run = await cli('printer', 'test', '--tcp', sim.devicePath, '--width', '58', '--qr', 'NET');
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(sim.receipts().map((r) => [r.qrPayloads, r.cut])).toEqual([[['NET'], true]]);
  });

  it('takes the terminal id from --config, else prints UNCONFIGURED', async () => {
    const sim = await simulator({ width: 58 });
    expect((await cli('printer', 'test', '--port', sim.devicePath, '--width', '58')).code).toBe(0);
    expect(sim.receipts()[0]?.text).toContain('UNCONFIGURED');
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-cfg-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ terminal: { id: 'CFG-0042', code: 'CFG042', name: '测试终端' } }));
    const run = await cli('printer', 'test', '--port', sim.devicePath, '--width', '58', '--config', config);
    expect(run.err).toEqual([]);
    expect(sim.receipts()[1]?.text).toContain('CFG-0042');
  });

  it('with the cover open: nothing prints, one line on stderr, exit 1', async () => {
    const sim = await simulator();
    sim.setState({ coverOpen: true });
    const run = await cli('printer', 'test', '--port', sim.devicePath);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['kiosk: printer: printer cover is open (cover-open)']);
    expect(sim.receipts()).toEqual([]);
  });

  it('bad arguments exit 2', async () => {
    expect((await cli('printer', 'test')).code).toBe(2);
    expect((await cli('printer', 'test', '--port', '/dev/null', '--tcp', 'a:1')).code).toBe(2);
    expect((await cli('printer', 'test', '--port', '/dev/null', '--width', '76')).code).toBe(2);
    expect((await cli('printer', 'status', '--lp', '/dev/null')).code).toBe(2);
  });
});

describe('kiosk printer status', () => {
  it.each([
    ['ready', {}, { online: true, paper: 'ok', coverOpen: false, error: null }],
    [
      'paper near end',
      { paper: 'near-end' as const },
      { online: true, paper: 'near-end', coverOpen: false, error: null },
    ],
    ['paper out', { paper: 'out' as const }, { online: false, paper: 'out', coverOpen: false, error: null }],
    ['cover open', { coverOpen: true }, { online: false, paper: 'ok', coverOpen: true, error: null }],
    ['offline', { online: false }, { online: false, paper: 'ok', coverOpen: false, error: null }],
    ['cutter error', { error: 'cutter' as const }, { online: true, paper: 'ok', coverOpen: false, error: 'cutter' }],
  ])('--json over a PTY: %s', async (_name, state, expected) => {
    const sim = await simulator();
    sim.setState(state);
    const run = await cli('printer', 'status', '--port', sim.devicePath, '--json');
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.join(''))).toEqual(expected);
  });

  it('--tcp against the simulator in TCP mode', async () => {
    const sim = await simulator({ tcp: true });
    sim.setState({ paper: 'near-end' });
    const run = await cli('printer', 'status', '--tcp', sim.devicePath);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      'state:  paper-near-end',
      'online: yes',
      'paper:  near-end',
      'cover:  closed',
      'error:  none',
    ]);
  });

  it('a printer that does not answer: exit 1 with the reason', async () => {
    const sim = await simulator();
    sim.setState({ responding: false });
    const run = await cli('printer', 'status', '--port', sim.devicePath, '--json');
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/did not answer/);
  });

  it('an unplugged port: exit 1 saying so', async () => {
    const run = await cli('printer', 'status', '--port', '/tmp/kiosk-no-such-printer', '--json');
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/does not exist/);
  });
});

describe('kiosk simulate printer', () => {
  it('prints its device path and the receipts it gets', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'electron', 'cli', 'kiosk.mjs'), 'simulate', 'printer', '--width', '58'],
      { cwd: root },
    );
    cleanups.push(async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const waitFor = async (pattern: RegExp) => {
      const end = Date.now() + 15_000;
      while (!pattern.test(text)) {
        if (Date.now() > end) throw new Error(`no ${pattern} in: ${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return pattern.exec(text);
    };
    const device = (await waitFor(/device (\S+)/))?.[1] ?? '';
    expect((await cli('printer', 'test', '--port', device, '--width', '58', '--qr', 'SIM')).code).toBe(0);
    await waitFor(/receipt 1: \d+ bytes, cut, QR: 1/);
    expect(text).toContain('| 打印测试');
  });
});
