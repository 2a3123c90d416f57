import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, startKioskProcess, type KioskProcess } from '../support/kiosk-process';

/** `kiosk start` as a technician meets it: the ready line, and one clear line for a bad config. */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function runStart(args: string[]) {
  return spawnSync(process.execPath, ['electron/cli/kiosk.mjs', 'start', '--headless', '--port', '0', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('kiosk start', () => {
  it('prints the ready line and says it runs the browser host', async () => {
    const kiosk: KioskProcess = await startKioskProcess();
    cleanups.push(() => kiosk.stop());
    expect(kiosk.stdout()).toContain('running the browser host');
    expect(kiosk.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(`${kiosk.url}healthz`)).status).toBe(200);
  });

  it.each([
    ['a wrong type', { ui: { idleTimeoutSeconds: 'soon' } }, /ui\.idleTimeoutSeconds: .*number/],
    ['an unknown key', { devices: { printerPaperWidht: 58 } }, /devices\.printerPaperWidht: unknown setting/],
    [
      'a bad device link',
      { devices: { printer: { kind: 'serial', path: '/dev/ttyS0', baudRate: 1234 } } },
      /devices\.printer\.baudRate/,
    ],
  ])('refuses %s in one line naming the field, exit ≠ 0, data untouched', (_what, config, pattern) => {
    const dir = tempDir();
    const configPath = join(dir, 'bad.json');
    writeFileSync(configPath, JSON.stringify(config));
    const result = runStart(['--config', configPath, '--data', join(dir, 'data')]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kiosk: configuration error: /);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('refuses broken JSON and a missing file', () => {
    const dir = tempDir();
    const configPath = join(dir, 'broken.json');
    writeFileSync(configPath, '{"ui": {');
    const broken = runStart(['--config', configPath, '--data', join(dir, 'data')]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
    const missing = runStart(['--config', join(dir, 'nope.json'), '--data', join(dir, 'data')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`kiosk: configuration error: ${join(dir, 'nope.json')}: file not found`);
  });
});
