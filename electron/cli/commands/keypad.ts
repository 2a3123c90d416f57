import type { Command } from 'commander';
import { keypadKeys, type KeypadKey } from '../../../foundation/keypad-keys';
import type { CliIo } from '../cli-io';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk simulate keypad`: a USB numeric keypad on a PTY (its HID boot reports back to back,
 * docs/devices/tactile-keypad.md). Each line typed names a kiosk key (up, down, enter, help…) and
 * presses the keypad key that does it; `!unplug` / `!replug` pull and restore the cable. Point a
 * kiosk's `devices.keypad` at the printed path as a serial link to try the keys by hand.
 */
function isKeypadKey(word: string): word is KeypadKey {
  return (keypadKeys as readonly string[]).includes(word);
}

export function registerSimulateKeypad(simulate: Command, io: CliIo): void {
  simulate
    .command('keypad')
    .description('a USB numeric keypad on a pseudo-terminal; type a key name (up, down, enter, help…) to press it')
    .action(async () => {
      const { startKeypadSimulator } = await import('../../../drivers/keypad/keypad-simulator');
      const sim = await startKeypadSimulator();
      io.out(`keypad simulator: device ${sim.devicePath}`);
      io.out(`keys: ${keypadKeys.join(' ')}; !unplug / !replug pull and restore the cable; Ctrl-C to stop`);
      await runSimulatorConsole(async (line) => {
        if (line === '') return;
        if (line === '!unplug' || line === '!replug') {
          await (line === '!unplug' ? sim.unplug() : sim.replug());
          io.out(`ok: ${line}`);
          return;
        }
        if (!isKeypadKey(line)) {
          io.out(`unknown key "${line.slice(0, 40)}": one of ${keypadKeys.join(', ')}`);
          return;
        }
        const delivered = await sim.press(line);
        io.out(delivered ? `pressed ${line}` : 'not delivered: the keypad is unplugged (!replug)');
      });
      await sim.stop();
      io.out('keypad simulator stopped');
    });
}
