import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Every attribute of a printer's or queue's completed jobs (IPP Get-Jobs, which-jobs completed, all
 * attributes) as `ipptool -tv` prints them: what its job history tells anyone who asks.
 */
export async function completedJobsText(printerUri: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kiosk-get-jobs-'));
  try {
    const test = path.join(dir, 'get-jobs.test');
    await writeFile(
      test,
      `{
  NAME "completed jobs"
  OPERATION Get-Jobs
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword which-jobs completed
  ATTR keyword requested-attributes all
  STATUS successful-ok
}
`,
    );
    return (await run('ipptool', ['-tv', printerUri, test])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
