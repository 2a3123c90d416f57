import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir, installedDataDir, softwareRoot } from './data-folder';

const tree = mkdtempSync(join(tmpdir(), 'kiosk-root-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('the default data folder', () => {
  it('is the environment variable when set, resolved', () => {
    expect(defaultDataDir({ KIOSK_DATA_DIR: 'rel/data' }, '/usr/lib/village-kiosk')).toBe(resolve('rel/data'));
  });

  it('is /var/lib/village-kiosk for an installed tree, .kiosk-data in a checkout', () => {
    expect(defaultDataDir({}, '/usr/lib/village-kiosk')).toBe(installedDataDir);
    expect(defaultDataDir({}, '/opt/village-kiosk')).toBe(installedDataDir);
    expect(defaultDataDir({ KIOSK_DATA_DIR: '' }, '/home/dev/village-kiosk')).toBe(
      '/home/dev/village-kiosk/.kiosk-data',
    );
  });

  it('finds the software root from any module inside it, bundled or not', () => {
    writeFileSync(join(tree, 'package.json'), '{}');
    mkdirSync(join(tree, 'dist', 'node'), { recursive: true });
    expect(softwareRoot(join(tree, 'dist', 'node', 'kiosk.mjs'))).toBe(tree);
    expect(softwareRoot(join(tree, 'electron', 'services', 'config', 'data-folder.ts'))).toBe(tree);
  });
});
