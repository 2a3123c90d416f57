import { join } from 'node:path';
import { build } from 'esbuild';
import { buildShell, projectRoot } from './shell/build';

/**
 * `npm run build` after Vite: bundles the Node side so the kiosk starts fast (no TypeScript
 * transpiling at start-up) — dist/node/kiosk.mjs for the browser host and CLI, dist/electron/ for
 * the Electron shell. npm packages stay external (native modules load from node_modules).
 */
export async function buildNode(): Promise<string> {
  const outfile = join(projectRoot, 'dist', 'node', 'kiosk.mjs');
  await build({
    entryPoints: [join(projectRoot, 'electron', 'cli', 'entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

await Promise.all([buildNode(), buildShell()]);
