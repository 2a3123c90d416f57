import type { Command } from 'commander';
import { verifyAuditChain } from '../../services/store/audit-log';
import { CliExit, type CliIo } from '../cli-io';
import { openStoreReadOnly } from './outbox';

/** `kiosk audit verify [--data DIR]`: checks the hash chain of the staff audit log; exit 4 when broken. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the staff and system audit log');
  audit
    .command('verify')
    .description('check that no audit row was changed, removed or reordered')
    .option('--data <dir>', 'data folder', '.kiosk-data')
    .action((options: { data: string }) => {
      const db = openStoreReadOnly(options.data, io);
      try {
        const verdict = verifyAuditChain(db);
        if (verdict.ok) {
          io.out(`audit log ok: ${verdict.rows} row(s), head ${verdict.head}`);
          return;
        }
        io.err(`audit log BROKEN at row ${verdict.firstBadSeq}: ${verdict.reason}`);
        throw new CliExit(4);
      } finally {
        db.close();
      }
    });
}
