import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one default data folder of every entry point (`kiosk start`, every `kiosk` command that
 * reads the store or the keys, the Electron shell), so they always look in the same place:
 * 1. `$KIOSK_DATA_DIR` when set;
 * 2. `/var/lib/village-kiosk` when the software runs installed (from under /usr or /opt, as the
 *    Debian package puts it);
 * 3. `.kiosk-data/` in the source checkout otherwise — wherever the command is typed from.
 * `--data DIR` overrides all three (docs/cli.md).
 */
export const dataDirVariable = 'KIOSK_DATA_DIR';
export const installedDataDir = '/var/lib/village-kiosk';

/** The nearest folder above `from` holding a package.json: the checkout, or the installed tree. */
export function softwareRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(from);
  }
}

export function isInstalled(root: string): boolean {
  return root.startsWith('/usr/') || root.startsWith('/opt/');
}

export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  root: string = softwareRoot(),
): string {
  const chosen = env[dataDirVariable];
  if (chosen !== undefined && chosen !== '') return resolve(chosen);
  return isInstalled(root) ? installedDataDir : join(root, '.kiosk-data');
}
