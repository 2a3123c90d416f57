import type { Command } from 'commander';
import { CliExit, type CliIo } from '../cli-io';
import { dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/** `kiosk audit verify [--data DIR] [--json]`: checks the MAC chain of the staff audit log; exit `data` when broken. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the staff and system audit log');
  dataOption(audit.command('verify'))
    .description('check that no audit row was changed, removed or reordered')
    .option('--json', 'print the verdict as one JSON object')
    .action(async (options: DataOptions & { json?: boolean }) => {
      const { verifyAuditChain } = await import('../../services/store/audit-log');
      const { openStoreReadOnly, readAuditKey } = await import('../store-access');
      const key = readAuditKey(options, io);
      const db = openStoreReadOnly(options, io);
      try {
        const verdict = verifyAuditChain(db, key);
        if (options.json === true) io.out(JSON.stringify(verdict));
        if (verdict.ok) {
          if (options.json !== true) io.out(`audit log ok: ${verdict.rows} row(s), head ${verdict.head}`);
          return;
        }
        io.err(`audit log BROKEN at row ${verdict.firstBadSeq}: ${verdict.reason}`);
        throw new CliExit(exitCodes.data);
      } finally {
        db.close();
      }
    });
}
