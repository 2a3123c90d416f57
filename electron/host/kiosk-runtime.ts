import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import type { Log } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import {
  startKioskServices,
  type KioskServices,
  type KioskServicesOptions,
  type StartupFailure,
} from '../services/kiosk-services';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { launchCodeFileName } from './host-security';
import { mountDockRoutes } from './dock-routes';
import { monotonicClock, systemTimers, type Clock, type Timers } from '../../foundation/clock';
import { openServiceNotifier, type ServiceNotifier } from '../services/watchdog/sd-notify';
import { startServiceWatchdog, type ServiceWatchdog } from '../services/watchdog/service-watchdog';
import { kioskProbes } from '../services/watchdog/kiosk-probes';

/**
 * Everything `kiosk start` runs in the browser-host mode: services, then the host that serves
 * the renderer. Tests start the same runtime, so what they check is what a terminal runs.
 */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultRendererDir = join(projectRoot, 'dist', 'renderer');

export interface RuntimeOptions {
  readonly config: KioskConfig;
  readonly dataDir: string;
  readonly port: number;
  readonly log: Log;
  readonly rendererDir?: string;
  /** systemd's notification socket (default: from the environment; a no-op outside systemd). */
  readonly notifier?: ServiceNotifier;
  /** Mount the simulator dock even without simulated devices (`kiosk start --dev-dock`). */
  readonly devDock?: boolean;
  /** Wall time and the background schedules' timers (kiosk-services.ts); the soak run accelerates both. */
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** The device layer (kiosk-services.ts); the soak run's kiosk polls the card reader faster. */
  readonly createDevices?: KioskServicesOptions['createDevices'];
}

/** The dock exists only where something is simulated, or a developer asked for it. */
export function dockWanted(config: KioskConfig, devDock: boolean): boolean {
  const { idReader, printer, scanner, keypad } = config.devices;
  return devDock || [idReader, printer, scanner, keypad].some((link) => link?.kind === 'simulated');
}

export interface KioskRuntime {
  readonly host: BrowserHost;
  readonly services: KioskServices;
  readonly watchdog: ServiceWatchdog;
  close(): Promise<void>;
}

export async function startKioskRuntime(options: RuntimeOptions): Promise<Result<KioskRuntime, StartupFailure>> {
  try {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return err({
      kind: 'data-dir',
      message: `${options.dataDir}: cannot create the data folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    });
  }
  const services = await startKioskServices({
    config: options.config,
    dataDir: options.dataDir,
    log: options.log,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.createDevices === undefined ? {} : { createDevices: options.createDevices }),
  });
  if (!services.ok) return services;
  let host: BrowserHost;
  const running = services.value;
  const watchdog = startServiceWatchdog({
    notifier: options.notifier ?? openServiceNotifier(),
    probes: kioskProbes({ db: running.store.db, devices: running.devices }),
    log: options.log.child({ service: 'watchdog' }),
    monotonic: monotonicClock,
    timers: systemTimers,
  });
  try {
    host = await startBrowserHost({
      services: running,
      // What an update agent or a technician's curl needs: alive, which version, and the same
      // checks the systemd watchdog ping depends on (no personal data).
      health: async () => {
        const report = await watchdog.check();
        const base = running.health();
        return {
          ...base,
          status: report.healthy ? base.status : 'degraded',
          problems: report.problems,
          devices: Object.fromEntries(running.devices.states().map((d) => [d.role, d.status.state])),
        };
      },
      rendererDir: options.rendererDir ?? defaultRendererDir,
      port: options.port,
      launchCodeFile: join(options.dataDir, launchCodeFileName),
      log: options.log.child({ service: 'host' }),
      ...(dockWanted(options.config, options.devDock ?? false)
        ? {
            extraRoutes: (app, token) =>
              mountDockRoutes(app, { dock: running.devices.dock, platform: running.platform.embedded, token }),
          }
        : {}),
    });
  } catch (error) {
    await watchdog.stop();
    await services.value.close();
    return err({ kind: 'platform', message: error instanceof Error ? error.message : String(error) });
  }
  await watchdog.ready(`serving ${host.url}`);
  return ok({
    host,
    services: services.value,
    watchdog,
    async close() {
      await watchdog.stop();
      await host.close();
      await services.value.close();
    },
  });
}
