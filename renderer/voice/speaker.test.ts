import { describe, expect, it } from 'vitest';
import type { KioskClient } from '../api/kiosk-client';
import { chooseSpeaker, voiceFor, type SynthesisLike, type VoiceLike } from './speaker';

/** A speechSynthesis whose voices arrive when the test says so, recording what it is told. */
class FakeSynthesis implements SynthesisLike {
  spoken: Array<{ text: string; lang: string; volume: number; voice: string | undefined }> = [];
  cancelled = 0;
  private listeners = new Set<() => void>();
  constructor(private voices: VoiceLike[] = []) {}
  getVoices() {
    return this.voices;
  }
  speak(u: SpeechSynthesisUtterance) {
    this.spoken.push({ text: u.text, lang: u.lang, volume: u.volume, voice: (u.voice as VoiceLike | null)?.name });
  }
  cancel() {
    this.cancelled++;
  }
  addEventListener(_: 'voiceschanged', l: () => void) {
    this.listeners.add(l);
  }
  removeEventListener(_: 'voiceschanged', l: () => void) {
    this.listeners.delete(l);
  }
  loadVoices(voices: VoiceLike[]) {
    this.voices = voices;
    for (const l of [...this.listeners]) l();
  }
  get listening() {
    return this.listeners.size;
  }
}

/** A plain object standing in for SpeechSynthesisUtterance (Node has none). */
const makeUtterance = (text: string) =>
  ({ text, lang: '', volume: 1, rate: 1, voice: null }) as unknown as SpeechSynthesisUtterance;

function fakeClient() {
  const calls: Array<{ method: string; params: unknown }> = [];
  const client: Pick<KioskClient, 'call'> = {
    call: ((method: string, params: unknown) => {
      calls.push({ method, params });
      return Promise.resolve({ ok: true, value: method === 'speech.speak' ? { spoken: true } : {} });
    }) as KioskClient['call'],
  };
  return { client, calls };
}

const zh: VoiceLike = { lang: 'zh-CN', name: 'Ting-Ting' };
const hk: VoiceLike = { lang: 'zh-HK', name: 'Sin-ji' };
const en: VoiceLike = { lang: 'en-US', name: 'Samantha', localService: true };

describe('voiceFor', () => {
  it('takes Mainland Mandarin voices for zh-CN only, preferring -CN', () => {
    expect(voiceFor([hk, { lang: 'zh_TW', name: 'tw' }], 'zh-CN')).toBeUndefined();
    expect(voiceFor([hk, { lang: 'cmn', name: 'espeak cmn' }, zh], 'zh-CN')).toBe(zh);
    expect(voiceFor([{ lang: 'cmn', name: 'espeak cmn' }], 'zh-CN')?.name).toBe('espeak cmn');
    expect(voiceFor([{ lang: 'en-GB', name: 'remote' }, en], 'en')).toBe(en);
  });
});

describe('chooseSpeaker', () => {
  it('uses the browser when it has a voice for every offered language', async () => {
    const synthesis = new FakeSynthesis([hk, zh, en]);
    const { client, calls } = fakeClient();
    const speaker = await chooseSpeaker(client, { languages: ['zh-CN', 'en'], synthesis, makeUtterance });
    expect(speaker.kind).toBe('web-speech');
    speaker.setVolume(0.4);
    speaker.speak('请放好身份证', 'zh-CN');
    speaker.speak('Hello', 'en');
    expect(synthesis.spoken).toEqual([
      { text: '请放好身份证', lang: 'zh-CN', volume: 0.4, voice: 'Ting-Ting' },
      { text: 'Hello', lang: 'en', volume: 0.4, voice: 'Samantha' },
    ]);
    expect(synthesis.cancelled).toBe(2); // each utterance replaces the one before
    expect(calls).toEqual([]);
  });

  it('waits for voices that load later (voiceschanged)', async () => {
    const synthesis = new FakeSynthesis([]);
    const choice = chooseSpeaker(fakeClient().client, { languages: ['zh-CN'], synthesis, makeUtterance, waitMs: 5000 });
    synthesis.loadVoices([en]); // not enough yet
    synthesis.loadVoices([en, zh]);
    expect((await choice).kind).toBe('web-speech');
    expect(synthesis.listening).toBe(0);
  });

  it('stops waiting for voices when its asker has gone (no timer or listener left behind)', async () => {
    const synthesis = new FakeSynthesis([]);
    const gone = new AbortController();
    const choice = chooseSpeaker(fakeClient().client, {
      languages: ['zh-CN'],
      synthesis,
      makeUtterance,
      waitMs: 60_000,
      signal: gone.signal,
    });
    expect(synthesis.listening).toBe(1);
    gone.abort();
    expect(synthesis.listening).toBe(0);
    expect((await choice).kind).toBe('service');
  });

  it('falls back to the service when a language has no voice, after the wait', async () => {
    const synthesis = new FakeSynthesis([en]);
    const { client, calls } = fakeClient();
    const speaker = await chooseSpeaker(client, { languages: ['zh-CN', 'en'], synthesis, makeUtterance, waitMs: 20 });
    expect(speaker.kind).toBe('service');
    expect(synthesis.listening).toBe(0);
    speaker.setVolume(2);
    speaker.speak('请签名', 'zh-CN');
    speaker.stop();
    speaker.setRate(1.25);
    speaker.speak('请签名', 'zh-CN');
    expect(calls).toEqual([
      { method: 'speech.speak', params: { text: '请签名', language: 'zh-CN', volume: 1 } },
      { method: 'speech.stop', params: {} },
      { method: 'speech.speak', params: { text: '请签名', language: 'zh-CN', volume: 1, rate: 1.25 } },
    ]);
    expect(synthesis.spoken).toEqual([]);
  });

  it('uses the service when the page has no speechSynthesis at all', async () => {
    expect((await chooseSpeaker(fakeClient().client, { languages: ['en'], synthesis: undefined })).kind).toBe(
      'service',
    );
  });

  it('the service speaker shrugs off a service that cannot answer, and skips empty text', async () => {
    const calls: string[] = [];
    const failing: Pick<KioskClient, 'call'> = {
      call: (method: string) => {
        calls.push(method);
        return Promise.resolve({ ok: false, error: { kind: 'unavailable' } });
      },
    };
    const speaker = await chooseSpeaker(failing, { languages: ['en'] });
    speaker.speak('   ', 'en');
    speaker.speak('Hello', 'en');
    speaker.stop();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['speech.speak', 'speech.stop']);
  });
});
