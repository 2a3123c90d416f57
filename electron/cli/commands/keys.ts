import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { silentLog } from '../../../foundation/log';
import { loadOrCreateTerminalKeys } from '../../services/platform-client/identity-store';
import { CliExit, type CliIo } from '../cli-io';
import { readDataCipher } from '../store-access';

/**
 * `kiosk keys init --data DIR`: the data key and the terminal's Ed25519 key pair, created once (the
 * package's postinst runs it as the kiosk user on first install). Existing keys are never replaced.
 * Exit codes: 0 keys present, 1 a key could not be made or is unusable.
 */
export function registerKeysCommands(program: Command, io: CliIo): void {
  program
    .command('keys')
    .description("the terminal's keys")
    .command('init')
    .description('create the data key and the terminal key pair if they do not exist yet')
    .requiredOption('--data <dir>', 'data folder')
    .action((options: { data: string }) => {
      const dataDir = resolve(options.data);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const cipher = readDataCipher({ data: dataDir }, io, true, 'its first start made the keys already');
      const terminal = loadOrCreateTerminalKeys(dataDir, cipher, silentLog);
      if (!terminal.ok) {
        io.err(`kiosk: ${terminal.error.message}`);
        throw new CliExit(1);
      }
      io.out(
        `kiosk: keys ready in ${dataDir} (terminal key ${terminal.value.fingerprint}${terminal.value.created ? ', new' : ''})`,
      );
    });
}
