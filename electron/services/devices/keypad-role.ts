import type { KeypadKey } from '../../../foundation/keypad-keys';
import type { Log } from '../../../foundation/log';
import { KeypadService } from '../../../drivers/keypad/keypad-service';
import { openLink, type ConcreteLink } from './device-links';
import { linkStatusView, serialHotplug, type RoleRuntime } from './role-runtime';

/** How long the technician's self-test waits for a key press. */
export const keypadSelfTestMs = 15_000;

/**
 * The tactile keypad on its link: every key with a job goes to `onKey` (the `keypad.key`
 * notification). A HID link carries one report per read; a serial link (the simulator's PTY)
 * carries the same reports back to back (docs/devices/tactile-keypad.md).
 */
export async function startKeypadRole(
  link: ConcreteLink,
  options: {
    log: Log;
    onKey: (key: KeypadKey) => void;
    onStatus: (status: { state: string; detail?: string }) => void;
  },
): Promise<RoleRuntime> {
  const watched = serialHotplug(link, options.log);
  const service = new KeypadService({
    connect: () => openLink(link, options.log, { readable: true }),
    framing: link.kind === 'hid' ? 'report' : 'stream',
    log: options.log,
    ...watched,
  });
  service.on('status', (status) => options.onStatus(linkStatusView(status)));
  service.on('press', (press) => {
    if (press.key !== null) options.onKey(press.key);
  });
  await service.start();
  return {
    status: () => linkStatusView(service.status),
    selfTest: async () => {
      const result = await service.selfTest(keypadSelfTestMs);
      if (!result.ok) return { ok: false, message: result.error.message };
      const { name, key } = result.value;
      return { ok: true, message: key === null ? `${name} (no job on the kiosk)` : `${name} → ${key}` };
    },
    stop: async () => {
      await service.stop();
      watched.hotplug?.close();
    },
  };
}
