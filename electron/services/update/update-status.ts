import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { terminalUpdateReportSchema, type TerminalUpdateReport } from '../../../platform/contract/api-schemas';

/** The update agent (root) leaves its last report in the data folder; the services send it in the heartbeat. */
export const updateStatusFile = 'update-status.json';

export function readUpdateReport(dataDir: string): TerminalUpdateReport | undefined {
  try {
    const parsed = terminalUpdateReportSchema.safeParse(
      JSON.parse(readFileSync(join(dataDir, updateStatusFile), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // no update has run yet
  }
}
