import { ok } from '../../../foundation/result';
import type { Handlers } from '../../api/rpc-server';
import type { SessionService } from './session-service';

export function createSessionHandlers(sessions: SessionService): Pick<Handlers, 'session.start' | 'session.end'> {
  return {
    'session.start': () => ok({ sessionId: sessions.start() }),
    'session.end': ({ reason }) => {
      sessions.end(reason);
      return ok({});
    },
  };
}
