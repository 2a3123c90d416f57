import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/kiosk-process';

/**
 * `npm test` starts with test/preflight.sh. Here it runs against a fake `dpkg-query` on PATH, so
 * the machine's real packages do not matter: the fake says "installed" for every package except
 * those named in FAKE_MISSING.
 */
const bin = mkdtempSync(join(tmpdir(), 'kiosk-preflight-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const fakeDpkgQuery = `#!/bin/sh
# dpkg-query -W -f='\${db:Status-Abbrev}' PACKAGE
for p in $FAKE_MISSING; do [ "$p" = "$3" ] && exit 1; done
printf 'ii '
`;
writeFileSync(join(bin, 'dpkg-query'), fakeDpkgQuery);
chmodSync(join(bin, 'dpkg-query'), 0o755);
// A PATH without any dpkg-query: only the tools the script uses besides it.
const bare = join(bin, 'bare');
spawnSync('mkdir', [bare]);
for (const tool of ['sed', 'id']) symlinkSync(`/usr/bin/${tool}`, join(bare, tool));

const listed = readFileSync(join(repoRoot, '.ci', 'system-packages'), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter((line) => line !== '');

function preflight(path: string, missing: readonly string[]) {
  const run = spawnSync('/bin/bash', [join(repoRoot, 'test', 'preflight.sh')], {
    env: { PATH: path, FAKE_MISSING: missing.join(' ') },
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm test preflight', () => {
  it('lists the packages the tests rely on, espeak-ng and stress-ng among them', () => {
    expect(listed).toEqual(expect.arrayContaining(['chromium', 'socat', 'espeak-ng', 'stress-ng', 'fonts-noto-cjk']));
  });

  it('passes quietly when everything is installed', () => {
    const run = preflight(`${bin}:/usr/bin:/bin`, []);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`${listed.length} system packages present`);
  });

  it('fails naming every missing package and the one command that installs them', () => {
    const run = preflight(`${bin}:/usr/bin:/bin`, ['espeak-ng', 'stress-ng']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('missing Debian packages the tests need: espeak-ng stress-ng');
    expect(run.err).toMatch(/install them all with:\n {2}(sudo )?bash \.ci\/install-system-packages\n/);
  });

  it('warns but does not block where there is no dpkg (not Debian)', () => {
    const run = preflight(bare, ['espeak-ng']);
    expect(run.code).toBe(0);
    expect(run.err).toContain('not a Debian system');
  });
});

describe('README and CI', () => {
  it('CI runs exactly the set-up and test commands the README gives', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /## Two commands\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line !== '');
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('set ') && !line.startsWith('cd '));
    expect(ci).toEqual(commands.filter((command) => command !== 'npm start'));
  });
});
