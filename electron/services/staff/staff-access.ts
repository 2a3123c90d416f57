import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { Refusal } from '../../api/failures';
import type { ResultOf } from '../../api/contract';
import type { StaffAuth, StaffRole } from './staff-auth';
import type { Actor } from './staff-guard';

/** Who may open the staff and technician modes: the two PINs and the registered staff ID cards. */
export interface StaffAccess {
  setPin(
    request: { role: StaffRole; pin: string },
    actor: Actor,
  ): Promise<Result<Record<string, never>, Refusal<{ kind: 'pin-format' | 'pins-must-differ' }>>>;
  cards(): Result<ResultOf<'tech.cards'>, never>;
  registerCard(staffId: string, actor: Actor): Result<Record<string, never>, Refusal<{ kind: 'staff-id-format' }>>;
  removeCard(staffId: string, actor: Actor): Result<Record<string, never>, Refusal<{ kind: 'no-such-card' }>>;
}

export function createStaffAccess(deps: { readonly auth: StaffAuth; readonly log: Log }): StaffAccess {
  const { auth } = deps;
  return {
    async setPin({ role, pin }, actor) {
      // The change is audited by auth (staff.pin-changed), in the same place the PIN is written.
      const set = await auth.setPin(role, pin, actor.session.actor);
      return set.ok ? ok({}) : set;
    },
    cards: () => ok({ cards: auth.registeredCards(), outcome: auth.cardOutcome() }),
    registerCard(staffId, actor) {
      const waiting = auth.awaitCardRegistration(staffId, actor.session.actor);
      if (waiting.ok) deps.log.info({ staffId }, 'waiting for a staff card to register');
      return waiting.ok ? ok({}) : waiting;
    },
    removeCard(staffId, actor) {
      return auth.removeCard(staffId, actor.session.actor) ? ok({}) : err({ kind: 'no-such-card' });
    },
  };
}
