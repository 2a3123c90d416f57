import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerminalUpdateReport } from '../../../platform/contract/api-schemas';
import type { DatabaseRestore } from '../store/database-recovery';
import type { FleetAgent } from './fleet-agent';

/** Where the `at` of the last update outcome told to the county is kept, so a restart does not tell it twice. */
export const reportedUpdateFile = 'fleet-reported-update';

/**
 * The update agent (root, outside this process) leaves its last outcome in the data folder. An
 * installed or rolled-back release is a happening the county should see once: reported to the fleet
 * agent (which keeps it on disk until the broker has it) and remembered by its time.
 */
export function reportUpdateOutcome(
  agent: Pick<FleetAgent, 'report'>,
  report: TerminalUpdateReport | undefined,
  dataDir: string,
): 'reported' | 'nothing-new' {
  if (report === undefined) return 'nothing-new';
  if (report.outcome !== 'installed' && report.outcome !== 'rolled-back') return 'nothing-new';
  const path = join(dataDir, reportedUpdateFile);
  let last: string | null = null;
  try {
    last = readFileSync(path, 'utf8').trim();
  } catch {
    last = null; // never reported
  }
  if (last === report.at) return 'nothing-new';
  const detail = `${report.installedVersion}${report.targetVersion === null ? '' : ` → ${report.targetVersion}`}`;
  agent.report(report.outcome === 'installed' ? 'update-applied' : 'update-rolled-back', detail.slice(0, 200));
  writeFileSync(path, `${report.at}\n`, { mode: 0o600 });
  return 'reported';
}

/** A database restored from a backup at this start is a happening the county should see (the agent keeps it until the broker has it). */
export function reportDatabaseRestore(
  agent: Pick<FleetAgent, 'report'>,
  restore: Pick<DatabaseRestore, 'backup' | 'problem'> | null,
): 'reported' | 'nothing-new' {
  if (restore === null) return 'nothing-new';
  agent.report(
    'database-restored',
    `from ${restore.backup ?? 'no backup (empty store)'}: ${restore.problem}`.slice(0, 200),
  );
  return 'reported';
}
