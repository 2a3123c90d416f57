import { closeSync, constants, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../foundation/result';
import type { DeviceRole } from '../../api/device-contract';
import type { Refusal } from '../../api/failures';
import {
  pinRequestName,
  pinRequestSchema,
  pinResultName,
  pinResultSchema,
  type PinResult,
} from '../devices/pin-request';
import type { Actor, StaffGuard } from './staff-guard';

/**
 * The technician console's `kiosk devices pin`: the kiosk runs unprivileged, so it only leaves a
 * request in the data folder; the root helper unit (village-kiosk-pin.path) writes the udev rule and
 * answers beside it. The request names a role and a device node, checked here and again by the helper.
 */
export interface DevicePin {
  request(
    request: { role: DeviceRole; port: string },
    actor: Actor,
  ): Result<Record<string, never>, Refusal<{ kind: 'not-pinnable' } | { kind: 'not-written'; detail: string }>>;
  /** The helper's answer to the last request, or null while it has not answered. */
  result(): Result<{ result: PinResult | null }, never>;
}

export function createDevicePin(deps: { readonly dataDir: string }): DevicePin {
  const requestFile = join(deps.dataDir, pinRequestName);
  const resultFile = join(deps.dataDir, pinResultName);
  return {
    request(request, actor) {
      const parsed = pinRequestSchema.safeParse(request);
      actor.audit('tech.device-pin-requested', { role: request.role, ok: parsed.success });
      if (!parsed.success) return err({ kind: 'not-pinnable' });
      try {
        // The last answer belongs to the last request: gone before the new request appears.
        rmSync(resultFile, { force: true });
        // A fresh file renamed into place: the helper never reads half a request, and a link planted
        // at the request's name is replaced, not followed.
        const temporary = join(deps.dataDir, `.${pinRequestName}.${process.pid}`);
        rmSync(temporary, { force: true });
        writeFileSync(temporary, JSON.stringify(parsed.data), { mode: 0o640, flag: 'wx' });
        renameSync(temporary, requestFile);
      } catch (error) {
        return err({ kind: 'not-written', detail: error instanceof Error ? error.message : String(error) });
      }
      return ok({});
    },
    result() {
      let fd: number;
      try {
        fd = openSync(resultFile, constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch {
        return ok({ result: null });
      }
      try {
        const parsed = pinResultSchema.safeParse(JSON.parse(readFileSync(fd, 'utf8').slice(0, 4096)));
        return ok({ result: parsed.success ? parsed.data : { ok: false, message: 'the helper answered unreadably' } });
      } catch {
        return ok({ result: { ok: false, message: 'the helper answered unreadably' } });
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** The two RPC handlers, technician-only: kept here so the tests exercise the very wiring staff-module uses. */
export function devicePinHandlers(guard: StaffGuard, pin: DevicePin) {
  return {
    'tech.devices.pin': guard.technician((request: { role: DeviceRole; port: string }, actor) =>
      pin.request(request, actor),
    ),
    'tech.devices.pinResult': guard.technician(() => pin.result()),
  };
}
