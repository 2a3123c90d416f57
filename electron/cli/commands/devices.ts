import type { Command } from 'commander';
import type { DiscoveredDevices, DiscoverySources } from '../../../drivers/transport/device-discovery';
import { CliExit, type CliIo } from '../cli-io';
import { exitCodes } from '../exit-codes';
import { registerDevicesPinCommand } from './devices-pin';

/**
 * `kiosk devices list [--json]`: what is plugged in (serial ports, HID devices), so a technician
 * can pick the link for the ID reader, printer and scanner. Exit codes (docs/cli.md): ok when listed
 * (even when one source failed: its problem goes to stderr), failed when neither could be listed.
 */
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function deviceLines(found: DiscoveredDevices): string[] {
  const lines = [`serial ports (${found.serial.length}):`];
  for (const p of found.serial) {
    const ids = p.vendorId !== undefined && p.productId !== undefined ? ` usb ${p.vendorId}:${p.productId}` : '';
    const extra = [p.manufacturer, p.serialNumber === undefined ? undefined : `serial ${p.serialNumber}`]
      .filter((x) => x !== undefined)
      .join(', ');
    lines.push(`  ${p.path}${ids}${extra === '' ? '' : `  (${extra})`}`);
  }
  lines.push(`HID devices (${found.hid.length}):`);
  for (const d of found.hid) {
    const usage =
      d.usagePage === undefined
        ? ''
        : ` usage page 0x${d.usagePage.toString(16)}${d.usagePage === 0x8c ? ' (barcode scanner, HID POS)' : ''}`;
    lines.push(
      `  ${d.path} ${hex4(d.vendorId)}:${hex4(d.productId)}${d.product === undefined ? '' : ` ${d.product}`}${usage}`,
    );
  }
  return lines;
}

export function registerDevicesCommands(program: Command, io: CliIo, sources?: DiscoverySources): void {
  const devices = program.command('devices').description('devices attached to this terminal');
  devices
    .command('list')
    .description('list serial ports and HID devices')
    .option('--json', 'print one JSON object { serial, hid, problems }')
    .action(async (options: { json?: boolean }) => {
      const { listDevices } = await import('../../../drivers/transport/device-discovery');
      const found = await listDevices(sources);
      if (options.json === true) io.out(JSON.stringify(found));
      else for (const line of deviceLines(found)) io.out(line);
      for (const problem of found.problems) io.err(`kiosk: ${problem.message}`);
      if (found.problems.length === 2) throw new CliExit(exitCodes.failed);
    });
  registerDevicesPinCommand(devices, io);
}
