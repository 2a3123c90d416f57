import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
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

/** Runs amixer (alsa-utils) on the default card with `args`: its output, or null when amixer is missing, fails or hangs. */
export type AmixerRunner = (args: readonly string[]) => Promise<string | null>;

export const runAmixer: AmixerRunner = (args) =>
  new Promise((resolve) => {
    execFile('amixer', [...args], { timeout: 2000, maxBuffer: 1024 * 1024 }, (error, stdout) =>
      resolve(error === null ? stdout : null),
    );
  });

/**
 * The loudspeaker's playback switch, as HDA codecs (the usual kiosk board) name it. A card without
 * one (a USB adapter with only the headset socket) has nothing to mute: amixer fails, and the
 * mode then does not claim the speaker is off.
 */
const speakerSwitch = ['-q', 'sset', 'Speaker'];

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

export interface Headphones {
  readonly handlers: Pick<Handlers, 'audio.headphones' | 'audio.privateListening'>;
  /** Gives the speaker back if private listening muted it (the session ended, whatever the page did). */
  readonly release: () => Promise<void>;
}

/**
 * Headphones and the speaker (issue 17: "with headphones in, the speaker is muted"). While the
 * audio keypad mode listens privately (`audio.privateListening` on), the speaker is muted whenever
 * headphones are in — asked again on every call, so headphones plugged in mid-journey count — and
 * unmuted when they come out, when the mode ends, or when the session ends.
 */
export function createHeadphones(deps: {
  readonly setting: () => HeadphonesSetting;
  readonly log: Log;
  readonly amixer?: AmixerRunner;
  /**
   * A file that exists while the kiosk holds the speaker muted. The mute outlives the process (the
   * card keeps it; alsa-utils even restores it after a reboot): a service that died with the speaker
   * muted gives it back when it starts again, or every later resident would have no sound.
   */
  readonly mutedMarker?: string;
}): Headphones {
  const amixer = deps.amixer ?? runAmixer;
  const marker = deps.mutedMarker;
  const remember = (on: boolean) => {
    if (marker === undefined) return;
    try {
      if (on) writeFileSync(marker, '');
      else rmSync(marker, { force: true });
    } catch (error) {
      deps.log.warn({ error: (error as Error).message }, 'the speaker mute marker could not be kept');
    }
  };
  /** Muted by us (in this run or one that died): only then is it ours to unmute. */
  let muted = marker !== undefined && existsSync(marker);
  // Calls are serialised, so a quick off after on never unmutes before the mute landed.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job);
    chain = next.catch(() => undefined);
    return next;
  };

  const ask = async () => {
    const setting = deps.setting();
    // Only `detect` asks the sound card; the others do not depend on it.
    const output = setting === 'detect' ? await amixer(['contents']) : null;
    const jack = output === null ? 'unknown' : jackStateFromAmixer(output);
    return { setting, jack, headphonesIn: headphonesIn(setting, jack) };
  };
  const unmute = async () => {
    if (!muted) return;
    muted = false;
    if ((await amixer([...speakerSwitch, 'unmute'])) === null) {
      // The marker stays: the next start tries again.
      deps.log.warn({}, 'the speaker could not be unmuted');
      return;
    }
    deps.log.info({}, 'speaker unmuted');
    remember(false);
  };
  if (muted) void serial(unmute);

  return {
    release: () => serial(unmute),
    handlers: {
      'audio.headphones': async () => {
        const answer = await ask();
        deps.log.debug({ setting: answer.setting, jack: answer.jack }, 'headphones asked');
        return ok(answer);
      },
      'audio.privateListening': ({ on }) =>
        serial(async () => {
          if (!on) {
            await unmute();
            return ok({ headphonesIn: false, speakerMuted: false });
          }
          const answer = await ask();
          // A jack that could not be read this time (amixer slow or failing) is no news: the speaker
          // stays as it is rather than coming back on between two screens.
          const unread = answer.setting === 'detect' && answer.jack === 'unknown';
          if (!answer.headphonesIn) {
            if (!unread) await unmute();
          } else if (!muted) {
            // Marked before the mute: a crash in between leaves at most an unmute of a speaker that is on.
            remember(true);
            muted = (await amixer([...speakerSwitch, 'mute'])) !== null;
            if (!muted) remember(false);
            if (muted) deps.log.info({ setting: answer.setting, jack: answer.jack }, 'speaker muted: headphones in');
            else deps.log.warn({ setting: answer.setting }, 'headphones in, but the speaker could not be muted');
          }
          return ok({ headphonesIn: answer.headphonesIn, speakerMuted: muted });
        }),
    },
  };
}
