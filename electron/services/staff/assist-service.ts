import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { Refusal } from '../../api/failures';
import type { AssistedSubmission } from '../journey/journey-handlers';
import type { SessionService } from '../session/session-service';
import type { Store } from '../store/store';
import { onlyConnection, type StaffAuth } from './staff-auth';
import type { Actor } from './staff-guard';

/**
 * Staff helping a resident apply (帮办代办): staff start it and hand the screen over; the next
 * resident application is recorded with them as helper. It ends with that submission, with the
 * resident session, when staff stop it, or after half an hour.
 */
export interface AssistService extends AssistedSubmission {
  start(actor: Actor): Result<Record<string, never>, never>;
  /** Ends the assistance; only from the connection (the screen) where staff started it. */
  cancel(connection?: string): Result<Record<string, never>, Refusal<{ kind: 'not-allowed' }>>;
  assisting(): boolean;
}

const assistMaxMs = 30 * 60_000;

export function createAssistService(deps: {
  readonly auth: StaffAuth;
  readonly store: Pick<Store, 'audit'>;
  readonly sessions: SessionService;
  readonly log: Log;
  /** The assistance's 30 minutes are elapsed time: a wall clock set back must not stretch them. */
  readonly monotonic?: MonotonicClock;
}): AssistService {
  const { store } = deps;
  const now = () => (deps.monotonic ?? monotonicClock).elapsedMs();
  let assist: { staffId: string; actor: string; connection: string; since: number } | null = null;
  const live = () => (assist !== null && now() - assist.since < assistMaxMs ? assist : null);

  // A resident session that ends without a submission ends the assistance too.
  deps.sessions.onEnded(() => {
    if (assist === null) return;
    store.audit({ actor: assist.actor, action: 'staff.assist-ended', details: { submitted: false } });
    assist = null;
  });

  return {
    start(actor) {
      // The resident starts fresh: whoever was at the screen is gone.
      deps.sessions.end('cancelled');
      assist = {
        staffId: actor.session.staffId,
        actor: actor.session.actor,
        connection: actor.session.connection,
        since: now(),
      };
      actor.audit('staff.assist-started');
      deps.log.info({ role: actor.session.role }, 'assisted application started');
      // Staff hand the screen to the resident; staff mode itself ends.
      deps.auth.signOut('signed-out');
      return ok({});
    },
    cancel(connection = onlyConnection) {
      if (assist === null) return ok({});
      if (assist.connection !== connection)
        return err({ kind: 'not-allowed', message: 'assistance started on another connection' });
      store.audit({ actor: assist.actor, action: 'staff.assist-cancelled', details: {} });
      assist = null;
      return ok({});
    },
    assisting: () => live() !== null,
    helperForSubmission() {
      const current = live();
      return current === null ? undefined : { staffId: current.staffId };
    },
    submitted() {
      if (assist === null) return;
      store.audit({ actor: assist.actor, action: 'staff.assist-ended', details: { submitted: true } });
      assist = null;
    },
  };
}
