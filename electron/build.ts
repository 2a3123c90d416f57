import { rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';
import { readManifest, manifestPath, staleReason, type BuiltTarget } from './build-freshness.mjs';

/**
 * `npm run build`: the three things the kiosk runs, each recorded in dist/build-inputs.json with
 * the files it was built from, so that `--if-stale` (what `npm start` and the `kiosk` command use)
 * rebuilds only what changed:
 * - renderer: Vite → dist/renderer/;
 * - node: the `kiosk` command line and browser host → dist/node/kiosk.mjs, split so that
 *   each command loads only the modules it needs (`kiosk --help` loads almost nothing);
 * - electron: the Electron shell → dist/electron/ (options from shell/build.ts);
 * - hall: the scripts of the platform's hall pages (remote help) → dist/hall/, which the platform serves.
 * npm packages stay external (native modules load from node_modules). The bundlers are imported
 * only when something is built, so finding everything up to date takes a moment, not seconds.
 * Usage: node --import tsx electron/build.ts [--if-stale] [--only=renderer,node,electron]
 */
type Target = 'renderer' | 'node' | 'electron' | 'hall';
const targets: readonly Target[] = ['renderer', 'node', 'electron', 'hall'];
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Files every target depends on besides its sources: a change to any of them rebuilds it. */
const sharedInputs = ['package-lock.json', 'tsconfig.json', 'electron/build.ts', 'electron/build-freshness.mjs'];
const extraInputs: Record<Target, readonly string[]> = {
  renderer: ['vite.config.ts'],
  node: [],
  electron: ['electron/shell/build.ts'],
  hall: [],
};

export const nodeOutDir = join(projectRoot, 'dist', 'node');

export function nodeBuildOptions(): BuildOptions & { metafile: true } {
  return {
    entryPoints: { kiosk: join(projectRoot, 'electron', 'cli', 'entry.ts') },
    outdir: nodeOutDir,
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside the entry: modules that find files relative to themselves
    // (import.meta.url) see the same folder depth whichever chunk they land in.
    chunkNames: '[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The floor of package.json's engines: the bundle runs on the carried Node (.node-version) and inside Electron.
    target: 'node22.12',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
  };
}

const projectFile = (path: string) => relative(projectRoot, path);
const isSource = (path: string) => !path.includes('node_modules') && !path.startsWith('\0') && !path.includes(':');

function esbuildInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter(isSource);
}

async function buildNode(): Promise<Omit<BuiltTarget, 'builtAt'>> {
  const { build } = await import('esbuild');
  await rm(nodeOutDir, { recursive: true, force: true });
  const result = await build(nodeBuildOptions());
  return { inputs: esbuildInputs(result.metafile), outputs: ['dist/node/kiosk.mjs'] };
}

async function buildElectron(): Promise<Omit<BuiltTarget, 'builtAt'>> {
  const { build } = await import('esbuild');
  const { defaultOutDir, mainBuildOptions, preloadBuildOptions } = await import('./shell/build');
  await rm(defaultOutDir, { recursive: true, force: true });
  const [main, preload] = await Promise.all([
    build({ ...mainBuildOptions(defaultOutDir), metafile: true }),
    build({ ...preloadBuildOptions(defaultOutDir), metafile: true }),
  ]);
  return {
    inputs: [...new Set([...esbuildInputs(main.metafile), ...esbuildInputs(preload.metafile)])],
    outputs: ['dist/electron/main.js', 'dist/electron/preload.cjs'],
  };
}

export const hallOutDir = join(projectRoot, 'dist', 'hall');

/** The hall page's script: one file for the browser, served under the page's CSP (script-src 'self'). */
async function buildHall(): Promise<Omit<BuiltTarget, 'builtAt'>> {
  const { build } = await import('esbuild');
  await rm(hallOutDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { 'remote-help-hall': join(projectRoot, 'platform', 'hall-page', 'remote-help-hall.ts') },
    outdir: hallOutDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // Hall PCs run a current Chromium or Firefox.
    target: ['chrome110', 'firefox115'],
    logLevel: 'warning',
    metafile: true,
  });
  return { inputs: esbuildInputs(result.metafile), outputs: ['dist/hall/remote-help-hall.js'] };
}

async function buildRenderer(): Promise<Omit<BuiltTarget, 'builtAt'>> {
  const { build: viteBuild } = await import('vite');
  const result = await viteBuild({
    configFile: join(projectRoot, 'vite.config.ts'),
    // The config imports vite-plugins/ TypeScript that imports renderer modules: run it, do not bundle it.
    configLoader: 'runner',
    logLevel: 'warn',
  });
  const outputs = Array.isArray(result) ? result : [result];
  const modules = new Set<string>();
  for (const output of outputs)
    if ('output' in output)
      for (const item of output.output)
        if (item.type === 'chunk') for (const id of item.moduleIds) if (isSource(id)) modules.add(projectFile(id));
  // index.html is the entry but not a module.
  return { inputs: ['renderer/index.html', ...modules], outputs: ['dist/renderer/index.html'] };
}

const builders: Record<Target, () => Promise<Omit<BuiltTarget, 'builtAt'>>> = {
  renderer: buildRenderer,
  node: buildNode,
  electron: buildElectron,
  hall: buildHall,
};

export async function buildKiosk(options: { ifStale: boolean; only: readonly Target[] }): Promise<string[]> {
  const manifest = { ...readManifest(projectRoot) };
  const lines: string[] = [];
  await Promise.all(
    options.only.map(async (target) => {
      const reason = staleReason(projectRoot, target);
      if (options.ifStale && reason === null) {
        lines.push(`${target} up to date`);
        return;
      }
      const builtAt = Date.now();
      const started = performance.now();
      const built = await builders[target]();
      manifest[target] = {
        builtAt,
        inputs: [...new Set([...sharedInputs, ...extraInputs[target], ...built.inputs])].sort(),
        outputs: built.outputs,
      };
      const why = options.ifStale ? ` (${reason ?? 'forced'})` : '';
      lines.push(`${target} built in ${((performance.now() - started) / 1000).toFixed(1)} s${why}`);
    }),
  );
  await writeFile(manifestPath(projectRoot), `${JSON.stringify(manifest, null, 1)}\n`);
  return lines.sort((a, b) => targets.indexOf(a.split(' ')[0] as Target) - targets.indexOf(b.split(' ')[0] as Target));
}

function parseOnly(arg: string | undefined): Target[] {
  if (arg === undefined) return [...targets];
  const chosen = arg.split(',');
  const unknown = chosen.filter((t) => !targets.includes(t as Target));
  if (unknown.length > 0) throw new Error(`--only: unknown target ${unknown.join(', ')} (${targets.join(', ')})`);
  return chosen as Target[];
}

const args = process.argv.slice(2);
const lines = await buildKiosk({
  ifStale: args.includes('--if-stale'),
  only: parseOnly(args.find((a) => a.startsWith('--only='))?.slice('--only='.length)),
});
process.stderr.write(`build: ${lines.join('; ')}\n`);
