import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { fail, type CliIo } from '../cli-io';
import { dataDirOf, dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/**
 * `kiosk wipe [--data DIR] [--yes]`: decommissions the terminal — keys, database, backups, logs,
 * launch code, settings, enrolment — so nothing can be read back (config/wipe-data-folder.ts).
 * Asks to type "wipe" first; `--yes` is for scripts (without it and without a terminal, refused).
 * Stop the kiosk first: a running kiosk holds the data key in memory and would write again.
 * Exit codes: 0 wiped, 1 refused or a file could not be destroyed, 2 not a kiosk data folder or no confirmation.
 */
export const confirmWord = 'wipe';

export function registerWipeCommand(program: Command, io: CliIo): void {
  dataOption(program.command('wipe'))
    .description('decommission: destroy the keys and every file in the data folder (stop the kiosk first)')
    .option('--yes', 'do not ask for confirmation (scripts)')
    .action(async (options: DataOptions & { yes?: boolean }) => {
      const { isKioskDataFolder, wipeDataFolder } = await import('../../services/config/wipe-data-folder');
      const dataDir = dataDirOf(options);
      if (!isKioskDataFolder(dataDir)) fail(io, exitCodes.usage, `wipe: ${dataDir} holds no kiosk data; nothing wiped`);
      if (options.yes !== true) {
        if (process.stdin.isTTY !== true)
          fail(io, exitCodes.usage, 'wipe: not confirmed (give --yes when no one can type the confirmation)');
        const prompt = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await prompt.question(
          `This destroys the keys, applications, backups and settings in ${dataDir}; nothing can be recovered.\nType "${confirmWord}" to go on: `,
        );
        prompt.close();
        if (answer.trim() !== confirmWord) fail(io, exitCodes.usage, 'wipe: not confirmed; nothing wiped');
      }
      const wiped = wipeDataFolder(dataDir);
      if (!wiped.ok)
        fail(
          io,
          wiped.error.kind === 'not-a-data-folder' ? exitCodes.usage : exitCodes.failed,
          `wipe: ${wiped.error.message}`,
        );
      io.out(`wiped ${dataDir}: ${wiped.value.files} file(s), ${wiped.value.bytes} bytes overwritten, keys destroyed`);
    });
}
