import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { silentLog } from '../../../foundation/log';
import { parsePaperWidth, profileForWidth, type PaperWidth } from '../../../drivers/printer/printer-profiles';
import type { PrinterService, PrintFailure } from '../../../drivers/printer/printer-service';
import type { PrinterStatus } from '../../../drivers/printer/printer-status';
import type { SimulatedPrinterState } from '../../../drivers/printer/simulated-printer';
import type { Transport } from '../../../drivers/transport/transport';
import { fail, type CliIo } from '../cli-io';
import { exitCodes } from '../exit-codes';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk printer test|status` for technicians on site or remote, and `kiosk simulate printer`.
 * A printer is reached by exactly one of --port (serial), --lp (USB printer-class device file,
 * write-only: no status) or --tcp (network printer, port 9100).
 * Exit codes (docs/cli.md): ok done, failed printer problem (one line on stderr), usage bad arguments.
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
  return fail(io, exitCodes.usage, message);
}

export async function parseTarget(options: TargetOptions, io: CliIo): Promise<PrinterTarget> {
  const chosen = [options.port, options.lp, options.tcp].filter((v) => v !== undefined);
  if (chosen.length !== 1) usage(io, 'choose the printer with exactly one of --port PATH, --lp FILE, --tcp HOST:PORT');
  const width = parsePaperWidth(options.width) ?? usage(io, `--width: expected 58 or 80, got "${options.width}"`);
  if (options.port !== undefined) {
    const baudRate = Number(options.baud);
    if (!Number.isInteger(baudRate) || baudRate <= 0)
      usage(io, `--baud: expected a positive integer, got "${options.baud}"`);
    const path = options.port;
    const { SerialTransport } = await import('../../../drivers/transport/serial-transport');
    return { connect: () => new SerialTransport({ path, baudRate }), statusAvailable: true, width };
  }
  if (options.lp !== undefined) {
    const path = options.lp;
    const { FileTransport } = await import('../../../drivers/transport/file-transport');
    return { connect: () => new FileTransport({ path }), statusAvailable: false, width };
  }
  const match = /^(.+):(\d{1,5})$/.exec(options.tcp ?? '');
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || !(port > 0 && port < 65536))
    usage(io, `--tcp: expected HOST:PORT, got "${options.tcp ?? ''}"`);
  const { TcpTransport } = await import('../../../drivers/transport/tcp-transport');
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
  const { loadConfig } = await import('../../services/config/config-loader');
  const config = await loadConfig(options.config);
  if (!config.ok) usage(io, `configuration error: ${config.error.message}`);
  return config.value.terminal.id;
}

async function withService<T>(target: PrinterTarget, work: (service: PrinterService) => Promise<T>): Promise<T> {
  const { PrinterService } = await import('../../../drivers/printer/printer-service');
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
    .option('--json', 'print { bytes, status } as one JSON object')
    .action(async (options: TargetOptions & { qr?: string; terminalId?: string; config?: string; json?: boolean }) => {
      const target = await parseTarget(options, io);
      const terminalId = await terminalIdFrom(options, io);
      const { defaultTestQrPayload } = await import('../../../drivers/receipt/test-page');
      io.progress('kiosk: printing the test page …');
      await withService(target, async (service) => {
        const result = await service.selfTest({
          terminalId,
          qrPayload: options.qr ?? defaultTestQrPayload(terminalId),
        });
        if (!result.ok) fail(io, exitCodes.failed, failureLine(result.error));
        const { outcome, status } = result.value;
        if (options.json === true) {
          io.out(`{"bytes":${outcome.bytes},"status":${status === null ? 'null' : statusJson(status)}}`);
          return;
        }
        io.out(`printed test page: ${outcome.bytes} bytes to ${options.port ?? options.lp ?? options.tcp ?? ''}`);
        if (status === null) io.out('status: not available over --lp (the link is write-only)');
        else io.out(`status: ${statusJson(status)}${status.paper === 'near-end' ? ' — paper is running low' : ''}`);
      });
    });
  withTargetOptions(printer.command('status').description('read the printer status (DLE EOT)'))
    .option('--json', 'print {online, paper, coverOpen, error} as JSON')
    .action(async (options: TargetOptions & { json?: boolean }) => {
      const target = await parseTarget(options, io);
      if (!target.statusAvailable)
        usage(io, 'status needs a two-way link: use --port or --tcp (an --lp device file is write-only)');
      await withService(target, async (service) => {
        const state = await service.refresh();
        const status = service.lastStatus;
        if (state.state === 'no-device' || status === null)
          fail(io, exitCodes.failed, `printer: ${'reason' in state ? state.reason : state.state}`);
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
      const { startPrinterSimulator } = await import('../../../drivers/printer/printer-simulator');
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
