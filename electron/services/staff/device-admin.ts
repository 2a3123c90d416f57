import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { DeviceLink } from '../../../kiosk-config/config-schema';
import type { DeviceRole, DeviceStateView } from '../../api/device-contract';
import type { Refusal } from '../../api/failures';
import { deviceStateView, type DeviceManagerPort, type DiscoveredDevices, type SelfTestFailure } from './device-port';
import type { SiteSettingsService } from './site-settings-service';
import type { Actor } from './staff-guard';

/**
 * The technician's devices: what is attached and how it is, finding serial and HID devices,
 * moving a device to another link at run time (kept for the next start), self-tests, and the
 * camera the page uses.
 */
export interface DeviceAdmin {
  devices(): Result<{ devices: DeviceStateView[] }, never>;
  discover(actor: Actor): Promise<Result<DiscoveredDevices, never>>;
  assign(
    request: { role: DeviceRole; link: DeviceLink; paperWidth?: 58 | 80 | undefined },
    actor: Actor,
  ): Promise<Result<{ keptForNextStart: boolean }, Refusal<{ kind: 'device-failed'; detail: string }>>>;
  selfTest(role: DeviceRole, actor: Actor): Promise<Result<{ detail: string }, Refusal<SelfTestFailure>>>;
  setCamera(label: string, actor: Actor): Result<Record<string, never>, Refusal<{ kind: 'not-saved'; detail: string }>>;
}

const configKeyOf: Readonly<Record<DeviceRole, 'idReader' | 'printer' | 'scanner' | 'keypad'>> = {
  'id-reader': 'idReader',
  printer: 'printer',
  scanner: 'scanner',
  keypad: 'keypad',
};

export function createDeviceAdmin(deps: {
  readonly devices: DeviceManagerPort;
  readonly siteSettings: Pick<SiteSettingsService, 'keepDeviceChoice'>;
  readonly log: Log;
}): DeviceAdmin {
  const { devices, log } = deps;
  return {
    devices: () => ok({ devices: devices.states().map(deviceStateView) }),
    async discover(actor) {
      const found = await devices.discover();
      actor.audit('tech.devices-discovered', { serial: found.serial.length, hid: found.hid.length });
      return ok(found);
    },
    async assign({ role, link, paperWidth }, actor) {
      const result = await devices.assign(role, link, paperWidth === undefined ? {} : { paperWidth });
      actor.audit('tech.device-assigned', {
        role,
        link: link.kind,
        path: 'path' in link ? (link.path ?? null) : null,
        ok: result.ok,
      });
      log.info({ role, link: link.kind, ok: result.ok }, 'device assigned');
      if (!result.ok) return err({ kind: 'device-failed', detail: result.error.message });
      const kept = deps.siteSettings.keepDeviceChoice(
        {
          [configKeyOf[role]]: link,
          ...(role === 'printer' && paperWidth !== undefined ? { printerPaperWidth: paperWidth } : {}),
        },
        actor,
      );
      if (!kept.ok) log.warn({ role, reason: kept.error.detail }, 'device assignment not kept for the next start');
      return ok({ keptForNextStart: kept.ok });
    },
    async selfTest(role, actor) {
      const result = await devices.selfTest(role);
      actor.audit('tech.self-test', { role, ok: result.ok });
      return result.ok ? ok({ detail: result.value }) : result;
    },
    setCamera(label, actor) {
      const saved = deps.siteSettings.keepDeviceChoice({ cameraLabel: label }, actor);
      if (!saved.ok) return err({ kind: 'not-saved', detail: saved.error.detail });
      actor.audit('tech.camera-set', { labelLength: label.length });
      return ok({});
    },
  };
}
