import type { Log } from '../../foundation/log';
import { ok } from '../../foundation/result';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import type { Health } from '../api/contract';
import type { Handlers } from '../api/rpc-server';
import { kioskVersion } from './version';

/** The terminal's own calls: what it is (for the renderer's start), its catalogue, its health, and the UI's action log. */
export function createKioskHandlers(deps: {
  readonly config: KioskConfig;
  readonly catalogue: () => Catalogue;
  readonly health: () => Health;
  readonly log: Log;
}): Pick<Handlers, 'kiosk.info' | 'catalogue.get' | 'health.get' | 'ui.report'> {
  const { config } = deps;
  return {
    'kiosk.info': () =>
      ok({
        version: kioskVersion,
        terminalId: config.terminal.id,
        terminalName: config.terminal.name,
        servicePointName: config.servicePoint.name,
        servicePointPhone: config.servicePoint.phone,
        villageGroups: [...config.servicePoint.villageGroups],
        languages: config.ui.languages,
        defaultLanguage: config.ui.defaultLanguage,
        idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
        idleWarningSeconds: config.ui.idleWarningSeconds,
        largeTextByDefault: config.ui.largeTextByDefault,
        voiceByDefault: config.ui.voiceByDefault,
        ...(config.ui.cardReaderWhere === undefined ? {} : { cardReaderWhere: config.ui.cardReaderWhere }),
        cameraLabel: config.devices.cameraLabel,
        retentionDays: config.privacy.retentionDays,
        remoteHelp:
          config.remoteHelp?.enabled === true
            ? { noAnswerSeconds: config.remoteHelp.noAnswerSeconds, maxVideoKbps: config.remoteHelp.maxVideoKbps }
            : null,
      }),
    'catalogue.get': () => ok(deps.catalogue()),
    'health.get': () => ok(deps.health()),
    'ui.report': (event) => {
      deps.log.info({ ui: event.action, screen: event.screen, target: event.target }, 'user action');
      return ok({});
    },
  };
}
