import { execFile } from 'node:child_process';
import type { HeadphonesSetting } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import { ok } from '../../../foundation/result';
import type { Handlers } from '../../api/rpc-server';

/**
 * Are headphones plugged in? Linux shows a jack's state as an ALSA control of the sound card
 * (iface CARD, named like "Headphone Jack" or "Front Headphone Jack", values on/off), which
 * `amixer contents` lists. Many boards and USB audio adapters report none: then the state is
 * unknown and the setting decides (docs/devices/tactile-keypad.md).
 */
export type JackState = 'in' | 'out' | 'unknown';

/** Reads the headphone jack controls out of `amixer contents` output; any one on → in. */
export function jackStateFromAmixer(output: string): JackState {
  let found: JackState = 'unknown';
  for (const block of output.split(/^(?=numid=)/m)) {
    const name = /name='([^']*)'/.exec(block)?.[1] ?? '';
    // "Headphone Mic Jack" is a microphone socket, not where the resident listens.
    if (!/headphone/i.test(name) || !/jack/i.test(name) || /mic/i.test(name)) continue;
    const value = /^\s*:\s*values=(on|off)/m.exec(block)?.[1];
    if (value === 'on') return 'in';
    if (value === 'off') found = 'out';
  }
  return found;
}

export type AmixerRunner = () => Promise<string | null>;

/** `amixer contents` of the default card, or null when amixer is missing, fails or hangs. */
export const runAmixer: AmixerRunner = () =>
  new Promise((resolve) => {
    execFile('amixer', ['contents'], { timeout: 2000, maxBuffer: 1024 * 1024 }, (error, stdout) =>
      resolve(error === null ? stdout : null),
    );
  });

export function headphonesIn(setting: HeadphonesSetting, jack: JackState): boolean {
  switch (setting) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'detect':
      return jack === 'in';
  }
}

export function createHeadphoneHandlers(deps: {
  readonly setting: () => HeadphonesSetting;
  readonly log: Log;
  readonly amixer?: AmixerRunner;
}): Pick<Handlers, 'audio.headphones'> {
  const amixer = deps.amixer ?? runAmixer;
  return {
    'audio.headphones': async () => {
      const setting = deps.setting();
      // Only `detect` asks the sound card; the others do not depend on it.
      const output = setting === 'detect' ? await amixer() : null;
      const jack = output === null ? 'unknown' : jackStateFromAmixer(output);
      deps.log.debug({ setting, jack }, 'headphones asked');
      return ok({ setting, jack, headphonesIn: headphonesIn(setting, jack) });
    },
  };
}
