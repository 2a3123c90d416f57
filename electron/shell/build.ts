import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/**
 * Bundles the shell for Electron: `node --import tsx electron/shell/build.ts [outDir]`.
 * - main.js: ESM (package.json says "type": "module"; Electron loads ESM mains). Every npm package
 *   stays external and is loaded from node_modules at run time: native modules (better-sqlite3,
 *   serialport, node-hid, @napi-rs/canvas) cannot be bundled, and pino loads files by path.
 * - preload.cjs: CommonJS with everything inlined but 'electron', because a sandboxed preload can
 *   neither load ES modules nor require anything else.
 */
const shellDir = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(shellDir, '..', '..');
export const defaultOutDir = join(projectRoot, 'dist', 'electron');

export function mainBuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: [join(shellDir, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  };
}

export function preloadBuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: [join(shellDir, 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'warning',
  };
}

export async function buildShell(outDir: string = defaultOutDir): Promise<{ main: string; preload: string }> {
  await rm(outDir, { recursive: true, force: true });
  const main = mainBuildOptions(outDir);
  const preload = preloadBuildOptions(outDir);
  await Promise.all([build(main), build(preload)]);
  return { main: main.outfile ?? '', preload: preload.outfile ?? '' };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = await buildShell(process.argv[2] === undefined ? defaultOutDir : resolve(process.argv[2]));
  process.stdout.write(`electron shell built: ${out.main}, ${out.preload}\n`);
}
