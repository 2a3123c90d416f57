import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../foundation/log';
import { createHeadphoneHandlers, headphonesIn, jackStateFromAmixer } from './headphones';

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
      createHeadphoneHandlers({
        setting: () => setting,
        log: silentLog,
        amixer: () => {
          asked++;
          return Promise.resolve(output);
        },
      })['audio.headphones'];
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
});
