import type { Language } from '../../kiosk-config/config-schema';
import type { KioskClient } from '../api/kiosk-client';

/**
 * One way for every screen to speak (docs/ux.md: every screen can speak). The browser's own speech
 * synthesis when it has a voice for each language the terminal offers; otherwise the service
 * side speaks through espeak-ng. Neither ever throws at a screen: speech is a help, not a step.
 */
export interface Speaker {
  readonly kind: 'web-speech' | 'service' | 'none';
  speak(text: string, language: Language): void;
  stop(): void;
  /** 0 (silent) … 1 (loudest). */
  setVolume(v: number): void;
  /** A factor of the voice's normal pace (0.5 … 2); the audio keypad mode's speed keys set it. */
  setRate(r: number): void;
}

/** The parts of `window.speechSynthesis` we use, so tests can fake it. */
export interface SynthesisLike {
  getVoices(): ReadonlyArray<VoiceLike>;
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
  addEventListener(type: 'voiceschanged', listener: () => void): void;
  removeEventListener(type: 'voiceschanged', listener: () => void): void;
}
export interface VoiceLike {
  readonly lang: string;
  readonly name: string;
  readonly localService?: boolean;
}

export const silentSpeaker: Speaker = { kind: 'none', speak() {}, stop() {}, setVolume() {}, setRate() {} };

const clampVolume = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1);
export const clampRate = (r: number): number => (Number.isFinite(r) ? Math.min(2, Math.max(0.5, r)) : 1);

/**
 * The best voice for a language. Mandarin text read by a Cantonese or Taiwanese voice is hard to
 * follow for our residents, so for zh-CN only Mainland Mandarin voices count.
 */
export function voiceFor(voices: ReadonlyArray<VoiceLike>, language: Language): VoiceLike | undefined {
  const tag = (v: VoiceLike) => v.lang.replace('_', '-').toLowerCase();
  switch (language) {
    case 'zh-CN': {
      const mandarin = voices.filter((v) => /^(zh|cmn)(-hans)?(-cn)?$/.test(tag(v)));
      return mandarin.find((v) => tag(v).endsWith('-cn')) ?? mandarin[0];
    }
    case 'en': {
      const english = voices.filter((v) => tag(v) === 'en' || tag(v).startsWith('en-'));
      return english.find((v) => v.localService === true) ?? english[0];
    }
  }
}

/** Speaks with the browser's synthesis; an utterance always replaces the one before. */
export function webSpeechSpeaker(
  synthesis: SynthesisLike,
  voices: Readonly<Record<Language, VoiceLike | undefined>>,
  makeUtterance: (text: string) => SpeechSynthesisUtterance = (text) => new SpeechSynthesisUtterance(text),
): Speaker {
  let volume = 1;
  let rate = 1;
  return {
    kind: 'web-speech',
    speak(text, language) {
      synthesis.cancel();
      const utterance = makeUtterance(text);
      utterance.lang = language;
      const voice = voices[language];
      if (voice !== undefined) utterance.voice = voice as SpeechSynthesisVoice;
      utterance.volume = volume;
      utterance.rate = 0.9 * rate; // a little slower than default: many listeners are elderly
      synthesis.speak(utterance);
    },
    stop: () => synthesis.cancel(),
    setVolume(v) {
      volume = clampVolume(v);
    },
    setRate(r) {
      rate = clampRate(r);
    },
  };
}

/** Asks the service side to speak (espeak-ng). Failures are silent: the screen still says it all. */
export function serviceSpeaker(client: Pick<KioskClient, 'call'>): Speaker {
  let volume = 1;
  let rate = 1;
  return {
    kind: 'service',
    speak(text, language) {
      if (text.trim() === '') return;
      // The normal pace is left out, so a service that predates the speed keys is asked the same as before.
      void client.call('speech.speak', {
        text: text.slice(0, 2000),
        language,
        volume,
        ...(rate === 1 ? {} : { rate }),
      });
    },
    stop() {
      void client.call('speech.stop', {});
    },
    setVolume(v) {
      volume = clampVolume(v);
    },
    setRate(r) {
      rate = clampRate(r);
    },
  };
}

export interface ChooseSpeakerOptions {
  /** Every language the terminal offers: the browser must have a voice for each, or the service speaks. */
  readonly languages: ReadonlyArray<Language>;
  /** `window.speechSynthesis` where the page has it. */
  readonly synthesis?: SynthesisLike | undefined;
  /** Voices load asynchronously; how long to wait for `voiceschanged` before deciding. */
  readonly waitMs?: number;
  readonly makeUtterance?: (text: string) => SpeechSynthesisUtterance;
  /**
   * Ends the wait early (answering the service speaker): the provider that asked has gone. Without it
   * the pending timer and `voiceschanged` listener kept the gone person's whole screen tree alive.
   */
  readonly signal?: AbortSignal;
}

function hasAllVoices(
  synthesis: SynthesisLike,
  languages: ReadonlyArray<Language>,
): Record<Language, VoiceLike | undefined> | null {
  const voices = synthesis.getVoices();
  const chosen: Record<Language, VoiceLike | undefined> = {
    'zh-CN': voiceFor(voices, 'zh-CN'),
    en: voiceFor(voices, 'en'),
  };
  return languages.every((language) => chosen[language] !== undefined) ? chosen : null;
}

export async function chooseSpeaker(
  client: Pick<KioskClient, 'call'>,
  options: ChooseSpeakerOptions,
): Promise<Speaker> {
  const { synthesis, languages } = options;
  if (synthesis === undefined) return serviceSpeaker(client);
  const ready = hasAllVoices(synthesis, languages);
  if (ready !== null) return webSpeechSpeaker(synthesis, ready, options.makeUtterance);
  const later = await new Promise<Record<Language, VoiceLike | undefined> | null>((resolve) => {
    const changed = () => {
      const found = hasAllVoices(synthesis, languages);
      if (found !== null) finish(found);
    };
    const abandoned = () => finish(null);
    if (options.signal?.aborted === true) {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => finish(null), options.waitMs ?? 1500);
    function finish(found: Record<Language, VoiceLike | undefined> | null) {
      clearTimeout(timer);
      synthesis?.removeEventListener('voiceschanged', changed);
      options.signal?.removeEventListener('abort', abandoned);
      resolve(found);
    }
    synthesis.addEventListener('voiceschanged', changed);
    options.signal?.addEventListener('abort', abandoned);
  });
  return later !== null ? webSpeechSpeaker(synthesis, later, options.makeUtterance) : serviceSpeaker(client);
}
