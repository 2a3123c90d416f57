import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliExit } from '../cli-io';
import { registerDevicesPinCommand, type Udev } from './devices-pin';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-pin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeUdev(): Udev & { reloaded: string[] } {
  const reloaded: string[] = [];
  return {
    reloaded,
    properties: async (port) => {
      if (port !== '/dev/ttyUSB1') throw new Error('unknown device');
      return 'SUBSYSTEM=tty\nID_VENDOR_ID=1a86\nID_MODEL_ID=7523\nID_PATH=pci-0000:00:14.0-usb-0:2:1.0\n';
    },
    reload: async (port) => {
      reloaded.push(port);
    },
  };
}

async function cli(args: string[], udev = fakeUdev()) {
  const out: string[] = [];
  const errors: string[] = [];
  const program = new Command('kiosk').exitOverride();
  registerDevicesPinCommand(
    program.command('devices'),
    { out: (l) => out.push(l), progress: () => {}, err: (l) => errors.push(l) },
    udev,
  );
  let code = 0;
  try {
    await program.parseAsync(['node', 'kiosk', 'devices', 'pin', '--rules-dir', join(dir, 'rules'), ...args]);
  } catch (error) {
    if (!(error instanceof CliExit)) throw error;
    code = error.code;
  }
  return { code, out, errors, udev };
}

describe('kiosk devices pin', () => {
  it('writes the rule for the device, reloads udev and names the stable path', async () => {
    const { code, out, udev } = await cli(['--role', 'printer', '--port', '/dev/ttyUSB1']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/\/dev\/ttyUSB1 is now \/dev\/kiosk-printer/);
    expect(readFileSync(join(dir, 'rules', '71-village-kiosk-pinned.rules'), 'utf8')).toContain(
      'ENV{ID_PATH}=="pci-0000:00:14.0-usb-0:2:1.0", GROUP="kiosk", MODE="0660", SYMLINK+="kiosk-printer"',
    );
    expect(udev.reloaded).toEqual(['/dev/ttyUSB1']);
  });

  it('says so when the device is gone, and writes nothing', async () => {
    const { code, errors } = await cli(['--role', 'printer', '--port', '/dev/ttyUSB7']);
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/udev does not know this device/);
    expect(existsSync(join(dir, 'rules'))).toBe(false);
  });

  it('refuses a port that is not a device a kiosk uses', async () => {
    expect((await cli(['--role', 'printer', '--port', '/etc/shadow'])).code).toBe(2);
    expect((await cli(['--role', 'root', '--port', '/dev/ttyUSB1'])).code).toBe(2);
  });

  it('answers a console request beside it, replacing (not following) a link planted as the answer', async () => {
    const request = join(dir, 'pin-request.json');
    writeFileSync(request, JSON.stringify({ role: 'scanner', port: '/dev/ttyUSB1' }));
    const target = join(dir, 'victim');
    writeFileSync(target, 'untouched');
    symlinkSync(target, join(dir, 'pin-result.json'));
    const { code } = await cli(['--request', request]);
    expect(code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(lstatSync(join(dir, 'pin-result.json')).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'pin-result.json'), 'utf8'))).toEqual({
      ok: true,
      message: '/dev/ttyUSB1 is now /dev/kiosk-scanner',
    });
  });

  it('does not read a request that is a link to another file', async () => {
    writeFileSync(join(dir, 'secret'), JSON.stringify({ role: 'scanner', port: '/dev/ttyUSB1' }));
    symlinkSync(join(dir, 'secret'), join(dir, 'pin-request.json'));
    const { code } = await cli(['--request', join(dir, 'pin-request.json')]);
    expect(code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'pin-result.json'), 'utf8'))).toEqual({
      ok: false,
      message: 'no readable pin request',
    });
  });
});
