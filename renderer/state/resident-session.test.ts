import { describe, expect, it } from 'vitest';
import { ok } from '../../foundation/result';
import type { KioskClient } from '../api/kiosk-client';
import { residentSessionHold } from './resident-session';

/** A client whose session.start answers when the test says, as a busy service does. */
function slowStarts() {
  const answers: Array<(id: string) => void> = [];
  const ends: string[] = [];
  const client = {
    call: (method: string, params: { reason?: string }) => {
      if (method === 'session.start')
        return new Promise((resolve) => answers.push((id) => resolve(ok({ sessionId: id }))));
      ends.push(params.reason ?? '');
      return Promise.resolve(ok({}));
    },
    on: () => () => undefined,
  } as unknown as KioskClient;
  return { client, answers, ends };
}

describe('the page’s hold on the resident session', () => {
  it('adopts the session a start answers while the person is still there', async () => {
    const { client, answers } = slowStarts();
    const hold = residentSessionHold(client);
    const started = hold.session.start();
    answers[0]?.('s1');
    await started;
    expect(hold.session.current()).toBe('s1');
    expect(hold.ended('s1')).toBe(true);
    expect(hold.session.current()).toBeNull();
  });

  it('does not adopt a start answered after the person was wiped, so the next person is not wiped by it', async () => {
    const { client, answers } = slowStarts();
    const hold = residentSessionHold(client);
    const first = hold.session.start();
    hold.wipe('timeout'); // the page went back to idle before the service answered
    answers[0]?.('stale');
    await first;
    expect(hold.session.current()).toBeNull();
    // The next person's 开始: the service cancels the stale session and says so; that is not theirs.
    const second = hold.session.start();
    expect(hold.ended('stale')).toBe(false);
    answers[1]?.('s2');
    await second;
    expect(hold.session.current()).toBe('s2');
  });

  it('does not adopt a start answered after the service ended the person’s session', async () => {
    const { client, answers } = slowStarts();
    const hold = residentSessionHold(client);
    hold.session.adopt('s1');
    const again = hold.session.start();
    expect(hold.ended('s1')).toBe(true);
    answers[0]?.('late');
    await again;
    expect(hold.session.current()).toBeNull();
  });

  it('ends the service session on a wipe only when the page holds one', () => {
    const { client, ends } = slowStarts();
    const hold = residentSessionHold(client);
    hold.wipe('cancelled');
    hold.session.adopt('s1');
    hold.wipe('finished');
    expect(ends).toEqual(['finished']);
  });
});
