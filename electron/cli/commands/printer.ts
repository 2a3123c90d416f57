import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { silentLog } from '../../../foundation/log';
import { parsePaperWidth, profileForWidth, type PaperWidth } from '../../../drivers/printer/printer-profiles';
import { startPrinterSimulator } from '../../../drivers/printer/printer-simulator';
import { PrinterService, type PrintFailure } from '../../../drivers/printer/printer-service';
import type { PrinterStatus } from '../../../drivers/printer/printer-status';
import type { SimulatedPrinterState } from '../../../drivers/printer/simulated-printer';
import { defaultTestQrPayload } from '../../../drivers/receipt/test-page';
import { FileTransport } from '../../../drivers/transport/file-transport';
import { SerialTransport } from '../../../drivers/transport/serial-transport';
import { TcpTransport } from '../../../drivers/transport/tcp-transport';
import type { Transport } from '../../../drivers/transport/transport';
import { loadConfig } from '../../services/config/config-loader';
import { CliExit, type CliIo } from '../cli-io';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk printer test|status` for technicians on site or remote, and `kiosk simulate printer`.
 * A printer is reached by exactly one of --port (serial), --lp (USB printer-class device file,
 * write-only: no status) or --tcp (network printer, port 9100).
 * Exit codes: 0 done, 1 printer problem (one line on stderr), 2 bad arguments.
 */
interface TargetOptions {
  port?: string;
  baud: string;
  lp?: string;
  tcp?: string;
  width: string;
}

interface PrinterTarget {
  readonly connect: () => Transport;
  readonly statusAvailable: boolean;
  readonly width: PaperWidth;
}

export const UNCONFIGURED_TERMINAL = 'UNCONFIGURED';

function usage(io: CliIo, message: string): never {
  io.err(`kiosk: ${message}`);
  throw new CliExit(2);
}

export function parseTarget(options: TargetOptions, io: CliIo): PrinterTarget {
  const chosen = [options.port, options.lp, options.tcp].filter((v) => v !== undefined);
  if (chosen.length !== 1) usage(io, 'choose the printer with exactly one of --port PATH, --lp FILE, --tcp HOST:PORT');
  const width = parsePaperWidth(options.width) ?? usage(io, `--width: expected 58 or 80, got "${options.width}"`);
  if (options.port !== undefined) {
    const baudRate = Number(options.baud);
    if (!Number.isInteger(baudRate) || baudRate <= 0)
      usage(io, `--baud: expected a positive integer, got "${options.baud}"`);
    const path = options.port;
    return { connect: () => new SerialTransport({ path, baudRate }), statusAvailable: true, width };
  }
  if (options.lp !== undefined) {
    const path = options.lp;
    return { connect: () => new FileTransport({ path }), statusAvailable: false, width };
  }
  const match = /^(.+):(\d{1,5})$/.exec(options.tcp ?? '');
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || !(port > 0 && port < 65536))
    usage(io, `--tcp: expected HOST:PORT, got "${options.tcp ?? ''}"`);
  return { connect: () => new TcpTransport({ host, port }), statusAvailable: true, width };
}

function withTargetOptions(command: Command): Command {
  return command
    .option('--port <path>', 'serial port of the printer, e.g. /dev/kiosk-printer')
    .option('--baud <n>', 'baud rate for --port', '9600')
    .option('--lp <file>', 'USB printer-class device file, e.g. /dev/usb/lp0 (no status read-back)')
    .option('--tcp <host:port>', 'network printer, e.g. 192.168.1.50:9100')
    .option('--width <mm>', 'paper width: 58 or 80', '80');
}

/** The JSON of `kiosk printer status --json`; key order is part of the contract. */
export function statusJson(status: PrinterStatus): string {
  return JSON.stringify({
    online: status.online,
    paper: status.paper,
    coverOpen: status.coverOpen,
    error: status.error,
  });
}

function failureLine(failure: PrintFailure): string {
  return `kiosk: printer: ${failure.message} (${failure.kind})`;
}

async function terminalIdFrom(options: { terminalId?: string; config?: string }, io: CliIo): Promise<string> {
  if (options.terminalId !== undefined) return options.terminalId;
  if (options.config === undefined) return UNCONFIGURED_TERMINAL;
  const config = await loadConfig(options.config);
  if (!config.ok) usage(io, `configuration error: ${config.error.message}`);
  return config.value.terminal.id;
}

async function withService<T>(target: PrinterTarget, work: (service: PrinterService) => Promise<T>): Promise<T> {
  const service = new PrinterService({
    connect: target.connect,
    profile: profileForWidth(target.width),
    statusAvailable: target.statusAvailable,
    pollIntervalMs: 0,
    log: silentLog,
  });
  try {
    return await work(service);
  } finally {
    await service.stop();
  }
}

export function registerPrinterCommands(program: Command, io: CliIo): void {
  const printer = program.command('printer').description('receipt printer (ESC/POS): test page and status');
  withTargetOptions(
    printer.command('test').description('print a test page (打印测试, terminal id, QR code, cut) and read the status'),
  )
    .option('--qr <text>', 'QR code payload (default: a test payload with the terminal id)')
    .option('--terminal-id <id>', 'terminal id to print (default: from --config, else UNCONFIGURED)')
    .option('--config <file>', 'configuration file to take the terminal id from')
    .action(async (options: TargetOptions & { qr?: string; terminalId?: string; config?: string }) => {
      const target = parseTarget(options, io);
      const terminalId = await terminalIdFrom(options, io);
      await withService(target, async (service) => {
        const result = await service.selfTest({
          terminalId,
          qrPayload: options.qr ?? defaultTestQrPayload(terminalId),
        });
        if (!result.ok) {
          io.err(failureLine(result.error));
          throw new CliExit(1);
        }
        const { outcome, status } = result.value;
        io.out(`printed test page: ${outcome.bytes} bytes to ${options.port ?? options.lp ?? options.tcp ?? ''}`);
        if (status === null) io.out('status: not available over --lp (the link is write-only)');
        else io.out(`status: ${statusJson(status)}${status.paper === 'near-end' ? ' — paper is running low' : ''}`);
      });
    });
  withTargetOptions(printer.command('status').description('read the printer status (DLE EOT)'))
    .option('--json', 'print {online, paper, coverOpen, error} as JSON')
    .action(async (options: TargetOptions & { json?: boolean }) => {
      const target = parseTarget(options, io);
      if (!target.statusAvailable)
        usage(io, 'status needs a two-way link: use --port or --tcp (an --lp device file is write-only)');
      await withService(target, async (service) => {
        const state = await service.refresh();
        const status = service.lastStatus;
        if (state.state === 'no-device' || status === null) {
          io.err(`kiosk: printer: ${'reason' in state ? state.reason : state.state}`);
          throw new CliExit(1);
        }
        if (options.json === true) {
          io.out(statusJson(status));
          return;
        }
        io.out(`state:  ${state.state}`);
        io.out(`online: ${status.online ? 'yes' : 'no'}`);
        io.out(`paper:  ${status.paper}`);
        io.out(`cover:  ${status.coverOpen ? 'open' : 'closed'}`);
        io.out(`error:  ${status.error ?? 'none'}`);
      });
    });
}

/** stdin commands while the simulator runs, for a technician driving it by hand. */
export function parseSimulatorCommand(line: string): Partial<SimulatedPrinterState> | 'unplug' | 'replug' | null {
  const [verb = '', arg] = line.trim().split(/\s+/);
  switch (verb) {
    case 'paper':
      return arg === 'ok' || arg === 'near-end' || arg === 'out' ? { paper: arg } : null;
    case 'cover':
      return arg === 'open' || arg === 'closed' ? { coverOpen: arg === 'open' } : null;
    case 'online':
      return { online: true };
    case 'offline':
      return { online: false };
    case 'paper-out-after': {
      const n = Number(arg);
      return Number.isInteger(n) && n >= 0 ? { paperOutAfterBytes: n } : null;
    }
    case 'error':
      return arg === 'none'
        ? { error: null }
        : arg === 'cutter' || arg === 'unrecoverable' || arg === 'auto-recoverable'
          ? { error: arg }
          : null;
    case 'silent':
      return { responding: false };
    case 'answer':
      return { responding: true };
    case 'unplug':
    case 'replug':
      return verb;
    default:
      return null;
  }
}

export function registerSimulatePrinter(simulate: Command, io: CliIo): void {
  simulate
    .command('printer')
    .description('an ESC/POS receipt printer on a pseudo-terminal (or loopback TCP)')
    .option('--width <mm>', 'paper width: 58 or 80', '80')
    .option('--tcp [port]', 'listen on 127.0.0.1 instead of a PTY (default: a free port)')
    .option('--out <dir>', 'save each receipt as PNG in this folder')
    .action(async (options: { width: string; tcp?: string | true; out?: string }) => {
      const width = parsePaperWidth(options.width) ?? usage(io, `--width: expected 58 or 80, got "${options.width}"`);
      const tcp = options.tcp === undefined ? undefined : options.tcp === true ? true : { port: Number(options.tcp) };
      if (typeof tcp === 'object' && !(Number.isInteger(tcp.port) && tcp.port >= 0 && tcp.port < 65536))
        usage(io, `--tcp: expected a port, got "${String(options.tcp)}"`);
      const sim = await startPrinterSimulator(tcp === undefined ? { width } : { width, tcp });
      if (options.out !== undefined) await mkdir(options.out, { recursive: true });
      let count = 0;
      sim.onReceipt((receipt) => {
        count++;
        io.out(
          `receipt ${count}: ${receipt.bytes} bytes, ${receipt.cut ? 'cut' : 'NOT cut (stopped)'}, QR: ${receipt.qrPayloads.length}`,
        );
        for (const line of receipt.text.split('\n')) io.out(`  | ${line}`);
        if (options.out !== undefined) void writeFile(join(options.out, `receipt-${count}.png`), receipt.png);
      });
      io.out(`printer simulator (${width} mm): device ${sim.devicePath}`);
      io.out(
        'stdin commands: paper ok|near-end|out | cover open|closed | online | offline | paper-out-after N | error NAME|none | silent | answer | unplug | replug',
      );
      const handle = async (line: string) => {
        if (line.trim() === '') return;
        const command = parseSimulatorCommand(line);
        if (command === null) return io.err(`unknown command: ${line.trim()}`);
        if (command === 'unplug') await sim.unplug();
        else if (command === 'replug') await sim.replug();
        else sim.setState(command);
        io.out(`ok: ${line.trim()}`);
      };
      await runSimulatorConsole(handle);
      await sim.stop();
      io.out('printer simulator stopped');
    });
}
