#!/usr/bin/env node
// The `kiosk` bin. It runs the prebuilt bundle (dist/node/kiosk.mjs): no TypeScript is compiled
// when a technician types a command. In a source checkout whose sources changed since the last
// build, it first rebuilds that bundle (a few seconds, said on stderr); an installed terminal has
// only the bundle and goes straight to it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { staleReason } from '../build-freshness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = new URL('../../dist/node/kiosk.mjs', import.meta.url);
const buildScript = fileURLToPath(new URL('../build.ts', import.meta.url));

if (existsSync(buildScript)) {
  const reason = staleReason(root, 'node');
  if (reason !== null) {
    process.stderr.write(`kiosk: building the command line first (${reason}) …\n`);
    const built = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), buildScript, '--if-stale', '--only=node'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (built.status !== 0) {
      process.stderr.write('kiosk: the build failed (see above); `npm run build` shows the same\n');
      process.exit(2);
    }
  }
}
await import(pathToFileURL(fileURLToPath(bundle)).href);
