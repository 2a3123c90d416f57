import { spawn } from 'node:child_process';
import { defaultConfig } from '../../kiosk-config/default-config';
import { issueEnrolmentCode } from '../../platform/server/enrolment-codes';
import { openPlatformDb, PlatformStore } from '../../platform/server/platform-db';
import { repoRoot } from './kiosk-process';

/**
 * Test kiosks are provisioned the way a roll-out script does it: `kiosk provision` with the PINs
 * piped on stdin. These PINs exist only in the tests; a real terminal has none until its setup.
 */
export const testPins = { staff: '482913', technician: '730264' } as const;

export async function provisionDataDir(
  dataDir: string,
  options: {
    configPath?: string;
    terminalId?: string;
    site?: string;
    pins?: { staff: string; technician: string };
  } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pins = options.pins ?? testPins;
  const args = [
    'electron/cli/kiosk.mjs',
    'provision',
    '--data',
    dataDir,
    '--terminal-id',
    options.terminalId ?? defaultConfig.terminal.id,
    '--site',
    options.site ?? defaultConfig.servicePoint.name,
    ...(options.configPath === undefined ? [] : ['--config', options.configPath]),
  ];
  return runKioskCli(args, `${pins.staff}\n${pins.technician}\n`);
}

type CliRun = { code: number | null; stdout: string; stderr: string };

/** `node electron/cli/kiosk.mjs …` from the repository, with `input` on stdin. */
async function runKioskCli(args: readonly string[], input = ''): Promise<CliRun> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, stdout, stderr };
}

/**
 * A one-time enrolment code for `terminalId`, issued as the hall's admin page or
 * `npm run platform -- terminal code` issues it, into a platform's data folder (an embedded platform's
 * while its kiosk runs: SQLite in WAL mode takes a second writer).
 */
export function issueTerminalCode(platformDataDir: string, terminalId: string): string {
  const db = openPlatformDb(platformDataDir, null);
  try {
    const issued = issueEnrolmentCode(new PlatformStore(db, null), new Date(), {
      terminalId,
      purpose: 'enrol',
      issuedBy: 'test',
    });
    if (!issued.ok) throw new Error(`enrolment code: ${issued.error}`);
    return issued.value;
  } finally {
    db.close();
  }
}

/** `kiosk enrol` as a technician runs it: the terminal's key enrolled at `platformUrl` with a one-time code. */
export async function enrolDataDir(
  dataDir: string,
  options: { platformUrl: string; code: string; configPath?: string },
): Promise<CliRun> {
  const args = [
    'electron/cli/kiosk.mjs',
    'enrol',
    '--data',
    dataDir,
    '--platform',
    options.platformUrl,
    '--code',
    options.code,
    ...(options.configPath === undefined ? [] : ['--config', options.configPath]),
  ];
  return runKioskCli(args);
}
