import type { KeypadKey } from '../../foundation/keypad-keys';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { openPtyPair, type PtyPairOptions } from '../simulators/pty';
import { SerialTransport } from '../transport/serial-transport';
import { encodeBootReport, usagesForKey } from './keypad-codec';

/**
 * A USB numeric keypad on a pseudo-terminal. There is no virtual HID device on these machines
 * (no /dev/uhid), so the simulator writes the keypad's real 8-byte boot keyboard reports, one
 * after another, on a PTY; the kiosk opens `devicePath` as a serial link and its driver cuts the
 * stream into reports ('stream' framing). Everything above the framing is the code a HID keypad runs.
 */
export interface KeypadSimulatorOptions {
  readonly pty?: PtyPairOptions;
  readonly log?: Log;
}

export interface KeypadSimulator {
  readonly devicePath: string;
  /** Presses and releases a key (by kiosk name: the numeric keypad's key for it, or by raw usage). */
  press(key: KeypadKey | { readonly usage: number }): Promise<boolean>;
  /** Holds keys down until the next hold() or release() (a held volume key repeats on the kiosk side). */
  hold(usages: readonly number[]): Promise<boolean>;
  release(): Promise<boolean>;
  /** Sends raw bytes (tests of a broken keypad). */
  sendRaw(bytes: Uint8Array): Promise<boolean>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export function usageOfKey(key: KeypadKey | { readonly usage: number }): number {
  if (typeof key !== 'string') return key.usage;
  const usage = usagesForKey(key)[0];
  if (usage === undefined) throw new Error(`no keypad key for ${key}`);
  return usage;
}

export async function startKeypadSimulator(options: KeypadSimulatorOptions = {}): Promise<KeypadSimulator> {
  const log = (options.log ?? silentLog).child({ simulator: 'keypad' });
  const pty = await openPtyPair({ deviceName: 'keypad', ...options.pty });
  const transport = new SerialTransport({ path: pty.simulatorPath, baudRate: 9600, log });
  const opened = await transport.open();
  if (!opened.ok) {
    await pty.close();
    throw new Error(`keypad simulator cannot open its PTY end: ${opened.error.message}`);
  }
  // Reports go out in order even when callers do not wait for each other.
  let queue: Promise<boolean> = Promise.resolve(true);
  const send = (reports: readonly Uint8Array[]) => {
    queue = queue.then(async () => {
      for (const report of reports) {
        const written = await transport.write(report);
        // Pressing an unplugged keypad goes nowhere, as with a real one.
        if (!written.ok) {
          log.warn({ kind: written.error.kind }, 'key not delivered: keypad unplugged');
          return false;
        }
      }
      return true;
    });
    return queue;
  };
  log.info({ devicePath: pty.devicePath }, 'keypad simulator ready');

  return {
    devicePath: pty.devicePath,
    press(key) {
      const usage = usageOfKey(key);
      log.info({ usage }, 'key pressed');
      return send([encodeBootReport([usage]), encodeBootReport([])]);
    },
    hold: (usages) => send([encodeBootReport(usages)]),
    release: () => send([encodeBootReport([])]),
    sendRaw: (bytes) => send([bytes]),
    async unplug() {
      await queue;
      await pty.unplug();
      await transport.close();
      log.info({}, 'keypad unplugged');
    },
    async replug() {
      await pty.replug();
      const again = await transport.open();
      if (!again.ok) throw new Error(`keypad simulator cannot reopen its PTY end: ${again.error.message}`);
      log.info({}, 'keypad plugged back');
    },
    async stop() {
      await queue;
      await transport.close();
      await pty.close();
      log.info({}, 'keypad simulator stopped');
    },
  };
}
