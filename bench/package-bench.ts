import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/support/kiosk-process';
import { figure, section } from './stats';

/**
 * Issue 13: the installed package's figures. Building, installing and starting it needs root and
 * minutes, so the package tests measure them as they go (test/package/, run by `npm test` as root)
 * and leave them in test-results/package-figures.json; this section prints the latest, with when
 * they were measured, beside Debian's own chromium package (the browser the session shows).
 */
type Figures = Record<string, string> & { measuredAt?: string };

function debianInstalledMb(pkg: string): number | null {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Installed-Size}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? Number(r.stdout.trim()) / 1024 : null;
}

export function benchPackage(): void {
  section('the installed Debian package (measured by the package tests)');
  const file = join(repoRoot, 'test-results', 'package-figures.json');
  if (!existsSync(file)) {
    figure('no figures yet', 'run `npm test` or `npm run test:package` as root');
    return;
  }
  const figures = JSON.parse(readFileSync(file, 'utf8')) as Figures;
  const line = (label: string, key: string, unit: string) => figure(label, `${figures[key] ?? '—'} ${unit}`);
  line('package size (.deb)', 'package size (MB)', 'MB');
  line('installed size', 'installed size (MB)', 'MB');
  line('service start → READY=1', 'service start → READY=1 (ms)', 'ms');
  line('idle memory of the installed services', 'idle service memory (MB RSS)', 'MB RSS');
  line('package build', 'package build (s)', 's');
  const chromium = debianInstalledMb('chromium');
  const installed = Number(figures['installed size (MB)']);
  if (chromium !== null && Number.isFinite(installed))
    figure(
      'installed size / Debian chromium installed size',
      `${(installed / chromium).toFixed(2)}× (${chromium.toFixed(0)} MB)`,
    );
  figure('measured at', figures.measuredAt ?? 'unknown');
}
