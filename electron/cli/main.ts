import { Command, CommanderError } from 'commander';
import { kioskVersion } from '../services/version';
import { CliExit, processIo, type CliIo } from './cli-io';
import { exitCodes } from './exit-codes';
import { registerStartCommand } from './commands/start';
import { registerProvisionCommand } from './commands/provision';
import { registerOutboxCommands } from './commands/outbox';
import { registerAuditCommands } from './commands/audit';
import { registerDiagnosticsCommands } from './commands/diagnostics';
import { registerIdentityCommands } from './commands/identity';
import { registerIdCardCommands, registerSimulateIdReader } from './commands/id-card';
import { registerPrinterCommands, registerSimulatePrinter } from './commands/printer';
import { registerDevicesCommands } from './commands/devices';
import { registerKeysCommands } from './commands/keys';
import { registerWipeCommand } from './commands/wipe';
import { registerUpdateCommands } from './commands/update';
import { registerSessionCommand } from './commands/session';
import { registerScannerCommands, registerSimulateScanner } from './commands/scanner';
import { registerSimulateKeypad } from './commands/keypad';

/**
 * The `kiosk` command line for technicians (on site and remote) and for `npm start`.
 * Each command family lives in its own module under commands/ and registers itself here;
 * registering is cheap, because every command imports what it needs (drivers, the store, the
 * host) only when it runs — `kiosk --help` starts in a fraction of a second (docs/cli.md).
 */
const exitCodeHelp = `
Exit codes (every command):
  ${exitCodes.ok}  done; or what was checked is fine
  ${exitCodes.failed}  it did not work, or the answer is no (device problem, refusal, invalid receipt, no card)
  ${exitCodes.usage}  bad command line, option value or configuration file
  ${exitCodes.unreachable}  the platform could not be reached; try again later
  ${exitCodes.data}  stored data failed a check (audit chain broken, database version)

Data folder: --data DIR, else $KIOSK_DATA_DIR, else /var/lib/village-kiosk when installed,
else .kiosk-data/ in the source checkout. More in docs/cli.md.`;

export function buildProgram(io: CliIo): Command {
  const program = new Command('kiosk')
    .description('village-kiosk: self-service terminal software and technician tools')
    .version(kioskVersion, '-V, --version', 'print the version')
    .addHelpText('after', exitCodeHelp)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerStartCommand(program, io);
  registerProvisionCommand(program, io);
  registerOutboxCommands(program, io);
  registerAuditCommands(program, io);
  registerDiagnosticsCommands(program, io);
  registerIdentityCommands(program, io);
  registerIdCardCommands(program, io);
  registerPrinterCommands(program, io);
  registerDevicesCommands(program, io);
  registerKeysCommands(program, io);
  registerWipeCommand(program, io);
  registerUpdateCommands(program, io);
  registerSessionCommand(program, io);
  registerScannerCommands(program, io);
  const simulate = program.command('simulate').description('run a device simulator on a pseudo-terminal');
  registerSimulateIdReader(simulate, io);
  registerSimulatePrinter(simulate, io);
  registerSimulateScanner(simulate, io);
  registerSimulateKeypad(simulate, io);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    // Help and --version end through here too, with exit code 0; everything else commander
    // refuses (unknown command or option, missing value) is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    io.err(`kiosk: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.failed;
  }
}
