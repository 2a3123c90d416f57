import type { Command } from 'commander';
import type { Transport } from '../../../drivers/transport/transport';
import { fail, type CliIo } from '../cli-io';
import { exitCodes } from '../exit-codes';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk scanner listen --port PATH | --hid VID:PID`: prints every scanned code on its own line (stdout holds
 * codes only, so it can be piped; status goes to stderr) until Ctrl-C. A scanner pulled out while
 * listening is picked up again when it returns.
 * `kiosk simulate scanner`: a serial scanner on a PTY; each line typed on stdin is scanned.
 * `--json` prints each code as one JSON object per line: { text, symbology? }.
 * Exit codes (docs/cli.md): ok stopped by Ctrl-C, failed no scanner at start, usage bad arguments.
 */
async function waitForSignal(): Promise<void> {
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerScannerCommands(program: Command, io: CliIo): void {
  const scanner = program.command('scanner').description('barcode / QR scanner');
  scanner
    .command('listen')
    .description('print each scanned code on its own line until Ctrl-C')
    .option('--port <path>', 'serial (USB-CDC) port of the scanner, e.g. /dev/ttyACM0')
    .option('--baud <n>', 'baud rate', '9600')
    .option('--hid <vid:pid>', 'a HID POS scanner by USB ids in hex, e.g. 0c2e:0b61 (instead of --port)')
    .option('--json', 'print each code as one JSON object per line: { text, symbology? }')
    .action(async (options: { port?: string; baud: string; hid?: string; json?: boolean }) => {
      const link = await listenLink(options, io);
      const { ScannerService } = await import('../../../drivers/scanner/scanner-service');
      const service = new ScannerService({ connect: link.connect, kind: link.kind });
      await service.start();
      const first = service.status;
      if (first.state !== 'ready') {
        await service.stop();
        fail(io, exitCodes.failed, `no scanner: ${first.reason}`);
      }
      service.on('scanned', (code) => io.out(options.json === true ? JSON.stringify(code) : code.text));
      service.on('status', (status) =>
        io.err(
          status.state === 'ready'
            ? 'kiosk: scanner ready'
            : `kiosk: scanner ${status.state}: ${status.reason}; waiting for it to come back`,
        ),
      );
      io.err(`kiosk: listening on ${link.description}; Ctrl-C to stop`);
      await waitForSignal();
      await service.stop();
    });
}

async function listenLink(
  options: { port?: string; baud: string; hid?: string },
  io: CliIo,
): Promise<{ connect: () => Transport; kind: 'serial' | 'hid'; description: string }> {
  if ((options.port === undefined) === (options.hid === undefined))
    fail(io, exitCodes.usage, 'give exactly one of --port PATH or --hid VID:PID');
  if (options.hid !== undefined) {
    const ids = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(options.hid);
    if (ids === null) fail(io, exitCodes.usage, `--hid: expected VID:PID in hex like 0c2e:0b61, got "${options.hid}"`);
    const { describeHidTarget, HidTransport } = await import('../../../drivers/transport/hid-transport');
    const target = { vendorId: parseInt(ids[1] ?? '', 16), productId: parseInt(ids[2] ?? '', 16) };
    return { connect: () => new HidTransport({ target }), kind: 'hid', description: describeHidTarget(target) };
  }
  const baudRate = Number(options.baud);
  if (!Number.isInteger(baudRate) || baudRate <= 0)
    fail(io, exitCodes.usage, `--baud: expected a positive whole number, got "${options.baud}"`);
  const { SerialTransport } = await import('../../../drivers/transport/serial-transport');
  const path = options.port ?? '';
  return {
    connect: () => new SerialTransport({ path, baudRate }),
    kind: 'serial',
    description: `${path} at ${baudRate} baud`,
  };
}

/** Lines `!unplug` and `!replug` pull and restore the cable; any other non-empty line is scanned. */
export function registerSimulateScanner(simulate: Command, io: CliIo): void {
  simulate
    .command('scanner')
    .description('a serial barcode/QR scanner on a pseudo-terminal; every line typed is scanned')
    .option('--gbk', 'send codes in GBK instead of UTF-8 (older Chinese scanners)')
    .action(async (options: { gbk?: boolean }) => {
      const { startScannerSimulator } = await import('../../../drivers/scanner/scanner-simulator');
      const sim = await startScannerSimulator();
      io.out(`scanner simulator: device ${sim.devicePath}`);
      io.out('type a code and Enter to scan it; !unplug / !replug pull and restore the cable; Ctrl-C to stop');
      await runSimulatorConsole(async (line) => {
        if (line === '') return;
        if (line === '!unplug' || line === '!replug') {
          await (line === '!unplug' ? sim.unplug() : sim.replug());
          io.out(`ok: ${line}`);
          return;
        }
        const delivered = await sim.scan(line, options.gbk === true ? { encoding: 'gbk' } : {});
        io.out(
          delivered ? `scanned ${[...line].length} characters` : 'not delivered: the scanner is unplugged (!replug)',
        );
      });
      await sim.stop();
      io.out('scanner simulator stopped');
    });
}
