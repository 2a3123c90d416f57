import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { ok } from '../../../foundation/result';
import { openTestStore } from '../store/test-fixtures';
import { createStaffAuth, type StaffAuth } from './staff-auth';

const pins = { staff: '4826', technician: '9173' } as const;
import { createStaffGuard } from './staff-guard';

const opened: StaffAuth[] = [];
afterEach(() => {
  for (const auth of opened.splice(0)) auth.close();
});

async function setup() {
  const { store } = openTestStore();
  const auth = createStaffAuth({
    db: store.db,
    audit: (entry) => store.audit(entry),
    cardKey: () => Buffer.alloc(32, 9),
    log: recordingLog(),
  });
  opened.push(auth);
  await auth.setFirstPins(pins, 'setup');
  auth.signOut();
  const guard = createStaffGuard(auth, (entry) => store.audit(entry));
  const ran: string[] = [];
  const action = guard.technician((params: { role: string }, actor) => {
    ran.push(params.role);
    actor.audit('tech.test-action', { role: params.role });
    return ok({ done: true });
  });
  const audited = () =>
    store.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'tech.test-action'").all();
  return { auth, guard, action, ran, audited };
}

describe('the staff guard', () => {
  it('runs nothing and writes nothing without a session, or with the wrong role', async () => {
    const { auth, action, ran, audited } = await setup();
    expect(await action({ role: 'printer' })).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    await auth.signInWithPin(pins.staff);
    expect(await action({ role: 'printer' })).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(ran).toEqual([]);
    expect(audited()).toEqual([]);
  });

  it('runs the action for the right role and audits it under the signed-in actor', async () => {
    const { auth, guard, action, ran, audited } = await setup();
    await auth.signInWithPin(pins.technician);
    expect(await action({ role: 'printer' })).toEqual({ ok: true, value: { done: true } });
    // Technicians may use staff functions too.
    expect(await guard.staff(() => ok('staff function'))({})).toEqual({ ok: true, value: 'staff function' });
    expect(ran).toEqual(['printer']);
    expect(audited()).toEqual([{ actor: 'technician', details: '{"role":"printer"}' }]);
  });
});
