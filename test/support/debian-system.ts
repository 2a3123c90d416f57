import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DgramSocket } from 'node-unix-socket';

/**
 * What the package tests need from the machine: commands, a release key, a signed APT repository,
 * the installed unit's command run as systemd would (systemd is not PID 1 here), and a
 * notification socket the test reads.
 */
export function sh(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const result = spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { code: result.status ?? 1, out: `${result.stdout}${result.stderr}` };
}

export function must(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  const result = sh(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} → ${result.code}\n${result.out}`);
  return result.out;
}

export interface ReleaseKey {
  readonly home: string;
  readonly fingerprint: string;
  readonly publicKeyFile: string;
}

export function makeReleaseKey(dir: string, name: string): ReleaseKey {
  const home = join(dir, `gnupg-${name}`);
  mkdirSync(home, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  must('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', `${name} release key`, 'ed25519', 'sign', '1d'], {
    env,
  });
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(
    must('gpg', ['--batch', '--with-colons', '--list-keys'], { env }),
  )?.[1];
  if (fingerprint === undefined) throw new Error('no key made');
  const publicKeyFile = join(dir, `${name}.asc`);
  writeFileSync(publicKeyFile, must('gpg', ['--batch', '--armor', '--export', fingerprint], { env }));
  return { home, fingerprint, publicKeyFile };
}

/** gpg starts an agent per home that outlives the test: stop it, so nothing is left running. */
export function stopGpgAgent(key: ReleaseKey): void {
  sh('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: key.home } });
}

/** A reprepro repository with one suite, signed with `key`. */
export function makeRepository(
  dir: string,
  key: ReleaseKey,
  arch: string,
): { dir: string; resign(key: ReleaseKey): void; publish(deb: string): void } {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  const configure = (signer: ReleaseKey) =>
    writeFileSync(
      join(dir, 'conf', 'distributions'),
      `Origin: county\nLabel: village-kiosk\nCodename: stable\nSuite: stable\nComponents: main\nArchitectures: ${arch}\nSignWith: ${signer.fingerprint}\n`,
    );
  let signer = key;
  configure(signer);
  const env = () => ({ ...process.env, GNUPGHOME: signer.home });
  return {
    dir,
    publish(deb) {
      must('reprepro', ['-b', dir, '--silent', 'includedeb', 'stable', deb], { env: env() });
    },
    resign(next) {
      signer = next;
      configure(signer);
      must('reprepro', ['-b', dir, '--silent', 'export', 'stable'], { env: env() });
    },
  };
}

/** A copy of `deb` released as `version` (control data, the app's package.json and its md5sum). */
export function restampDeb(deb: string, version: string, workDir: string, outDir: string): string {
  const tree = join(workDir, `tree-${version}`);
  must('dpkg-deb', ['-R', deb, tree]);
  const control = join(tree, 'DEBIAN', 'control');
  writeFileSync(control, readFileSync(control, 'utf8').replace(/^Version: .*$/m, `Version: ${version}`));
  const manifestPath = 'usr/lib/village-kiosk/app/package.json';
  const manifest = JSON.parse(readFileSync(join(tree, manifestPath), 'utf8')) as { version: string };
  manifest.version = version;
  writeFileSync(join(tree, manifestPath), `${JSON.stringify(manifest, null, 2)}\n`);
  const sum = must('md5sum', [join(tree, manifestPath)]).split(' ')[0] ?? '';
  const sums = join(tree, 'DEBIAN', 'md5sums');
  writeFileSync(
    sums,
    readFileSync(sums, 'utf8').replace(/^[0-9a-f]{32}( {2}usr\/lib\/village-kiosk\/app\/package\.json)$/m, `${sum}$1`),
  );
  const out = join(outDir, `village-kiosk_${version}_${must('dpkg', ['--print-architecture']).trim()}.deb`);
  must('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', tree, out]);
  must('rm', ['-rf', tree]);
  return out;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A socket in the place of systemd's: every datagram the service sends, in order. */
export function notifySocket(dir: string): { path: string; messages: string[]; close(): void } {
  chmodSync(dir, 0o755);
  const path = join(dir, 'notify');
  const socket = new DgramSocket();
  const messages: string[] = [];
  socket.on('data', (data: Buffer) => messages.push(data.toString('utf8')));
  socket.bind(path);
  chmodSync(path, 0o666); // the service runs as the kiosk user
  return { path, messages, close: () => socket.close() };
}

/** The unit's ExecStart= words (no shell: systemd splits on spaces for these simple lines). */
export function execStart(unitFile: string): string[] {
  const line = /^ExecStart=(.+)$/m.exec(readFileSync(unitFile, 'utf8'))?.[1];
  if (line === undefined) throw new Error(`${unitFile}: no ExecStart`);
  return line.trim().split(/\s+/);
}

/** Runs a command as the unit's User= would (setpriv: no shell, same pid as the child). */
export function runAsUser(user: string, argv: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn('setpriv', [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', ...argv], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

/** Processes whose command line mentions `text` (the installed tree), for "nothing left running". */
export function processesMentioning(text: string): number[] {
  return must('ps', ['-eo', 'pid=,args='])
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
