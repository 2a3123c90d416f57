import { spawn } from 'node:child_process';
import { defaultConfig } from '../../kiosk-config/default-config';
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
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(`${pins.staff}\n${pins.technician}\n`);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, stdout, stderr };
}
