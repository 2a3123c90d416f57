import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Language } from '../../kiosk-config/config-schema';
import type { KioskClient } from '../api/kiosk-client';
import { chooseSpeaker, clampRate, silentSpeaker, type Speaker, type SynthesisLike } from './speaker';

/**
 * Voice for one person. Everything lives in this provider's state, and the app remounts it for
 * each person, so volume and on/off reset and nothing said to the last person can be repeated.
 * Unmounting also stops any speech in progress.
 */
export interface Voice {
  readonly enabled: boolean;
  readonly volume: number;
  readonly kind: Speaker['kind'];
  /** Speaks when voice is on (and remembers the text for `repeat`). */
  readonly say: (text: string) => void;
  /**
   * Speaks whether voice is on or not, and remembers it for `repeat`: the audio keypad mode's
   * answers to a key (asked for, like `repeat`).
   */
  readonly announce: (text: string) => void;
  /** A factor of the normal pace; the audio keypad mode's speed keys change it. */
  readonly rate: number;
  readonly setRate: (r: number) => void;
  readonly repeat: () => void;
  readonly stop: () => void;
  readonly setEnabled: (on: boolean) => void;
  /** 0…1; applies to the next utterance. */
  readonly setVolume: (v: number) => void;
}

export const defaultVolume = 0.8;
export const volumeStep = 0.2;

const noVoice: Voice = {
  enabled: false,
  volume: defaultVolume,
  kind: 'none',
  say() {},
  announce() {},
  rate: 1,
  setRate() {},
  repeat() {},
  stop() {},
  setEnabled() {},
  setVolume() {},
};
const VoiceContext = createContext<Voice>(noVoice);
export const useVoice = (): Voice => useContext(VoiceContext);

export interface VoiceProviderProps {
  readonly client: Pick<KioskClient, 'call'>;
  readonly language: Language;
  readonly languages: ReadonlyArray<Language>;
  readonly initiallyEnabled: boolean;
  /** Defaults to the page's speechSynthesis; tests pass a fake or a chosen speaker. */
  readonly synthesis?: SynthesisLike | undefined;
  readonly speaker?: Speaker;
  readonly children: ComponentChildren;
}

export function VoiceProvider(props: VoiceProviderProps) {
  const [speaker, setSpeaker] = useState<Speaker>(props.speaker ?? silentSpeaker);
  const [enabled, setEnabled] = useState(props.initiallyEnabled);
  const [volume, setVolume] = useState(defaultVolume);
  const [rate, setRate] = useState(1);
  const lastText = useRef<string | null>(null);
  /** Said before the speaker was chosen (the first screen, while voices load): spoken once it is. */
  const pending = useRef<string | null>(null);
  const languageRef = useRef(props.language);
  languageRef.current = props.language;
  const languagesKey = props.languages.join(',');

  useEffect(() => {
    if (props.speaker !== undefined) return undefined;
    const gone = new AbortController();
    const synthesis = props.synthesis ?? (typeof speechSynthesis === 'undefined' ? undefined : speechSynthesis);
    void chooseSpeaker(props.client, { languages: props.languages, synthesis, signal: gone.signal }).then((chosen) => {
      if (!gone.signal.aborted) setSpeaker(chosen);
    });
    // Each wipe remounts the provider: the wait for voices must end with it, not hold the old tree.
    return () => gone.abort();
    // The choice depends only on the languages offered (by value) and where speech can come from.
  }, [props.client, languagesKey, props.synthesis, props.speaker]);

  useEffect(() => speaker.setVolume(volume), [speaker, volume]);
  useEffect(() => speaker.setRate(rate), [speaker, rate]);
  useEffect(() => {
    if (speaker.kind === 'none' || pending.current === null) return;
    speaker.speak(pending.current, languageRef.current);
    pending.current = null;
  }, [speaker]);
  useEffect(() => () => speaker.stop(), [speaker]);

  const voice = useMemo<Voice>(() => {
    // Kept for 重复 whether or not it is spoken now; spoken once a speaker is chosen if none is yet.
    const speakNow = (text: string) => {
      lastText.current = text;
      if (text.trim() === '') return;
      if (speaker.kind === 'none' && props.speaker === undefined) pending.current = text;
      else speaker.speak(text, languageRef.current);
    };
    return {
      enabled,
      volume,
      kind: speaker.kind,
      say(text) {
        if (enabled) speakNow(text);
        else lastText.current = text;
      },
      announce: speakNow,
      rate,
      setRate: (r) => setRate(clampRate(r)),
      // Asked for explicitly, so it speaks even with voice off.
      repeat() {
        if (lastText.current !== null) speaker.speak(lastText.current, languageRef.current);
      },
      stop() {
        pending.current = null;
        speaker.stop();
      },
      setEnabled(on) {
        if (!on) {
          pending.current = null;
          speaker.stop();
        }
        setEnabled(on);
      },
      setVolume: (v) => setVolume(Math.min(1, Math.max(0, Math.round(v * 100) / 100))),
    };
  }, [enabled, volume, rate, speaker, props.speaker]);
  return <VoiceContext.Provider value={voice}>{props.children}</VoiceContext.Provider>;
}
