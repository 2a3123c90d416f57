import { execFile } from 'node:child_process';
import { constants, openSync, readFileSync, closeSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { stableDeviceName } from '../../../kiosk-config/known-devices';
import { err, ok, type Result } from '../../../foundation/result';
import {
  pinnedDeviceFrom,
  pinnedRulesFile,
  parseUdevProperties,
  withPinnedDevice,
} from '../../services/devices/udev-rules';
import { pinRequestSchema, pinResultName, type PinRequest, type PinResult } from '../../services/devices/pin-request';
import { CliExit, type CliIo } from '../cli-io';

/**
 * `kiosk devices pin --role printer --port /dev/ttyUSB1` (as root): reads the device's vendor,
 * product and serial (or USB port) from udev, writes a rule giving it the stable name
 * /dev/kiosk-<role> with the kiosk group, reloads udev and re-triggers the device.
 * `--request FILE` does the same for a request the technician console left (the root helper unit
 * village-kiosk-pin.service runs it), answering in FILE's folder as pin-result.json.
 */
export interface Udev {
  properties(port: string): Promise<string>;
  reload(port: string): Promise<void>;
}

const run = promisify(execFile);

export const systemUdev: Udev = {
  async properties(port) {
    return (await run('udevadm', ['info', '--query=property', `--name=${port}`])).stdout;
  },
  async reload(port) {
    await run('udevadm', ['control', '--reload']);
    await run('udevadm', ['trigger', '--action=add', port]);
  },
};

export async function pinDevice(
  request: PinRequest,
  options: { udev: Udev; rulesDir: string },
): Promise<Result<{ name: string; rule: string }, string>> {
  let text: string;
  try {
    text = await options.udev.properties(request.port);
  } catch {
    return err(`${request.port}: udev does not know this device (unplugged?)`);
  }
  const pinned = pinnedDeviceFrom(request.role, parseUdevProperties(text));
  if (!pinned.ok) return err(`${request.port}: ${pinned.error.message}`);
  const file = join(options.rulesDir, pinnedRulesFile);
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    // first pinned device
  }
  const next = withPinnedDevice(existing, pinned.value);
  mkdirSync(options.rulesDir, { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, next, { mode: 0o644, flag: 'wx' });
  renameSync(temporary, file);
  try {
    await options.udev.reload(request.port);
  } catch (error) {
    return err(
      `rule written to ${file}, but udev could not be reloaded (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return ok({ name: stableDeviceName(request.role), rule: file });
}

/** Reads a request the (unprivileged) kiosk service wrote, never following a link it planted. */
export function readPinRequest(path: string): Result<PinRequest, string> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return err('no readable pin request');
  }
  try {
    const parsed = pinRequestSchema.safeParse(JSON.parse(readFileSync(fd, { encoding: 'utf8' }).slice(0, 4096)));
    return parsed.success ? ok(parsed.data) : err('the pin request is not valid');
  } catch {
    return err('the pin request is not valid');
  } finally {
    closeSync(fd);
  }
}

/** Written beside the request through a fresh file and a rename, so a planted link is replaced, not followed. */
export function writePinResult(folder: string, result: PinResult): void {
  const temporary = join(folder, `.${pinResultName}.${process.pid}`);
  writeFileSync(temporary, JSON.stringify(result), { mode: 0o644, flag: 'wx' });
  renameSync(temporary, join(folder, pinResultName));
}

interface PinOptions {
  role?: string;
  port?: string;
  request?: string;
  rulesDir: string;
}

export function registerDevicesPinCommand(devices: Command, io: CliIo, udev: Udev = systemUdev): void {
  devices
    .command('pin')
    .description('give a device not on the known list its stable name /dev/kiosk-<role> (root)')
    .option('--role <role>', 'id-reader | printer | scanner | keypad')
    .option('--port <device>', 'the device node, e.g. /dev/ttyUSB1')
    .option('--request <file>', 'process a request left by the technician console')
    .option('--rules-dir <dir>', 'where the rule is written', '/etc/udev/rules.d')
    .action(async (options: PinOptions) => {
      if (options.request !== undefined) {
        const folder = dirname(options.request);
        const request = readPinRequest(options.request);
        const result = request.ok ? await pinDevice(request.value, { udev, rulesDir: options.rulesDir }) : request;
        const message = result.ok
          ? `${request.ok ? request.value.port : ''} is now ${result.value.name}`
          : result.error;
        writePinResult(folder, { ok: result.ok, message });
        if (result.ok) io.out(`kiosk: ${message}`);
        else io.err(`kiosk: ${message}`);
        if (!result.ok) throw new CliExit(1);
        return;
      }
      const parsed = pinRequestSchema.safeParse({ role: options.role, port: options.port });
      if (!parsed.success) {
        io.err(
          'kiosk: devices pin: --role id-reader|printer|scanner|keypad and --port /dev/ttyUSBn (or ttyACMn, hidrawn, usb/lpn) are needed',
        );
        throw new CliExit(2);
      }
      const result = await pinDevice(parsed.data, { udev, rulesDir: options.rulesDir });
      if (!result.ok) {
        io.err(`kiosk: ${result.error}`);
        throw new CliExit(1);
      }
      io.out(`kiosk: ${parsed.data.port} is now ${result.value.name} (rule in ${result.value.rule})`);
    });
}
