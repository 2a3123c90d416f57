import { spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../../foundation/clock';
import { createLogger } from '../../services/logging/logger';
import { backup } from '../../services/store/backup';
import { openDatabase, storePaths } from '../../services/store/database';
import {
  classifyAptError,
  runUpdate,
  updateConfigSchema,
  type HealthAnswer,
  type UpdateConfig,
  type UpdatePorts,
} from '../../services/update/update-agent';
import { updateStatusFile } from '../../services/update/update-status';
import { CliExit, type CliIo } from '../cli-io';

/**
 * `kiosk update run --config /etc/village-kiosk/update.json --data /var/lib/village-kiosk` (root,
 * from village-kiosk-update.timer): the update agent on the real apt-get and dpkg. apt only ever
 * reads the county's source list here, so an unreachable Debian mirror cannot block an update,
 * and apt itself checks the repository's signature (signed-by= the county key) and every hash.
 * Exit codes: 0 up to date, deferred or installed; 1 refused, failed or rolled back; 2 usage.
 */

function command(cmd: string, args: readonly string[], cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, [...args], {
      cwd,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => done({ code: 127, output: error.message }));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

function aptOptions(config: UpdateConfig): string[] {
  return [
    '-q',
    '-o',
    `Dir::Etc::sourcelist=${config.sourcesList}`,
    '-o',
    'Dir::Etc::sourceparts=-',
    '-o',
    'APT::Get::List-Cleanup=0',
    '-o',
    'DPkg::Lock::Timeout=300',
    '-o',
    'Dpkg::Options::=--force-confold',
  ];
}

/** Owner of the data folder (the kiosk user): files the agent leaves there must stay readable to it. */
function giveToDataOwner(dataDir: string, path: string): void {
  const { uid, gid } = statSync(dataDir);
  chownSync(path, uid, gid);
}

export function systemUpdatePorts(config: UpdateConfig, dataDir: string, releasesDir: string): UpdatePorts {
  const apt = aptOptions(config);
  const versionsOf = new Map<string, string>(); // kept .deb → its Version field
  const kept = (version: string): string | null =>
    [...versionsOf.entries()].find(([path, v]) => v === version && existsSync(path))?.[0] ?? null;
  const step = (result: { code: number; output: string }) =>
    result.code === 0
      ? { ok: true as const, value: undefined }
      : { ok: false as const, error: classifyAptError(result.output) };

  return {
    async installedVersion() {
      const r = await command('dpkg-query', ['-W', '-f=${db:Status-Abbrev} ${Version}', config.package]);
      const match = /^ii\s+(\S+)/.exec(r.output.trim());
      return r.code === 0 && match?.[1] !== undefined ? match[1] : null;
    },
    async refreshIndex() {
      const r = await command('apt-get', [...apt, 'update']);
      // apt-get update exits 0 on some fetch errors: a warning about this source is a failure too
      // (but not apt's note that it fetched without its _apt sandbox).
      const problems = r.output.split('\n').filter((line) => /^(W|E): /.test(line) && !/unsandboxed/.test(line));
      if (r.code === 0 && problems.length === 0) return { ok: true, value: undefined };
      return { ok: false, error: classifyAptError(r.output) };
    },
    async availableVersions() {
      const r = await command('apt-cache', [...apt, 'madison', config.package]);
      return r.output
        .split('\n')
        .map((line) => line.split('|').map((part) => part.trim()))
        .filter((parts) => parts[0] === config.package && parts[2]?.endsWith(' Packages') === true)
        .map((parts) => parts[1] ?? '');
    },
    async hasKeptRelease(version) {
      await indexKept();
      return kept(version) !== null;
    },
    async keepRelease(version) {
      await indexKept();
      if (kept(version) !== null) return { ok: true, value: undefined };
      mkdirSync(releasesDir, { recursive: true, mode: 0o755 });
      const r = await command('apt-get', [...apt, 'download', `${config.package}=${version}`], releasesDir);
      await indexKept();
      return step(r);
    },
    async install(version) {
      const path = kept(version);
      if (path === null) return { ok: false, error: { kind: 'other', message: `${version} was not downloaded` } };
      return step(await command('apt-get', [...apt, 'install', '-y', '--no-install-recommends', path]));
    },
    async reinstallKept(version) {
      const path = kept(version);
      if (path === null) return { ok: false, error: { kind: 'other', message: `no kept copy of ${version}` } };
      return step(
        await command('apt-get', [...apt, 'install', '-y', '--allow-downgrades', '--no-install-recommends', path]),
      );
    },
    async backupDatabase() {
      const paths = storePaths(dataDir);
      if (!existsSync(paths.database)) return { ok: true, value: 'no database yet' };
      const db = openDatabase(paths.database, { readonly: true });
      if (!db.ok)
        return { ok: false, error: { kind: 'other', message: `cannot open the database (${db.error.kind})` } };
      try {
        const made = backup(db.value, paths.backups, { clock: systemClock });
        if (!made.ok) return { ok: false, error: { kind: 'other', message: made.error.reason } };
        giveToDataOwner(dataDir, paths.backups);
        giveToDataOwner(dataDir, made.value.path);
        return { ok: true, value: made.value.path };
      } finally {
        db.value.close();
      }
    },
    async restartServices() {
      const [cmd, ...args] = config.restartCommand;
      if (cmd !== undefined) await command(cmd, args);
    },
    async health() {
      try {
        const response = await fetch(config.healthUrl, { signal: AbortSignal.timeout(3000) });
        if (!response.ok) return null;
        return (await response.json()) as HealthAnswer;
      } catch {
        return null;
      }
    },
    async compareVersions(a, b) {
      if ((await command('dpkg', ['--compare-versions', a, 'gt', b])).code === 0) return 1;
      return (await command('dpkg', ['--compare-versions', a, 'lt', b])).code === 0 ? -1 : 0;
    },
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    async writeReport(report) {
      const path = join(dataDir, updateStatusFile);
      const temporary = `${path}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(report)}\n`, { mode: 0o600 });
      giveToDataOwner(dataDir, temporary);
      renameSync(temporary, path);
    },
  };

  /** Learns each kept package's version from its own control data (file names encode versions). */
  async function indexKept(): Promise<void> {
    if (!existsSync(releasesDir)) return;
    for (const name of readdirSync(releasesDir).filter((n) => n.endsWith('.deb'))) {
      const path = join(releasesDir, name);
      if (versionsOf.has(path)) continue;
      const r = await command('dpkg-deb', ['-f', path, 'Version']);
      if (r.code === 0) versionsOf.set(path, r.output.trim());
    }
  }
}

export function registerUpdateCommands(program: Command, io: CliIo): void {
  program
    .command('update')
    .description('signed updates from the county repository')
    .command('run')
    .description('install the assigned version within the quiet hours, with health check and rollback (root)')
    .requiredOption('--config <file>', 'update settings (update.json)')
    .requiredOption('--data <dir>', 'the kiosk data folder')
    .option('--releases <dir>', 'where verified releases are kept for rollback', '/var/cache/village-kiosk/releases')
    .action(async (options: { config: string; data: string; releases: string }) => {
      let config: UpdateConfig;
      try {
        const parsed = updateConfigSchema.safeParse(JSON.parse(readFileSync(options.config, 'utf8')));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
        config = parsed.data;
      } catch (error) {
        io.err(`kiosk: ${options.config}: ${error instanceof Error ? error.message : String(error)}`);
        throw new CliExit(2);
      }
      const dataDir = resolve(options.data);
      const report = await runUpdate(config, systemUpdatePorts(config, dataDir, resolve(options.releases)), {
        clock: systemClock,
        log: createLogger().child({ service: 'update' }),
      });
      const line = `kiosk: update ${report.outcome}: ${report.reason}`;
      switch (report.outcome) {
        case 'up-to-date':
        case 'deferred':
        case 'installed':
          io.out(line);
          return;
        case 'refused':
        case 'failed':
        case 'rolled-back':
          io.err(line);
          throw new CliExit(1);
      }
    });
}
