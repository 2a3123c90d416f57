import type { KioskClient } from '../api/kiosk-client';
import type { ResidentSession } from './use-journey';

/**
 * The page's hold on the service side's resident session, across wipes. A session started for a
 * person who is wiped before the start is answered belongs to nobody on the page: adopting it made
 * the next person's page the owner of a session the service would cancel on their own 开始, which
 * wiped them at once (session.ended for "their" session), and their start, answered after that
 * wipe, was adopted in turn — the terminal then stayed on idle for good (the soak, 4 Dec).
 */
export interface ResidentSessionHold {
  readonly session: ResidentSession;
  /** The page forgets the person (ending their session on the service side, if it has one). */
  wipe(reason: 'timeout' | 'finished' | 'cancelled'): void;
  /** The service ended this session: true when it was the page's (the page then wipes). */
  ended(sessionId: string): boolean;
}

export function residentSessionHold(client: KioskClient): ResidentSessionHold {
  let current: string | null = null;
  // Counts the people the page has forgotten; a start answered in another person's time is not adopted.
  let wipes = 0;
  return {
    session: {
      current: () => current,
      adopt: (id) => {
        current = id;
      },
      start: async () => {
        const startedFor = wipes;
        const started = await client.call('session.start', {});
        // Unavailable: the person carries on; a card read starts a session on the service side.
        if (started.ok && startedFor === wipes) current = started.value.sessionId;
      },
    },
    wipe(reason) {
      // Ended here whatever the services answer: the page forgets the person at once.
      if (current !== null) void client.call('session.end', { reason });
      current = null;
      wipes += 1;
    },
    ended(sessionId) {
      if (sessionId !== current) return false;
      current = null;
      wipes += 1;
      return true;
    },
  };
}
