import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { dataOption, type DataOptions } from '../cli-options';

/**
 * `kiosk outbox status [--json] [--data DIR]`: what is waiting to be sent, for remote repair.
 * Opens the store read-only, so it is safe while the kiosk runs; it needs no data key because it
 * reads no personal data.
 */
export function registerOutboxCommands(program: Command, io: CliIo): void {
  const outbox = program
    .command('outbox')
    .description('the queue of applications, documents and ratings waiting for the platform');
  dataOption(outbox.command('status'))
    .description('how much is waiting, since when, and the last successful contact')
    .option('--json', 'machine-readable output')
    .action(async (options: DataOptions & { json?: boolean }) => {
      const { describeHold, listFailedItems, readOutboxStatus } = await import('../../services/outbox/outbox-status');
      const { openStoreReadOnly } = await import('../store-access');
      const db = openStoreReadOnly(options, io);
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
        if (status.hold !== null) io.out(`held since ${status.hold.since}: ${describeHold(status.hold)}`);
        for (const f of failed)
          io.out(
            `failed: ${f.localNumber ?? f.applicationId} ${f.kind} after ${f.attempts} attempt(s): ${f.error ?? ''}`,
          );
      } finally {
        db.close();
      }
    });
}
