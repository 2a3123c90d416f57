import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { softwareRoot } from '../../services/config/data-folder';
import { fail, type CliIo } from '../cli-io';
import { dataDirOf, dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/**
 * `kiosk start` (what `npm start` runs). With an Electron binary it starts the Electron shell;
 * without one, the browser host, opening Debian's Chromium in kiosk mode when a display exists.
 * It always says which it did.
 */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package is there but its binary was never downloaded
  }
}

/**
 * The electron package's own download step is not run at install time (package.json allowScripts:
 * machines without internet would fail `npm ci`). The first windowed start runs it instead: on a
 * machine with internet it fetches the binary; offline it fails within seconds and we fall back.
 */
function fetchElectronBinary(io: CliIo): string | null {
  const installer = createRequire(import.meta.url).resolve('electron/install.js');
  io.out('kiosk: no Electron binary yet; trying to download it once');
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000 });
  if (result.status !== 0) io.out('kiosk: the Electron binary could not be downloaded (no internet?)');
  return electronBinary();
}

/**
 * Chromium's setuid sandbox helper must be root-owned with mode 4755 where unprivileged user
 * namespaces are off; npm unpacks it as the installing user, so say how to fix it instead of
 * letting Electron abort with a FATAL line a technician cannot act on.
 */
export function sandboxHelperProblem(electron: string, stat = statSync): string | null {
  const helper = join(dirname(electron), 'chrome-sandbox');
  const info = stat(helper, { throwIfNoEntry: false });
  if (info === undefined) return null;
  if (info.uid === 0 && (info.mode & 0o7777) === 0o4755) return null;
  return `${helper} must be owned by root with mode 4755: sudo chown root:root ${helper} && sudo chmod 4755 ${helper}`;
}

function checkSandboxHelper(electron: string, io: CliIo): void {
  const problem = sandboxHelperProblem(electron);
  if (problem !== null) io.err(`kiosk: ${problem}`);
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['DISPLAY'] ?? env['WAYLAND_DISPLAY']);
}

interface StartOptions extends DataOptions {
  config?: string;
  headless?: boolean;
  devDock?: boolean;
  port: string;
}

export function registerStartCommand(program: Command, io: CliIo): void {
  dataOption(program.command('start'))
    .description('start the kiosk (Electron shell when available, else the browser host)')
    .option('--config <file>', 'configuration file (merged over the embedded defaults)')
    .option('--headless', 'run the browser host without opening a window')
    .option('--port <n>', 'browser host port (0 picks a free one)', '8787')
    .option('--dev-dock', 'serve the simulator dock (/dock/…) even without simulated devices (development only)')
    .action(async (options: StartOptions) => {
      const { loadConfig } = await import('../../services/config/config-loader');
      // Validate before touching anything: a bad file must not create or change data.
      const config = await loadConfig(options.config);
      if (!config.ok) fail(io, exitCodes.usage, `configuration error: ${config.error.message}`);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        fail(io, exitCodes.usage, `--port: expected a port number, got "${options.port}"`);
      const dataDir = dataDirOf(options);
      // Electron needs a display (X or Wayland, e.g. cage's); without one, the browser host serves.
      const electron =
        options.headless === true || !hasDisplay() ? null : (electronBinary() ?? fetchElectronBinary(io));
      if (electron !== null) checkSandboxHelper(electron, io);
      if (electron !== null) {
        io.out('kiosk: starting the Electron shell');
        const args = [
          join(softwareRoot(), 'dist', 'electron', 'main.js'),
          '--data',
          dataDir,
          ...(options.config === undefined ? [] : ['--config', resolve(options.config)]),
        ];
        const child = spawn(electron, args, { stdio: 'inherit' });
        const code = await new Promise<number>((done) => child.on('exit', (c) => done(c ?? 1)));
        if (code !== 0) fail(io, exitCodes.failed, `the Electron shell exited with code ${code}`);
        return;
      }

      const { createLogger } = await import('../../services/logging/logger');
      const { startKioskRuntime } = await import('../../host/kiosk-runtime');
      const log = createLogger();
      const runtime = await startKioskRuntime({
        config: config.value,
        dataDir,
        port,
        log,
        devDock: options.devDock === true,
      });
      if (!runtime.ok) fail(io, exitCodes.failed, `cannot start: ${runtime.error.message}`);
      const { url } = runtime.value.host;
      io.out(
        `kiosk: no Electron binary${options.headless === true ? ' needed (--headless)' : ' found'}; running the browser host`,
      );
      io.out(`kiosk ready at ${url}`);
      if (options.headless !== true) {
        if (hasDisplay() && existsSync('/usr/bin/chromium')) {
          io.out('kiosk: opening Chromium in kiosk mode');
          spawn(
            '/usr/bin/chromium',
            [
              '--kiosk',
              `--app=${runtime.value.host.launchUrl()}`,
              `--user-data-dir=${join(dataDir, 'chromium-profile')}`,
              '--no-first-run',
              '--disable-background-networking',
              '--disable-sync',
            ],
            { stdio: 'ignore', detached: false },
          );
        } else {
          io.out(
            `kiosk: no display found; open ${runtime.value.host.launchUrl()} in a browser (the link works once; later ones are in launch-code in the data folder)`,
          );
        }
      }
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await runtime.value.close();
    });
}
