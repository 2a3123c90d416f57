import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../../electron/cli/exit-codes';
import { repoRoot } from '../support/kiosk-process';

/**
 * The `kiosk` bin as a technician runs it: the prebuilt bundle (`npm run build` ran first), one
 * table of exit codes, `--version`, one default data folder; and `npm run platform -- --help`.
 */
const empty = mkdtempSync(join(tmpdir(), 'kiosk-cli-data-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

function kiosk(args: readonly string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(repoRoot, 'electron', 'cli', 'kiosk.mjs'), ...args], {
    cwd: tmpdir(), // any folder: the bin finds its bundle and data folder by itself
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('the kiosk command line', () => {
  it('prints its version', () => {
    expect(kiosk(['--version'])).toMatchObject({ code: exitCodes.ok, out: `${version}\n` });
  });

  it('lists the commands and the exit codes every command uses', () => {
    const help = kiosk(['--help']);
    expect(help.code).toBe(exitCodes.ok);
    for (const command of ['start', 'outbox', 'audit', 'diagnostics', 'enrol', 'id-card', 'printer', 'devices'])
      expect(help.out).toContain(command);
    expect(help.out).toContain('Exit codes (every command):');
    for (const code of Object.values(exitCodes)) expect(help.out).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });

  it('treats an unknown option or command as a usage error', () => {
    expect(kiosk(['--bogus']).code).toBe(exitCodes.usage);
    expect(kiosk(['no-such-command']).code).toBe(exitCodes.usage);
    expect(kiosk(['outbox', 'status', '--bogus']).code).toBe(exitCodes.usage);
  });

  it('finds the data folder through KIOSK_DATA_DIR when --data is not given', () => {
    const run = kiosk(['outbox', 'status', '--json'], { KIOSK_DATA_DIR: empty });
    expect(run.code).toBe(exitCodes.failed);
    expect(run.err).toContain(empty);
    expect(run.out).toBe('');
  });
});

describe('npm run platform', () => {
  it('answers --help with its options and exit code 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'platform', 'main.ts'), '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    for (const command of ['serve', 'user', 'terminal', 'audit']) expect(run.stdout).toContain(command);
    const serve = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'platform', 'main.ts'), 'serve', '--help'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(serve.status).toBe(0);
    expect(serve.stdout).toContain('--tls-cert');
  });
});
