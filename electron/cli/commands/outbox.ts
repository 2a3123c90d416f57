import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeOpenError, openDatabase, storePaths, type Db } from '../../services/store/database';
import { listFailedItems, readOutboxStatus } from '../../services/outbox/outbox-status';
import { CliExit, type CliIo } from '../cli-io';

/**
 * `kiosk outbox status [--json] [--data DIR]`: what is waiting to be sent, for remote repair.
 * Opens the store read-only, so it is safe while the kiosk runs; it needs no data key because it
 * reads no personal data.
 */
export function openStoreReadOnly(dataDir: string, io: CliIo): Db {
  const path = storePaths(resolve(dataDir)).database;
  const db = openDatabase(path, { readonly: true });
  if (!db.ok) {
    io.err(`kiosk: ${describeOpenError(db.error)}`);
    throw new CliExit(db.error.kind === 'open-failed' ? 1 : 3);
  }
  return db.value;
}

export function registerOutboxCommands(program: Command, io: CliIo): void {
  const outbox = program
    .command('outbox')
    .description('the queue of applications, documents and ratings waiting for the platform');
  outbox
    .command('status')
    .description('how much is waiting, since when, and the last successful contact')
    .option('--data <dir>', 'data folder', '.kiosk-data')
    .option('--json', 'machine-readable output')
    .action((options: { data: string; json?: boolean }) => {
      const db = openStoreReadOnly(options.data, io);
      try {
        const status = readOutboxStatus(db);
        const failed = listFailedItems(db, 20);
        if (options.json === true) {
          io.out(JSON.stringify({ ...status, failedItems: failed }));
          return;
        }
        io.out(`waiting:       ${status.depth} item(s) (${status.sending} sending, ${status.failed} failed)`);
        io.out(`oldest unsent: ${status.oldestUnsentAt ?? '-'}`);
        io.out(`last contact:  ${status.lastSuccessfulContactAt ?? 'never'}`);
        for (const f of failed)
          io.out(
            `failed: ${f.localNumber ?? f.applicationId} ${f.kind} after ${f.attempts} attempt(s): ${f.error ?? ''}`,
          );
      } finally {
        db.close();
      }
    });
}
