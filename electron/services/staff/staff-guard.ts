import { err, type Result } from '../../../foundation/result';
import type { Refusal } from '../../api/failures';
import { connectionOf, type CallContext } from '../../api/rpc-server';
import type { AuditEntry, AuditValue } from '../store/audit-log';
import type { StaffAuth, StaffRole, StaffSession } from './staff-auth';

/**
 * The one door to staff and technician actions. A guarded action runs only for a live staff
 * session of the right role (technicians may use staff functions) and is handed an `Actor`: the
 * session, and the one way to write the action's audit entry under that staff member's id. Services
 * take an Actor for everything that needs a right, so none can be reached around the guard.
 */
export interface Actor {
  readonly session: StaffSession;
  /** Appends the action to the audit log under this staff member: ids, codes and counts only. */
  audit(action: string, details?: Record<string, AuditValue>): void;
}

export type NotAllowed = Refusal<{ kind: 'not-allowed' }>;

type Action<P, T, F> = (params: P, actor: Actor) => Result<T, F> | Promise<Result<T, F>>;
/** Called without a context (in-process, tests), it acts for the only connection (staff-auth.ts). */
type Guarded<P, T, F> = (params: P, ctx?: CallContext) => Promise<Result<T, F | NotAllowed>>;

export interface StaffGuard {
  readonly staff: <P, T, F = never>(action: Action<P, T, F>) => Guarded<P, T, F>;
  readonly technician: <P, T, F = never>(action: Action<P, T, F>) => Guarded<P, T, F>;
}

export function createStaffGuard(auth: StaffAuth, audit: (entry: AuditEntry) => void): StaffGuard {
  const guard =
    (role: StaffRole) =>
    <P, T, F>(action: Action<P, T, F>): Guarded<P, T, F> =>
    async (params, ctx) => {
      // The session must be this connection's: another socket on the host cannot ride it.
      const session = auth.require(role, ctx === undefined ? undefined : connectionOf(ctx));
      if (!session.ok) return err(session.error);
      const actor: Actor = {
        session: session.value,
        audit: (name, details) =>
          audit({ actor: session.value.actor, action: name, ...(details === undefined ? {} : { details }) }),
      };
      return action(params, actor);
    };
  return { staff: guard('staff'), technician: guard('technician') };
}
