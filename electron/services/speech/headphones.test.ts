import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../foundation/log';
import { createHeadphones, headphonesIn, jackStateFromAmixer } from './headphones';

/** The shape `amixer contents` prints (an HDA codec with front and rear jacks). */
const amixerContents = (
  front: 'on' | 'off',
  mic: 'on' | 'off' = 'off',
) => `numid=2,iface=MIXER,name='Master Playback Volume'
  ; type=INTEGER,access=rw---R--,values=1,min=0,max=87,step=0
  : values=60
numid=20,iface=CARD,name='Headphone Mic Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=${mic}
numid=19,iface=CARD,name='Front Headphone Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=${front}
numid=18,iface=CARD,name='Line Out Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
`;

describe('headphone jack', () => {
  it('reads the headphone jack control, not a microphone or line-out jack', () => {
    expect(jackStateFromAmixer(amixerContents('on'))).toBe('in');
    expect(jackStateFromAmixer(amixerContents('off'))).toBe('out');
    expect(jackStateFromAmixer(amixerContents('off', 'on'))).toBe('out');
  });

  it('says unknown when the card reports no headphone jack', () => {
    expect(jackStateFromAmixer("numid=1,iface=MIXER,name='PCM Playback Volume'\n  : values=100\n")).toBe('unknown');
    expect(jackStateFromAmixer('')).toBe('unknown');
  });

  it('lets the setting decide, and the jack only with detect', () => {
    expect(headphonesIn('always', 'out')).toBe(true);
    expect(headphonesIn('never', 'in')).toBe(false);
    expect(headphonesIn('detect', 'in')).toBe(true);
    expect(headphonesIn('detect', 'unknown')).toBe(false);
  });

  it('answers the renderer, asking amixer only with detect (missing amixer: unknown)', async () => {
    let asked = 0;
    const handlers = (setting: 'detect' | 'always' | 'never', output: string | null) =>
      createHeadphones({
        setting: () => setting,
        log: silentLog,
        amixer: () => {
          asked++;
          return Promise.resolve(output);
        },
      }).handlers['audio.headphones'];
    const context = { connection: 'c' } as never;
    expect(await handlers('detect', amixerContents('on'))({}, context)).toEqual({
      ok: true,
      value: { setting: 'detect', jack: 'in', headphonesIn: true },
    });
    expect(await handlers('detect', null)({}, context)).toEqual({
      ok: true,
      value: { setting: 'detect', jack: 'unknown', headphonesIn: false },
    });
    expect(asked).toBe(2);
    expect(await handlers('always', amixerContents('off'))({}, context)).toEqual({
      ok: true,
      value: { setting: 'always', jack: 'unknown', headphonesIn: true },
    });
    expect(asked).toBe(2);
  });

  describe('private listening: the speaker is muted while headphones are in', () => {
    /** A sound card: its headphone jack, and whether its speaker switch exists; records amixer's calls. */
    function card(
      jack: 'on' | 'off',
      options: { speakerSwitch?: boolean; setting?: 'detect' | 'always' | 'never' } = {},
    ) {
      const state = { jack, readable: true, calls: [] as string[] };
      const headphones = createHeadphones({
        setting: () => options.setting ?? 'detect',
        log: silentLog,
        amixer: (args) => {
          state.calls.push(args.join(' '));
          if (args[0] === 'contents') return Promise.resolve(state.readable ? amixerContents(state.jack) : null);
          return Promise.resolve(options.speakerSwitch === false ? null : '');
        },
      });
      const listen = (on: boolean) =>
        headphones.handlers['audio.privateListening']({ on }, { connection: 'c' } as never);
      return { state, headphones, listen };
    }

    it('mutes the speaker once when headphones are in, and gives it back when the mode ends', async () => {
      const { state, listen } = card('on');
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: true, speakerMuted: true } });
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: true, speakerMuted: true } });
      expect(await listen(false)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: false } });
      expect(state.calls).toEqual(['contents', '-q sset Speaker mute', 'contents', '-q sset Speaker unmute']);
    });

    it('leaves the speaker alone without headphones, and unmutes it when they come out mid-journey', async () => {
      const { state, listen } = card('off');
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: false } });
      expect(state.calls).toEqual(['contents']);
      state.jack = 'on';
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: true, speakerMuted: true } });
      state.jack = 'off';
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: false } });
      expect(state.calls.filter((c) => c !== 'contents')).toEqual(['-q sset Speaker mute', '-q sset Speaker unmute']);
    });

    it('follows the technician setting where the card cannot tell: always mutes, never does not', async () => {
      const always = card('off', { setting: 'always' });
      expect(await always.listen(true)).toEqual({ ok: true, value: { headphonesIn: true, speakerMuted: true } });
      expect(always.state.calls).toEqual(['-q sset Speaker mute']);
      const never = card('on', { setting: 'never' });
      expect(await never.listen(true)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: false } });
      expect(never.state.calls).toEqual([]);
    });

    it('keeps the speaker muted when the jack cannot be read for a moment', async () => {
      const { state, listen } = card('on');
      await listen(true);
      state.readable = false; // amixer slow or failing once
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: true } });
      state.readable = true;
      state.jack = 'off';
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: false, speakerMuted: false } });
      expect(state.calls.filter((c) => c !== 'contents')).toEqual(['-q sset Speaker mute', '-q sset Speaker unmute']);
    });

    it('does not claim the speaker is off when the card has no speaker switch', async () => {
      const { listen } = card('on', { speakerSwitch: false });
      expect(await listen(true)).toEqual({ ok: true, value: { headphonesIn: true, speakerMuted: false } });
    });

    it('gives the speaker back when the session ends, and only if it muted it', async () => {
      const { state, headphones, listen } = card('on');
      await headphones.release();
      expect(state.calls).toEqual([]);
      await listen(true);
      await headphones.release();
      await headphones.release();
      expect(state.calls).toEqual(['contents', '-q sset Speaker mute', '-q sset Speaker unmute']);
    });

    it('serialises calls: an off right after an on unmutes after the mute', async () => {
      const { state, listen } = card('on');
      const [on, off] = await Promise.all([listen(true), listen(false)]);
      expect(on.ok && on.value.speakerMuted).toBe(true);
      expect(off.ok && off.value.speakerMuted).toBe(false);
      expect(state.calls).toEqual(['contents', '-q sset Speaker mute', '-q sset Speaker unmute']);
    });
    it('gives the speaker back after a restart when the run that muted it died', async () => {
      const marker = join(mkdtempSync(join(tmpdir(), 'headphones-')), 'speaker-muted');
      const calls: string[] = [];
      const amixer = (args: readonly string[]) => {
        calls.push(args.join(' '));
        return Promise.resolve(args[0] === 'contents' ? amixerContents('on') : '');
      };
      const first = createHeadphones({ setting: () => 'detect', log: silentLog, amixer, mutedMarker: marker });
      await first.handlers['audio.privateListening']({ on: true }, { connection: 'c' } as never);
      expect(existsSync(marker)).toBe(true);
      // The service dies here, the speaker muted; systemd starts it again.
      const again = createHeadphones({ setting: () => 'detect', log: silentLog, amixer, mutedMarker: marker });
      await again.release();
      expect(calls).toEqual(['contents', '-q sset Speaker mute', '-q sset Speaker unmute']);
      expect(existsSync(marker)).toBe(false);
      // A start with nothing muted touches nothing.
      await createHeadphones({ setting: () => 'detect', log: silentLog, amixer, mutedMarker: marker }).release();
      expect(calls).toHaveLength(3);
    });
  });
});
