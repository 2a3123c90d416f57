import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { mainBuildOptions } from '../electron/shell/build';
import { projectRoot, runtimeClosure, shippedFiles } from './build-deb';
import { addonProblems, addonRegistration } from './native-addons';

/**
 * `npm run package:electron`: the Electron-runtime variant (electron-builder.json), for machines
 * that have the Electron binary. Its native modules are rebuilt for Electron's ABI with
 * @electron/rebuild in a staging copy, so the project's node_modules keep their Node build (the
 * CLI, the browser host and the tests run on Node). Before packing, every addon the main bundle
 * reaches must load in Electron: Node-API, or `node_register_module_v<Electron's ABI>`.
 *
 *   node --import tsx packaging/build-electron.ts [--out DIR]
 */
const electronPackage = join(projectRoot, 'node_modules', 'electron');

export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(electronPackage, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The ABI (NODE_MODULE_VERSION) of the Electron the project depends on, as its package records it. */
export function electronAbi(): number {
  return Number(readFileSync(join(electronPackage, 'abi_version'), 'utf8').trim());
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The npm packages the shell's main bundle imports at run time (Electron itself aside). */
export async function mainBundlePackages(): Promise<string[]> {
  const result = await build({
    ...mainBuildOptions(mkdtempSync(join(tmpdir(), 'kiosk-main-'))),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const names = new Set<string>();
  for (const output of Object.values(result.metafile.outputs))
    for (const { path, external } of output.imports)
      if (external && !path.startsWith('node:') && !path.startsWith('.')) names.add(packageOf(path));
  names.delete('electron');
  return [...names].sort();
}

/** The .node files among the packages the main bundle reaches (from `root`), as the package would ship them. */
export function mainBundleAddons(packages: readonly string[], root = projectRoot): string[] {
  return shippedFiles(root, runtimeClosure(projectRoot, packages)).filter((file) => file.endsWith('.node'));
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, [...args], { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

async function packElectron(outDir: string, log: (line: string) => void): Promise<void> {
  run('npm', ['run', 'build', '--silent'], projectRoot);
  const stage = mkdtempSync(join(tmpdir(), 'kiosk-electron-'));
  try {
    const packages = await mainBundlePackages();
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      version: string;
      description: string;
      dependencies: Record<string, string>;
    };
    writeFileSync(
      join(stage, 'package.json'),
      `${JSON.stringify(
        {
          name: 'village-kiosk',
          version: manifest.version,
          description: manifest.description,
          type: 'module',
          main: 'dist/electron/main.js',
          dependencies: Object.fromEntries(packages.map((name) => [name, manifest.dependencies[name] ?? '*'])),
        },
        null,
        2,
      )}\n`,
    );
    for (const dir of ['dist/electron', 'dist/renderer', 'packaging/systemd', 'packaging/etc', 'packaging/debian'])
      cpSync(join(projectRoot, dir), join(stage, dir), { recursive: true });
    // Whole packages, sources included: @electron/rebuild compiles them again (electron-builder prunes).
    for (const path of runtimeClosure(projectRoot, packages))
      cpSync(join(projectRoot, path), join(stage, path), {
        recursive: true,
        filter: (source) => !source.slice(join(projectRoot, path).length).includes('/node_modules'),
      });
    const addons = mainBundleAddons(packages);

    const version = electronVersion();
    // Node-API addons load in Electron as they are; only the ABI-bound ones need compiling again.
    const abiBound = [
      ...new Set(
        addons
          .filter((file) => addonRegistration(file).kind === 'abi')
          .map((file) => packageOf(relative(join(projectRoot, 'node_modules'), file))),
      ),
    ];
    log(`rebuilding ${abiBound.join(', ')} for Electron ${version} (ABI ${electronAbi()}) with @electron/rebuild`);
    // Its command line in a plain Node process (node-gyp children must not inherit this one's tsx
    // loader), not through npx: npm hands ~/.npmrc's nodedir (Node's headers, for `npm ci`) to
    // node-gyp, which then builds for Node again and reports success — the check below caught that.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
    );
    run(
      process.execPath,
      [
        join(projectRoot, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
        ...['--version', version, '--module-dir', stage, '--only', abiBound.join(','), '--force'],
      ],
      projectRoot,
      env,
    );
    const problems = addonProblems(mainBundleAddons(packages, stage), electronAbi());
    if (problems.length > 0) throw new Error(`addons Electron ${version} cannot load:\n${problems.join('\n')}`);

    mkdirSync(outDir, { recursive: true });
    run(
      'npx',
      [
        'electron-builder',
        '--linux',
        'deb',
        '--projectDir',
        stage,
        '--config',
        join(projectRoot, 'electron-builder.json'),
        `-c.electronVersion=${version}`,
        `-c.directories.output=${outDir}`,
      ],
      projectRoot,
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const index = process.argv.indexOf('--out');
  const out = resolve(index === -1 ? join(projectRoot, 'dist', 'electron-builder') : (process.argv[index + 1] ?? '.'));
  await packElectron(out, (line) => process.stderr.write(`package:electron: ${line}\n`));
}
