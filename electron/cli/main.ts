import { Command, CommanderError } from 'commander';
import { CliExit, processIo, type CliIo } from './cli-io';
import { registerStartCommand } from './commands/start';
import { registerOutboxCommands } from './commands/outbox';
import { registerAuditCommands } from './commands/audit';
import { registerDiagnosticsCommands } from './commands/diagnostics';
import { registerIdentityCommands } from './commands/identity';
import { registerIdCardCommands, registerSimulateIdReader } from './commands/id-card';
import { registerPrinterCommands, registerSimulatePrinter } from './commands/printer';
import { registerDevicesCommands } from './commands/devices';
import { registerKeysCommands } from './commands/keys';
import { registerUpdateCommands } from './commands/update';
import { registerSessionCommand } from './commands/session';
import { registerScannerCommands, registerSimulateScanner } from './commands/scanner';

/**
 * The `kiosk` command line for technicians (on site and remote) and for `npm start`.
 * Each command family lives in its own module under commands/ and registers itself here.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('kiosk')
    .description('village-kiosk: self-service terminal software and technician tools')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerStartCommand(program, io);
  registerOutboxCommands(program, io);
  registerAuditCommands(program, io);
  registerDiagnosticsCommands(program, io);
  registerIdentityCommands(program, io);
  registerIdCardCommands(program, io);
  registerPrinterCommands(program, io);
  registerDevicesCommands(program, io);
  registerKeysCommands(program, io);
  registerUpdateCommands(program, io);
  registerSessionCommand(program, io);
  registerScannerCommands(program, io);
  const simulate = program.command('simulate').description('run a device simulator on a pseudo-terminal');
  registerSimulateIdReader(simulate, io);
  registerSimulatePrinter(simulate, io);
  registerSimulateScanner(simulate, io);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`kiosk: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
