import type { KioskConfig } from '../../kiosk-config/config-schema';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { Log } from '../../drivers/log';
import { err, ok, type Result } from '../../drivers/result';
import { createRpcServer, type Handlers, type RpcServer } from '../api/rpc-server';
import { loadConfig } from './config/config-loader';
import { createSessionService } from './session/session-service';
import { kioskVersion } from './version';

/**
 * Starts every Electron-free service and wires them to the API contract. The Electron shell and
 * the browser host both call this and differ only in how messages reach `rpc`.
 */
export interface KioskServicesOptions {
  /** Either a file to load or an already validated configuration. */
  readonly configPath?: string;
  readonly config?: KioskConfig;
  readonly dataDir: string;
  readonly log: Log;
}

export interface KioskServices {
  readonly rpc: RpcServer;
  readonly config: KioskConfig;
  health(): { status: 'ok' | 'degraded'; version: string; uptimeSeconds: number; sessionActive: boolean };
  close(): Promise<void>;
}

export interface StartupFailure {
  readonly kind: 'config' | 'data-dir' | 'device' | 'platform';
  readonly message: string;
}

export async function startKioskServices(options: KioskServicesOptions): Promise<Result<KioskServices, StartupFailure>> {
  const { log } = options;
  let config = options.config;
  if (config === undefined) {
    const loaded = await loadConfig(options.configPath);
    if (!loaded.ok) return err({ kind: 'config', message: loaded.error.message });
    config = loaded.value;
  }
  const startedAt = Date.now();
  const sessions = createSessionService(log.child({ service: 'session' }));

  const health = () => ({
    status: 'ok' as const,
    version: kioskVersion,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    sessionActive: sessions.current !== null,
  });

  const handlers: Handlers = {
    'kiosk.info': () =>
      ok({
        version: kioskVersion,
        terminalId: config.terminal.id,
        terminalName: config.terminal.name,
        servicePointName: config.servicePoint.name,
        languages: config.ui.languages,
        defaultLanguage: config.ui.defaultLanguage,
        idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
        idleWarningSeconds: config.ui.idleWarningSeconds,
        largeTextByDefault: config.ui.largeTextByDefault,
        voiceByDefault: config.ui.voiceByDefault,
      }),
    'catalogue.get': () => ok(embeddedCatalogue),
    'session.start': () => ok({ sessionId: sessions.start() }),
    'session.end': ({ reason }) => {
      sessions.end(reason);
      return ok({});
    },
    'health.get': () => ok(health()),
    'ui.report': (event) => {
      log.info({ ui: event.action, screen: event.screen, target: event.target }, 'user action');
      return ok({});
    },
  };
  const rpc = createRpcServer(handlers, log.child({ service: 'rpc' }));
  sessions.onEnded((sessionId, reason) => rpc.emit('session.ended', { sessionId, reason }));
  log.info({ terminalId: config.terminal.id, dataDir: options.dataDir }, 'services started');

  return ok({
    rpc,
    config,
    health,
    async close() {
      sessions.end('cancelled');
      log.info({}, 'services stopped');
    },
  });
}
