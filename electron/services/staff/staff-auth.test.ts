import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { openTestStore, sampleApplicant } from '../store/test-fixtures';
import { hashPin, verifyPin } from './pin-hash';
import { afterFailure, delayAfter, noLockout, parseLockout, storedLockout } from './pin-lockout';
import { manualMonotonicClock } from '../../../foundation/clock';
import { setSetting } from '../store/settings';
import { createStaffAuth, type StaffAuth } from './staff-auth';

/** What the first-start setup would set on this terminal. */
const pins = { staff: '4826', technician: '9173' } as const;

async function provisioned(auth: StaffAuth): Promise<StaffAuth> {
  expect(await auth.setFirstPins(pins, 'setup')).toMatchObject({ ok: true, value: { role: 'technician' } });
  auth.signOut();
  return auth;
}

const cheap = { N: 1024, r: 8, p: 1 };
const opened: StaffAuth[] = [];
afterEach(() => {
  for (const auth of opened.splice(0)) auth.close();
});

function setup(store = openTestStore().store) {
  const clock = manualMonotonicClock(1_000_000);
  const changes: Array<string> = [];
  const make = () => {
    const auth = createStaffAuth({
      db: store.db,
      audit: (e) => store.audit(e),
      cardKey: () => Buffer.alloc(32, 9),
      log: recordingLog(),
      monotonic: clock,
      onChange: (s, reason) => changes.push(`${s?.role ?? 'none'}:${reason}`),
    });
    opened.push(auth);
    return auth;
  };
  return { store, make, changes, advance: (ms: number) => clock.advance(ms), now: () => clock.elapsedMs() };
}

describe('PIN hashing', () => {
  it('verifies the right PIN only, with a salt of its own each time', async () => {
    const a = await hashPin('246810', cheap);
    const b = await hashPin('246810', cheap);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPin('246810', a)).toBe(true);
    expect(await verifyPin('246811', a)).toBe(false);
    expect(await verifyPin('246810', 'plain-text')).toBe(false);
    expect(await verifyPin('246810', a.replace(/\$[\w-]+$/, '$'))).toBe(false);
  });
});

describe('lock-out', () => {
  it('is free for four wrong tries, then doubles from 30 s and caps at an hour', () => {
    expect([1, 2, 3, 4].map(delayAfter)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(delayAfter)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(delayAfter(40)).toBe(3_600_000);
    let state = noLockout;
    for (let i = 0; i < 5; i++) state = afterFailure(state, 1000);
    expect(state).toEqual({ failures: 5, lockedUntil: 31_000 });
    // Stored as the lock still to run, read back in another process as running from then.
    expect(storedLockout(state, 11_000)).toBe(JSON.stringify({ failures: 5, lockedForMs: 20_000 }));
    expect(parseLockout(storedLockout(state, 11_000), 500)).toEqual({ failures: 5, lockedUntil: 20_500 });
    // An older version's wall-clock deadline: the whole delay again.
    expect(parseLockout(JSON.stringify({ failures: 6, lockedUntil: 1 }), 0)).toEqual({
      failures: 6,
      lockedUntil: 60_000,
    });
    expect(parseLockout(JSON.stringify({ failures: 2, lockedForMs: 0 }), 0)).toEqual({
      failures: 2,
      lockedUntil: null,
    });
  });

  it('refuses even the right PIN while locked, grows the delay, survives a restart, and a right PIN clears it', async () => {
    const { make, advance, store } = setup();
    const auth = make();
    await provisioned(auth);
    for (let i = 1; i <= 4; i++)
      expect(await auth.signInWithPin('000000')).toMatchObject({
        ok: false,
        error: { kind: 'wrong-pin', triesBeforeLock: 5 - i, lockedSeconds: 0 },
      });
    expect(await auth.signInWithPin('000000')).toMatchObject({
      ok: false,
      error: { kind: 'wrong-pin', lockedSeconds: 30 },
    });
    expect(await auth.signInWithPin(pins.staff)).toMatchObject({
      ok: false,
      error: { kind: 'locked', lockedSeconds: 30 },
    });
    advance(30_000);
    expect(await auth.signInWithPin('111111')).toMatchObject({
      ok: false,
      error: { kind: 'wrong-pin', lockedSeconds: 60 },
    });
    advance(20_000);
    // A restart (a new service over the same database) keeps the lock, and runs what was left of it
    // when written again from the start: the time the kiosk was off is not known without the wall clock.
    auth.close();
    const again = make();
    expect(again.lockout()).toEqual({ failures: 6, lockedSeconds: 60 });
    advance(59_000);
    expect(await again.signInWithPin(pins.staff)).toMatchObject({
      ok: false,
      error: { kind: 'locked', lockedSeconds: 1 },
    });
    advance(1_000);
    expect(await again.signInWithPin(pins.staff)).toMatchObject({ ok: true, value: { role: 'staff' } });
    expect(again.lockout()).toEqual({ failures: 0, lockedSeconds: 0 });
    expect(store.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('first start', () => {
  it('a fresh terminal has no working PIN, not even the once-published factory ones', async () => {
    const { make } = setup();
    const auth = make();
    expect(auth.pinsSet()).toBe(false);
    for (const guess of ['246810', '135790', '0000', pins.staff])
      expect(await auth.signInWithPin(guess)).toMatchObject({ ok: false, error: { kind: 'wrong-pin' } });
  });

  it('forgets factory PINs an older version set, so such a terminal is set up again', async () => {
    const { make, store } = setup();
    const auth = make();
    await provisioned(auth);
    setSetting(store.db, 'staff.pin.staff.is-default', '1');
    expect(auth.forgetFactoryPins()).toEqual(['staff']);
    expect(auth.pinsSet()).toBe(false);
    expect((await auth.signInWithPin(pins.staff)).ok).toBe(false);
    expect((await auth.signInWithPin(pins.technician)).ok).toBe(true);
  });

  it('sets both PINs once: a second setup, even racing the first, is refused', async () => {
    const { make } = setup();
    const auth = make();
    expect(await auth.setFirstPins({ staff: '1234', technician: '1234' }, 'setup')).toEqual({
      ok: false,
      error: { kind: 'pins-must-differ' },
    });
    expect(await auth.setFirstPins({ staff: '12', technician: '1234' }, 'setup')).toEqual({
      ok: false,
      error: { kind: 'pin-format' },
    });
    const raced = await Promise.all([
      auth.setFirstPins(pins, 'setup'),
      auth.setFirstPins({ staff: '5555', technician: '6666' }, 'setup'),
    ]);
    expect(raced.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(await auth.setFirstPins({ staff: '5555', technician: '6666' }, 'setup')).toEqual({
      ok: false,
      error: { kind: 'already-provisioned' },
    });
    expect(auth.pinsSet()).toBe(true);
  });
});

describe('staff sessions', () => {
  it('opens the mode the PIN belongs to, ends on inactivity on the service side, and on the button', async () => {
    const { make, advance, changes } = setup();
    const auth = make();
    await provisioned(auth);
    expect(await auth.signInWithPin(pins.technician)).toMatchObject({
      ok: true,
      value: { role: 'technician', actor: 'technician' },
    });
    expect(auth.require('staff').ok).toBe(true); // technicians may use staff views
    advance(14 * 60_000);
    expect(auth.require('technician').ok).toBe(true); // activity refreshes the timer
    advance(15 * 60_000);
    expect(auth.require('technician')).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(await auth.signInWithPin(pins.staff)).toMatchObject({ ok: true });
    expect(auth.require('technician').ok).toBe(false);
    auth.signOut();
    expect(auth.current()).toBeNull();
    expect(changes).toEqual([
      'technician:signed-in',
      'none:signed-out',
      'technician:signed-in',
      'none:timeout',
      'staff:signed-in',
      'none:signed-out',
    ]);
  });

  it('changes PINs: 4 to 8 digits, never the other role’s PIN', async () => {
    const { make } = setup();
    const auth = make();
    await provisioned(auth);
    expect(await auth.setPin('staff', '12', 'technician')).toEqual({ ok: false, error: { kind: 'pin-format' } });
    expect(await auth.setPin('staff', pins.technician, 'technician')).toMatchObject({
      ok: false,
      error: { kind: 'pins-must-differ' },
    });
    expect(await auth.setPin('staff', '8642', 'technician')).toEqual({ ok: true, value: undefined });
    expect((await auth.signInWithPin('8642')).ok).toBe(true);
    expect((await auth.signInWithPin(pins.staff)).ok).toBe(false);
  });

  it('signs staff in with a registered ID card, keeping only an HMAC of its number', () => {
    const { make, store } = setup();
    const auth = make();
    expect(auth.offerCard(sampleApplicant.idNumber)).toBe(false); // nobody waits: the resident journey takes it
    auth.awaitCardSignIn();
    expect(auth.offerCard(sampleApplicant.idNumber)).toBe(true);
    expect(auth.cardOutcome()).toBe('unknown-card');
    expect(auth.current()).toBeNull();
    expect(auth.awaitCardRegistration('12345', 'technician').ok).toBe(false);
    expect(auth.awaitCardRegistration('S01', 'technician').ok).toBe(true);
    expect(auth.offerCard(sampleApplicant.idNumber)).toBe(true);
    expect(auth.cardOutcome()).toBe('registered');
    auth.awaitCardSignIn();
    expect(auth.offerCard(sampleApplicant.idNumber.toLowerCase())).toBe(true);
    expect(auth.current()).toMatchObject({ role: 'staff', staffId: 'S01', via: 'card', actor: 'staff:S01' });
    const settings = JSON.stringify(store.db.prepare('SELECT * FROM settings').all());
    const audit = JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all());
    for (const text of [settings, audit]) expect(text).not.toContain(sampleApplicant.idNumber);
    expect(auth.registeredCards().map((card) => card.staffId)).toEqual(['S01']);
    expect(auth.removeCard('S01', 'technician')).toBe(true);
    auth.awaitCardSignIn();
    auth.offerCard(sampleApplicant.idNumber);
    expect(auth.cardOutcome()).toBe('unknown-card');
  });

  it('gives a card back to the resident journey once the pad that waited for it closed', () => {
    const { make } = setup();
    const auth = make();
    auth.awaitCardSignIn('ws:1');
    auth.cancelCardSignIn('ws:2'); // another connection's pad closing ends nothing here
    auth.cancelCardSignIn('ws:1');
    expect(auth.offerCard(sampleApplicant.idNumber)).toBe(false);
    expect(auth.cardOutcome()).toBe('none');
  });

  it('signs a card in on the connection whose pad waited for it', () => {
    const { make } = setup();
    const auth = make();
    expect(auth.awaitCardRegistration('S01', 'technician').ok).toBe(true);
    auth.offerCard(sampleApplicant.idNumber);
    auth.awaitCardSignIn('ws:1');
    auth.cancelCardSignIn('ws:2');
    expect(auth.offerCard(sampleApplicant.idNumber)).toBe(true);
    expect(auth.current()).toMatchObject({ staffId: 'S01', connection: 'ws:1' });
    expect(auth.require('staff', 'ws:2').ok).toBe(false);
    expect(auth.require('staff', 'ws:1').ok).toBe(true);
  });
});
