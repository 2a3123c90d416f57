import type { Command } from 'commander';
import { ScannerService } from '../../../drivers/scanner/scanner-service';
import { startScannerSimulator } from '../../../drivers/scanner/scanner-simulator';
import { SerialTransport } from '../../../drivers/transport/serial-transport';
import { CliExit, type CliIo } from '../cli-io';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk scanner listen --port PATH`: prints every scanned code on its own line (stdout holds
 * codes only, so it can be piped; status goes to stderr) until Ctrl-C. A scanner pulled out while
 * listening is picked up again when it returns.
 * `kiosk simulate scanner`: a serial scanner on a PTY; each line typed on stdin is scanned.
 * Exit codes: 0 stopped by Ctrl-C, 1 no scanner at start, 2 bad arguments.
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
    .requiredOption('--port <path>', 'serial port of the scanner, e.g. /dev/ttyACM0')
    .option('--baud <n>', 'baud rate', '9600')
    .action(async (options: { port: string; baud: string }) => {
      const baudRate = Number(options.baud);
      if (!Number.isInteger(baudRate) || baudRate <= 0) {
        io.err(`kiosk: --baud: expected a positive whole number, got "${options.baud}"`);
        throw new CliExit(2);
      }
      const service = new ScannerService({ connect: () => new SerialTransport({ path: options.port, baudRate }), kind: 'serial' });
      await service.start();
      const first = service.status;
      if (first.state !== 'ready') {
        await service.stop();
        io.err(`kiosk: no scanner: ${first.reason}`);
        throw new CliExit(1);
      }
      service.on('scanned', (code) => io.out(code.text));
      service.on('status', (status) => io.err(status.state === 'ready' ? 'kiosk: scanner ready' : `kiosk: scanner ${status.state}: ${status.reason}; waiting for it to come back`));
      io.err(`kiosk: listening on ${options.port} at ${baudRate} baud; Ctrl-C to stop`);
      await waitForSignal();
      await service.stop();
    });
}

/** Lines `!unplug` and `!replug` pull and restore the cable; any other non-empty line is scanned. */
export function registerSimulateScanner(simulate: Command, io: CliIo): void {
  simulate
    .command('scanner')
    .description('a serial barcode/QR scanner on a pseudo-terminal; every line typed is scanned')
    .option('--gbk', 'send codes in GBK instead of UTF-8 (older Chinese scanners)')
    .action(async (options: { gbk?: boolean }) => {
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
        io.out(delivered ? `scanned ${[...line].length} characters` : 'not delivered: the scanner is unplugged (!replug)');
      });
      await sim.stop();
      io.out('scanner simulator stopped');
    });
}
