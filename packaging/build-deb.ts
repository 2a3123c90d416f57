import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  lstatSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { knownDevices } from '../kiosk-config/known-devices';
import { knownDevicesRules, knownRulesFile } from '../electron/services/devices/udev-rules';
import { copyrightFile } from './copyright';
import { addonFiles, addonProblems } from './native-addons';
import { cursorNames, cursorThemeName, transparentXcursor } from './xcursor';

/**
 * `npm run package`: builds village-kiosk_<version>_<arch>.deb with Debian's own tools (dpkg-deb,
 * dpkg-shlibdeps), from a clean build, and prints its path last. The package carries the Node
 * runtime the project was built and tested with — the same version, taken from the npm registry's
 * `node-linux-<arch>` package — so the native modules copied from node_modules match its ABI.
 *
 *   node --import tsx packaging/build-deb.ts [--version V] [--out DIR] [--no-build]
 *        [--archive-key FILE] [--repo-url URL] [--suite NAME]
 */
export const packagingDir = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(packagingDir, '..');
export const packageName = 'village-kiosk';
export const installRoot = '/usr/lib/village-kiosk';

export interface BuildOptions {
  readonly version: string;
  readonly outDir: string;
  readonly build: boolean;
  /** The county's public release key (armored or binary); a development key is made when absent. */
  readonly archiveKey?: string;
  readonly repoUrl: string;
  readonly suite: string;
  readonly log: (line: string) => void;
}

export const debianArch = (): string => execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
const nodeArch = (arch: string): string => ({ amd64: 'x64', arm64: 'arm64' })[arch] ?? arch;

function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return result.stdout;
}

/** Debian versions sort differently from semver: a pre-release must sort before its release. */
export function debianVersion(version: string): string {
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(version)) throw new Error(`not a release version: ${version}`);
  return version.replace(/-/, '~');
}

// ---------------------------------------------------------------- the Node runtime

/**
 * The runtime binary from the registry's node-linux-<arch> package at exactly this Node's version,
 * cached under node_modules/.cache. `npm pack` checks the registry's integrity hash.
 */
export function nodeRuntime(arch: string, log: (line: string) => void): string {
  const version = process.versions.node;
  const cache = join(projectRoot, 'node_modules', '.cache', 'village-kiosk-runtime', `${version}-${arch}`);
  const binary = join(cache, 'package', 'bin', 'node');
  if (!existsSync(binary) || !existsSync(join(cache, 'package', 'LICENSE'))) {
    mkdirSync(cache, { recursive: true });
    const spec = `node-linux-${nodeArch(arch)}@${version}`;
    log(`fetching the Node runtime ${spec} from the npm registry (once)`);
    const tarball = run('npm', ['pack', spec, '--pack-destination', cache, '--silent'], { cwd: cache }).trim();
    run('tar', [
      '-xzf',
      join(cache, tarball.split('\n').pop() ?? ''),
      '-C',
      cache,
      'package/bin/node',
      'package/LICENSE',
    ]);
  }
  const reported = run(binary, ['-p', 'process.versions.node + " " + process.versions.modules']).trim();
  if (reported !== `${version} ${process.versions.modules}`)
    throw new Error(`the runtime reports ${reported}, expected ${version} (ABI ${process.versions.modules})`);
  return binary;
}

// ---------------------------------------------------------------- production node_modules

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Needed only to run TypeScript sources (the `kiosk` bin in a clone); the package runs the bundle. */
export const sourceOnlyDependencies = new Set(['tsx']);
/** Needed only to build or download native addons at `npm ci` time, never at run time. */
const installTimeOnly = new Set(['prebuild-install', 'node-addon-api', 'node-gyp']);

type Lock = { packages: Record<string, LockEntry> };

const readLock = (root: string): Lock => JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;

/** The lock entry Node would load for `name` asked from `from`: the nearest node_modules up. */
function resolveInLock(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

/** The installed packages (lock paths) reachable from `names`, present on disk, less install-time-only ones. */
function closure(root: string, lock: Lock, names: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (from: string, asked: readonly string[]) => {
    for (const name of asked) {
      if (installTimeOnly.has(name)) continue;
      const path = resolveInLock(lock, from, name);
      if (path === undefined || found.has(path) || !existsSync(join(root, path, 'package.json'))) continue;
      found.add(path);
      const entry = lock.packages[path] ?? {};
      visit(path, [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {})]);
    }
  };
  visit('', names);
  return [...found].sort();
}

/** The run-time dependencies of package.json (less the source-only ones). */
function runtimeDependencies(lock: Lock): string[] {
  return Object.keys(lock.packages['']?.dependencies ?? {}).filter((name) => !sourceOnlyDependencies.has(name));
}

/** A package that loads a compiled addon (a .node file) by path, which no bundler can inline. */
function holdsNativeAddon(packageDir: string): boolean {
  if (existsSync(join(packageDir, 'binding.gyp')) || existsSync(join(packageDir, 'prebuilds'))) return true;
  return readdirSync(packageDir).some((name) => name.endsWith('.node'));
}

/**
 * The run-time dependencies that must stay real packages beside the bundle: those whose
 * dependency closure holds a native addon (better-sqlite3, serialport, node-hid, the canvas, the
 * notify socket). Everything else is bundled into the one kiosk.mjs, so the package ships a few
 * hundred files instead of thousands (lintian's time grows with the file count).
 */
export function externalPackages(root: string): string[] {
  const lock = readLock(root);
  return runtimeDependencies(lock).filter((name) =>
    closure(root, lock, [name]).some((path) => holdsNativeAddon(join(root, path))),
  );
}

/** The installed packages (lock paths under `root`) that `names` load at run time, with their dependencies. */
export function runtimeClosure(root: string, names: readonly string[]): string[] {
  return closure(root, readLock(root), names);
}

/** The installed packages the package's bundle loads at run time: the closure of the external ones. */
export function productionPackages(root: string): string[] {
  return runtimeClosure(root, externalPackages(root));
}

const prunedDirs = new Set([
  'test',
  'tests',
  '__tests__',
  'docs',
  'doc',
  'example',
  'examples',
  'benchmark',
  'benchmarks',
  '.github',
  'obj.target',
  '.deps',
]);
/** Sources of a native addon (SQLite, hidapi, C++): only in packages that build one (binding.gyp). */
const addonSourceDirs = new Set(['src', 'deps', 'hidapi']);
const prunedFile =
  /(\.a|\.sh|index\.html|\.md|\.markdown|\.ts|\.tsx|\.cc|\.cpp|\.c|\.h|\.hpp|\.gyp|\.gypi|Makefile|\.mk|\.npmignore|\.eslintrc.*|\.prettierrc.*|\.travis\.yml|\.editorconfig|\.gitattributes|tsconfig\.json)$/;

function keep(path: string, packageDir: string, arch: string): boolean {
  const name = basename(path);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return false;
  }
  if (stat.isDirectory()) {
    if (addonSourceDirs.has(name)) return dirname(path) !== packageDir || !existsSync(join(packageDir, 'binding.gyp'));
    if (name === 'node_modules') return false; // nested packages are copied from their own lock entries
    // Prebuilt addons for other systems (lintian: binary-from-other-architecture).
    if (basename(dirname(path)) === 'prebuilds' && !new RegExp(`(^|-)linux-${arch}$`).test(name)) return false;
    return !prunedDirs.has(name);
  }
  if (name.endsWith('.d.ts') || name.endsWith('.musl.node')) return false;
  // better-sqlite3's build also makes a SQLite extension for its own tests: not a Node addon.
  if (name === 'test_extension.node') return false;
  if (/^(LICENSE|LICENCE|COPYING)/i.test(name)) return true;
  return !prunedFile.test(name);
}

/** The files of the packages at `packages` (lock paths under `root`) that the package would ship. */
export function shippedFiles(root: string, packages: readonly string[]): string[] {
  const arch = nodeArch(debianArch());
  const files: string[] = [];
  for (const path of packages) {
    const from = join(root, path);
    const visit = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (!keep(file, from, arch)) continue;
        if (entry.isDirectory()) visit(file);
        else files.push(file);
      }
    };
    visit(from);
  }
  return files.sort();
}

/** Copies the packages at `packages` (lock paths) from `root` to `appDir`, less tests, docs and sources. */
export function copyPackages(root: string, appDir: string, packages: readonly string[]): void {
  const arch = nodeArch(debianArch());
  for (const path of packages) {
    const from = join(root, path);
    cpSync(from, join(appDir, path), {
      recursive: true,
      filter: (source) => source === from || keep(source, from, arch),
    });
  }
}

/**
 * The services and CLI as one ES module with every pure-JS dependency inlined; only `external`
 * packages load from node_modules. Bundled CommonJS code calls `require` for Node's built-ins
 * and the external packages, which an ES module lacks: the banner gives it one.
 */
export async function bundleServices(
  outfile: string,
  external: readonly string[],
  entryPoint = join(projectRoot, 'electron', 'cli', 'entry.ts'),
): Promise<void> {
  await esbuild({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0] ?? '20'}`,
    external: [...external],
    banner: {
      js: "import { createRequire as kioskCreateRequire } from 'node:module';\nconst require = kioskCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

// ---------------------------------------------------------------- the package tree

function write(path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return [path];
  });
}

function archiveKeyring(options: BuildOptions, temp: string): Buffer {
  const gnupg = join(temp, 'gnupg');
  mkdirSync(gnupg, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: gnupg };
  let keyFile = options.archiveKey;
  if (keyFile === undefined) {
    keyFile = developmentReleaseKey(options.log);
  }
  run('gpg', ['--batch', '--quiet', '--import', keyFile], { env });
  const exported = spawnSync('gpg', ['--batch', '--export'], { env });
  spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env }); // no agent left running after the build
  if (exported.status !== 0 || exported.stdout.length === 0) throw new Error(`${keyFile}: no public key in it`);
  return exported.stdout;
}

/** A local, never-committed release key for developers' builds (.release-keys/, gitignored). */
export function developmentReleaseKey(log: (line: string) => void): string {
  const dir = join(projectRoot, '.release-keys');
  const publicKey = join(dir, 'development-release-key.asc');
  if (!existsSync(publicKey)) {
    const gnupg = join(dir, 'gnupg');
    mkdirSync(gnupg, { recursive: true, mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: gnupg };
    run(
      'gpg',
      [
        '--batch',
        '--passphrase',
        '',
        '--quick-gen-key',
        'village-kiosk development release key',
        'ed25519',
        'sign',
        '2y',
      ],
      { env },
    );
    writeFileSync(publicKey, run('gpg', ['--batch', '--armor', '--export'], { env }));
  }
  log(`WARNING: no --archive-key given; the package trusts the development key ${relative(projectRoot, publicKey)}`);
  return publicKey;
}

function changelog(version: string): Buffer {
  const date = new Date().toUTCString().replace('GMT', '+0000');
  const text = `${packageName} (${version}) stable; urgency=medium\n\n  * Release ${version}.\n\n -- Village Kiosk Maintainers <village-kiosk@county.example.org>  ${date}\n`;
  return gzipSync(Buffer.from(text), { level: 9 });
}

function manPage(): Buffer {
  return gzipSync(readFileSync(join(packagingDir, 'doc', 'kiosk.1')), { level: 9 });
}

/** Stages the filesystem tree the package installs. */
export async function stage(root: string, options: BuildOptions, temp: string): Promise<void> {
  const arch = debianArch();
  const app = join(root, installRoot.slice(1), 'app');
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const external = externalPackages(projectRoot);
  const dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies).filter(([name]) => external.includes(name)),
  );
  write(
    join(app, 'package.json'),
    `${JSON.stringify({ name: packageName, version: options.version, private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  cpSync(join(projectRoot, 'dist', 'renderer'), join(app, 'dist', 'renderer'), { recursive: true });
  // The embedded platform's hall page script (remote help), found beside the bundle as in the source tree.
  cpSync(join(projectRoot, 'dist', 'hall'), join(app, 'dist', 'hall'), { recursive: true });
  await bundleServices(join(app, 'dist', 'node', 'kiosk.mjs'), external);
  const packages = productionPackages(projectRoot);
  copyPackages(projectRoot, app, packages);
  options.log(`bundled the services; copied ${packages.length} packages with native addons (${external.join(', ')})`);

  const node = join(root, installRoot.slice(1), 'node', 'bin', 'node');
  const runtime = nodeRuntime(arch, options.log);
  write(node, readFileSync(runtime), 0o755);
  // Node's licence, with those of the components built into it, beside it (the copyright file points here).
  write(join(root, installRoot.slice(1), 'node', 'LICENSE'), readFileSync(join(dirname(runtime), '..', 'LICENSE')));
  write(join(root, installRoot.slice(1), 'bin', 'kiosk'), readFileSync(join(packagingDir, 'bin', 'kiosk')), 0o755);
  mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
  symlinkSync('../lib/village-kiosk/bin/kiosk', join(root, 'usr', 'bin', 'kiosk'));

  for (const unit of readdirSync(join(packagingDir, 'systemd')))
    write(join(root, 'lib', 'systemd', 'system', unit), readFileSync(join(packagingDir, 'systemd', unit)));
  write(join(root, 'lib', 'udev', 'rules.d', knownRulesFile), knownDevicesRules(knownDevices));
  for (const file of ['config.json', 'update.json'])
    write(join(root, 'etc', 'village-kiosk', file), readFileSync(join(packagingDir, 'etc', file)));
  write(
    join(root, 'etc', 'village-kiosk', 'apt', `${packageName}.list`),
    `# The county's signed release repository, used by the update agent only; only its key is trusted for it.\ndeb [signed-by=/usr/share/keyrings/${packageName}-archive-keyring.gpg] ${options.repoUrl} ${options.suite} main\n`,
  );
  write(join(root, 'usr', 'share', 'keyrings', `${packageName}-archive-keyring.gpg`), archiveKeyring(options, temp));

  const theme = join(root, 'usr', 'share', 'village-kiosk', 'cursors', cursorThemeName);
  write(
    join(theme, 'index.theme'),
    `[Icon Theme]\nName=${cursorThemeName}\nComment=No visible pointer on the touch screen\n`,
  );
  const blank = transparentXcursor();
  for (const name of cursorNames) write(join(theme, 'cursors', name), blank);

  const doc = join(root, 'usr', 'share', 'doc', packageName);
  write(join(doc, 'copyright'), copyrightFile({ installRoot, rendererDir: join(app, 'dist', 'renderer') }));
  write(join(doc, 'changelog.gz'), changelog(options.version));
  write(join(doc, 'deploy.md'), readFileSync(join(projectRoot, 'docs', 'deploy.md')));
  write(join(root, 'usr', 'share', 'man', 'man1', 'kiosk.1.gz'), manPage());
  write(
    join(root, 'usr', 'share', 'lintian', 'overrides', packageName),
    readFileSync(join(packagingDir, 'debian', 'lintian-overrides')),
  );

  // Stripped binaries: smaller, and lintian's unstripped-binary-or-object. Dynamic symbols stay.
  for (const file of walk(join(root, installRoot.slice(1)))) {
    if (file === node || file.endsWith('.node'))
      run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', file]);
  }
  normalisePermissions(root);
  // Every addon must load in the runtime the package carries (Node-API, or this Node's ABI):
  // a module built for another Node or for Electron would fail only when its service first loads it.
  const problems = addonProblems(addonFiles(app), Number(process.versions.modules));
  if (problems.length > 0) throw new Error(`native modules that the carried Node cannot load:\n${problems.join('\n')}`);
  // The installed CLI must load every module it imports on the runtime it carries.
  run(node, [join(app, 'dist', 'node', 'kiosk.mjs'), '--help']);
}

function normalisePermissions(root: string): void {
  for (const file of walk(root)) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) continue;
    const executable = file.endsWith('/bin/kiosk') || file.endsWith('/bin/node');
    chmodSync(file, executable ? 0o755 : 0o644);
  }
  const dirs = (dir: string): void => {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) dirs(join(dir, entry.name));
  };
  dirs(root);
}

/** Shared-library dependencies of the ELF files, as dpkg-shlibdeps computes them. */
function shlibDepends(root: string, temp: string): string {
  const elves = walk(join(root, installRoot.slice(1))).filter(
    (file) => file.endsWith('.node') || file.endsWith('/bin/node'),
  );
  const work = join(temp, 'shlibs');
  mkdirSync(join(work, 'debian'), { recursive: true });
  writeFileSync(
    join(work, 'debian', 'control'),
    `Source: ${packageName}\n\nPackage: ${packageName}\nArchitecture: any\n`,
  );
  const out = run('dpkg-shlibdeps', ['-O', '--ignore-missing-info', ...elves.map((file) => `-e${file}`)], {
    cwd: work,
  });
  const match = /shlibs:Depends=(.*)/.exec(out);
  if (match?.[1] === undefined) throw new Error(`dpkg-shlibdeps printed no dependencies: ${out}`);
  return match[1].trim();
}

function controlFiles(root: string, options: BuildOptions, temp: string): void {
  const debian = join(root, 'DEBIAN');
  mkdirSync(debian, { recursive: true });
  const installedKb = Math.ceil(walk(root).reduce((sum, file) => sum + statSync(file).size, 0) / 1024);
  const control = readFileSync(join(packagingDir, 'debian', 'control'), 'utf8')
    .replace('@VERSION@', options.version)
    .replace('@ARCH@', debianArch())
    .replace('@INSTALLED_SIZE@', String(installedKb))
    .replace('@SHLIBS@', shlibDepends(root, temp));
  write(join(debian, 'control'), control);
  for (const script of ['postinst', 'prerm', 'postrm'])
    write(join(debian, script), readFileSync(join(packagingDir, 'debian', script)), 0o755);
  const conffiles = walk(join(root, 'etc'))
    .map((file) => `/${relative(root, file)}`)
    .sort();
  write(join(debian, 'conffiles'), `${conffiles.join('\n')}\n`);
  const sums = walk(root)
    .filter(
      (file) => !file.startsWith(debian) && !file.startsWith(join(root, 'etc')) && !lstatSync(file).isSymbolicLink(),
    )
    .sort()
    .map((file) => `${createHash('md5').update(readFileSync(file)).digest('hex')}  ${relative(root, file)}`);
  write(join(debian, 'md5sums'), `${sums.join('\n')}\n`);
}

export async function buildDeb(options: BuildOptions): Promise<string> {
  if (options.build) {
    options.log('building the renderer and the Node bundles');
    rmSync(join(projectRoot, 'dist'), { recursive: true, force: true });
    run('npm', ['run', 'build', '--silent'], { cwd: projectRoot });
  }
  if (!existsSync(join(projectRoot, 'dist', 'node', 'kiosk.mjs')))
    throw new Error('dist/ is not built: run npm run build');
  const temp = mkdtempSync(join(tmpdir(), 'village-kiosk-deb-'));
  try {
    const root = join(temp, 'root');
    await stage(root, options, temp);
    controlFiles(root, options, temp);
    mkdirSync(options.outDir, { recursive: true });
    const deb = join(options.outDir, `${packageName}_${options.version}_${debianArch()}.deb`);
    run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', root, deb]);
    return deb;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function parseArgs(argv: readonly string[]): BuildOptions {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const archiveKey = value('--archive-key');
  return {
    version: debianVersion(value('--version') ?? manifest.version),
    outDir: resolve(value('--out') ?? join(projectRoot, 'dist', 'deb')),
    build: !argv.includes('--no-build'),
    ...(archiveKey === undefined ? {} : { archiveKey: resolve(archiveKey) }),
    repoUrl: value('--repo-url') ?? 'https://updates.county.example.org/village-kiosk',
    suite: value('--suite') ?? 'stable',
    log: (line) => process.stderr.write(`package: ${line}\n`),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const deb = await buildDeb(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${deb}\n`);
}
