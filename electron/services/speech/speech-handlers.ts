import { ok } from '../../../foundation/result';
import type { Handlers } from '../../api/rpc-server';
import type { EspeakSpeaker } from './espeak-speaker';

export function createSpeechHandlers(speaker: EspeakSpeaker): Pick<Handlers, 'speech.speak' | 'speech.stop'> {
  return {
    'speech.speak': async (request) => ok({ spoken: await speaker.speak(request) }),
    'speech.stop': () => {
      speaker.stop();
      return ok({});
    },
  };
}
