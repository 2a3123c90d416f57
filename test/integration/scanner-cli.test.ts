import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { CliExit } from '../../electron/cli/cli-io';
import { registerDevicesCommands } from '../../electron/cli/commands/devices';
import { startScannerSimulator, type ScannerSimulator } from '../../drivers/scanner/scanner-simulator';
import { ScannerService, type ScannedCode } from '../../drivers/scanner/scanner-service';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { runCliCaptured } from '../support/cli-capture';
import { until } from '../support/until';

/**
 * `kiosk devices list`, `kiosk scanner listen` and `kiosk simulate scanner`: in-process where the
 * command ends by itself, as a real `kiosk` process where it runs until Ctrl-C.
 */
const root = join(import.meta.dirname, '..', '..');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  out: () => string[];
  err: () => string;
  exited: Promise<number | null>;
}

function kiosk(...args: string[]): Running {
  const child = spawn(process.execPath, [join(root, 'electron', 'cli', 'kiosk.mjs'), ...args], { cwd: root });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return { child, out: () => out.split('\n').filter((l) => l !== ''), err: () => err, exited };
}

async function simulator(): Promise<ScannerSimulator> {
  const sim = await startScannerSimulator();
  cleanups.push(() => sim.stop());
  return sim;
}

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), progress: () => {} }, out, err };
}

const scannerHid = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  product: 'Voyager',
  release: 1,
  interface: 0,
  usagePage: 0x8c,
  usage: 2,
};

describe('kiosk devices list', () => {
  it('lists what this machine has (human and --json)', async () => {
    const text = await runCliCaptured('devices', 'list');
    expect(text.code).toBe(0);
    expect(text.out[0]).toMatch(/^serial ports \(\d+\):$/);
    expect(text.out.some((l) => /^HID devices \(\d+\):$/.test(l))).toBe(true);
    const json = await runCliCaptured('devices', 'list', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out.join('')) as { serial: unknown[]; hid: unknown[]; problems: unknown[] };
    expect(Array.isArray(parsed.serial) && Array.isArray(parsed.hid) && Array.isArray(parsed.problems)).toBe(true);
  });

  it('prints ids and the HID POS usage, and reports a failed source on stderr', async () => {
    const { io, out, err } = fakeIo();
    const program = new Command('kiosk').exitOverride();
    registerDevicesCommands(program, io, {
      serial: () =>
        Promise.resolve([{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng' }]),
      hid: () => Promise.reject(new Error('hidraw not available')),
    });
    await program.parseAsync(['node', 'kiosk', 'devices', 'list']);
    expect(out).toEqual(['serial ports (1):', '  /dev/ttyUSB0 usb 1a86:7523  (QinHeng)', 'HID devices (0):']);
    expect(err).toEqual(['kiosk: cannot list hid devices: hidraw not available']);

    const second = fakeIo();
    const p2 = new Command('kiosk').exitOverride();
    registerDevicesCommands(p2, second.io, {
      serial: () => Promise.resolve([]),
      hid: () => Promise.resolve([scannerHid]),
    });
    await p2.parseAsync(['node', 'kiosk', 'devices', 'list']);
    expect(second.out).toContain('  /dev/hidraw3 0c2e:0b61 Voyager usage page 0x8c (barcode scanner, HID POS)');
  });

  it('exits 1 when neither source can be listed', async () => {
    const { io } = fakeIo();
    const program = new Command('kiosk').exitOverride();
    const fail = async () => Promise.reject(new Error('broken'));
    registerDevicesCommands(program, io, { serial: fail, hid: fail });
    await expect(program.parseAsync(['node', 'kiosk', 'devices', 'list'])).rejects.toEqual(new CliExit(1));
  });
});

describe('kiosk scanner listen', () => {
  it('prints each scanned code on its own line until Ctrl-C', async () => {
    const sim = await simulator();
    const run = kiosk('scanner', 'listen', '--port', sim.devicePath);
    await until(() => run.err().includes('listening on'), 15_000);
    await sim.scan('RCPT-0001');
    await sim.scan('进度 Q-2', { encoding: 'gbk' });
    await until(() => run.out().length === 2);
    expect(run.out()).toEqual(['RCPT-0001', '进度 Q-2']);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('says there is no scanner and exits 1 for a missing port', async () => {
    const r = await runCliCaptured('scanner', 'listen', '--port', '/tmp/no-such-scanner-port');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'kiosk: no scanner: serial port /tmp/no-such-scanner-port does not exist (unplugged or wrong path)',
    ]);
  });

  it('looks for a HID POS scanner by USB ids and says when there is none', async () => {
    const r = await runCliCaptured('scanner', 'listen', '--hid', '0c2e:0b61');
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['kiosk: no scanner: hid:0c2e:0b61: no such HID device (unplugged or wrong id)']);
  });

  it.each([
    [['--hid', 'scanner'], '--hid: expected VID:PID'],
    [['--port', '/dev/null', '--hid', '0c2e:0b61'], 'exactly one of'],
    [[], 'exactly one of'],
  ])('rejects bad link arguments %j with exit 2', async (args, message) => {
    const r = await runCliCaptured('scanner', 'listen', ...args);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain(message);
  });

  it('rejects a bad baud rate with exit 2', async () => {
    const r = await runCliCaptured('scanner', 'listen', '--port', '/dev/null', '--baud', 'fast');
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain('--baud');
  });
});

describe('kiosk simulate scanner', () => {
  it('prints its device path and scans each line typed', async () => {
    const run = kiosk('simulate', 'scanner');
    await until(() => run.out().some((l) => l.startsWith('scanner simulator: device ')), 15_000);
    const devicePath = run.out()[0]?.replace('scanner simulator: device ', '') ?? '';
    const service = new ScannerService({ connect: () => new SerialTransport({ path: devicePath }), kind: 'serial' });
    cleanups.push(() => service.stop());
    const scans: ScannedCode[] = [];
    service.on('scanned', (c) => scans.push(c));
    await service.start();
    expect(service.status).toEqual({ state: 'ready' });
    run.child.stdin.write('HELLO-1\n申报 2\n');
    await until(() => scans.length === 2);
    expect(scans.map((s) => s.text)).toEqual(['HELLO-1', '申报 2']);
    await until(() => run.out().includes('scanned 4 characters'));
    run.child.stdin.write('!unplug\n');
    await until(() => service.status.state === 'no-device');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.out().at(-1)).toBe('scanner simulator stopped');
  });
});
