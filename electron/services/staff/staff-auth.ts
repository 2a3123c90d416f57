import { createHmac, timingSafeEqual } from 'node:crypto';
import { monotonicClock, systemClock, type Clock, type MonotonicClock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import type { Refusal } from '../../api/failures';
import type { AuditEntry } from '../store/audit-log';
import type { Db } from '../store/database';
import { deleteSetting, getSetting, setSetting } from '../store/settings';
import { hashPin, pinPattern, verifyPin } from './pin-hash';
import {
  afterFailure,
  freeTries,
  noLockout,
  parseLockout,
  remainingLockMs,
  storedLockout,
  type LockoutState,
} from './pin-lockout';

/**
 * Who may use the staff and technician modes. Each role has one PIN (scrypt hash in the settings
 * table); the PIN pad tries both, so the PIN itself says which mode opens. Staff may also sign in
 * with their own ID card once a technician registered it: only an HMAC of the card's number is
 * kept, under a key derived from the data key, never the number. One privileged session at a time,
 * ended by the button, by inactivity (checked on the service side) or by a new sign-in.
 */
export type StaffRole = 'staff' | 'technician';
export const staffRoles: readonly StaffRole[] = ['staff', 'technician'];

export interface StaffSession {
  readonly role: StaffRole;
  /** 'staff' / 'technician' for a PIN sign-in; the registered staff number for a card. */
  readonly staffId: string;
  readonly via: 'pin' | 'card';
  /** The connection that signed in (rpc-server.ts connectionOf): only its calls act in this session. */
  readonly connection: string;
  /** What the audit log records as the actor; never personal data. */
  readonly actor: string;
  /** Monotonic ms (MonotonicClock.elapsedMs): for the session's length, never shown. */
  readonly startedAt: number;
}

export type SignInFailure =
  { kind: 'wrong-pin'; triesBeforeLock: number; lockedSeconds: number } | { kind: 'locked'; lockedSeconds: number };
export type SessionEnd = 'signed-out' | 'timeout' | 'replaced';

export interface RegisteredCard {
  readonly staffId: string;
  readonly registeredAt: string;
}

/** The connection of a caller that has only one (the command line, Electron's window, tests). */
export const onlyConnection = 'only';

export const staffIdPattern = /^[A-Za-z][A-Za-z0-9-]{0,19}$/;

export const sessionTimeoutsMs: Readonly<Record<StaffRole, number>> = { staff: 5 * 60_000, technician: 15 * 60_000 };
const cardWindowMs = 60_000;

const keys = {
  pin: (role: StaffRole) => `staff.pin.${role}`,
  /** Set by older versions on the factory PINs; such a PIN is forgotten at start (no factory PINs). */
  pinDefault: (role: StaffRole) => `staff.pin.${role}.is-default`,
  lockout: 'staff.lockout',
  cards: 'staff.cards',
};

export interface StaffAuthDeps {
  readonly db: Db;
  readonly audit: (entry: AuditEntry) => void;
  /** Secret for the card HMAC (derived from the data key by the caller). */
  readonly cardKey: () => Buffer;
  readonly log: Log;
  /** Wall time, only for what is stored (a card's registration date). */
  readonly clock?: Clock;
  /** Lock-outs, inactivity and the card window: a wall clock set back or forward changes none of them. */
  readonly monotonic?: MonotonicClock;
  readonly timeoutsMs?: Readonly<Record<StaffRole, number>>;
  /** Told when a session starts or ends (the renderer leaves staff mode on an end it did not ask for). */
  readonly onChange?: (session: StaffSession | null, reason: SessionEnd | 'signed-in') => void;
}

export interface StaffAuth {
  /**
   * Forgets PINs an older version set from its published factory values: such a terminal needs the
   * first-start setup again. Answers the roles forgotten.
   */
  forgetFactoryPins(): StaffRole[];
  /** Both PINs are set: the terminal has been provisioned (a fresh one has no working PIN). */
  pinsSet(): boolean;
  /**
   * The first-start setup's PINs: both at once, and only while neither is set. Once a terminal is
   * provisioned, only a signed-in technician changes a PIN (setPin). Signs the technician in.
   */
  setFirstPins(
    pins: Readonly<Record<StaffRole, string>>,
    actor: string,
    connection?: string,
  ): Promise<Result<StaffSession, { kind: 'pin-format' | 'pins-must-differ' | 'already-provisioned' }>>;
  /** Signs in on `connection` (rpc-server.ts connectionOf): only that connection's calls act in the session. */
  signInWithPin(pin: string, connection?: string): Promise<Result<StaffSession, SignInFailure>>;
  /**
   * The next ID card read within a minute signs staff in (on this connection) instead of starting a
   * resident session, unless the pad closes first (cancelCardSignIn). Refused while another
   * connection's window (or a technician's card registration) is open: it cannot be taken over, so
   * the card staff present at the screen never signs in someone else's connection.
   */
  awaitCardSignIn(connection?: string): Result<void, Refusal<{ kind: 'not-allowed' }>>;
  /** The pad on this connection closed: the next card is a resident's again. */
  cancelCardSignIn(connection?: string): void;
  /** Offer a card read; true when staff sign-in or registration took it (the resident journey must not). */
  offerCard(idNumber: string): boolean;
  /**
   * The live session of this connection, refreshing its inactivity timer; a failure when none, the
   * role is wrong or it was signed in on another connection. Technicians may use staff functions.
   */
  require(role: StaffRole, connection?: string): Result<StaffSession, Refusal<{ kind: 'not-allowed' }>>;
  current(): StaffSession | null;
  signOut(reason?: SessionEnd): void;
  setPin(
    role: StaffRole,
    pin: string,
    actor: string,
  ): Promise<Result<void, { kind: 'pin-format' | 'pins-must-differ' }>>;
  lockout(): { failures: number; lockedSeconds: number };
  awaitCardRegistration(staffId: string, actor: string): Result<void, { kind: 'staff-id-format' }>;
  /** What the last card-wait ended with, for the screen that asked. */
  cardOutcome(): 'waiting' | 'signed-in' | 'registered' | 'unknown-card' | 'already-registered' | 'none';
  registeredCards(): RegisteredCard[];
  removeCard(staffId: string, actor: string): boolean;
  close(): void;
}

interface StoredCard extends RegisteredCard {
  readonly mac: string;
}

export function createStaffAuth(deps: StaffAuthDeps): StaffAuth {
  const { db, log } = deps;
  const now = () => (deps.monotonic ?? monotonicClock).elapsedMs();
  const wallClock = deps.clock ?? systemClock;
  const timeouts = deps.timeoutsMs ?? sessionTimeoutsMs;
  let session: StaffSession | null = null;
  let lastActivity = 0;
  let cardWait:
    | { kind: 'sign-in'; connection: string; until: number }
    | { kind: 'register'; staffId: string; actor: string; until: number }
    | null = null;
  let lastCardOutcome: ReturnType<StaffAuth['cardOutcome']> = 'none';

  // Read from the table once per process (monotonic deadlines mean nothing across a restart), then kept here.
  let lockoutState: LockoutState | undefined;
  const readLockout = (): LockoutState => (lockoutState ??= parseLockout(getSetting(db, keys.lockout), now()));
  const writeLockout = (state: LockoutState) => {
    setSetting(db, keys.lockout, storedLockout(state, now()));
    lockoutState = state;
  };
  const readCards = (): StoredCard[] => {
    try {
      return JSON.parse(getSetting(db, keys.cards) ?? '[]') as StoredCard[];
    } catch {
      return [];
    }
  };
  const cardMac = (idNumber: string) =>
    createHmac('sha256', deps.cardKey()).update(`staff-card:${idNumber.toUpperCase()}`).digest('hex');

  function start(role: StaffRole, staffId: string, via: 'pin' | 'card', connection: string): StaffSession {
    if (session !== null) end('replaced');
    const actor = role === 'technician' ? 'technician' : `staff:${staffId}`;
    session = { role, staffId, via, connection, actor, startedAt: now() };
    lastActivity = now();
    deps.audit({ actor, action: 'staff.signed-in', details: { role, via } });
    log.info({ role, via }, 'staff mode entered');
    deps.onChange?.(session, 'signed-in');
    return session;
  }

  function end(reason: SessionEnd): void {
    if (session === null) return;
    const ended = session;
    session = null;
    deps.audit({
      actor: ended.actor,
      action: 'staff.signed-out',
      details: { role: ended.role, reason, seconds: Math.round((now() - ended.startedAt) / 1000) },
    });
    log.info({ role: ended.role, reason }, 'staff mode left');
    deps.onChange?.(null, reason);
  }

  const expired = () => session !== null && now() - lastActivity >= timeouts[session.role];
  // The screen may be left unattended: the service side ends the session itself.
  const ticker = setInterval(() => {
    if (expired()) end('timeout');
  }, 1000);
  ticker.unref?.();

  const live = (): StaffSession | null => {
    if (expired()) end('timeout');
    return session;
  };

  return {
    forgetFactoryPins() {
      const forgotten = staffRoles.filter((role) => getSetting(db, keys.pinDefault(role)) === '1');
      for (const role of forgotten) {
        deleteSetting(db, keys.pin(role));
        deleteSetting(db, keys.pinDefault(role));
      }
      if (forgotten.length > 0) {
        deps.audit({ actor: 'system', action: 'staff.factory-pins-forgotten', details: { roles: forgotten } });
        log.warn({ roles: forgotten }, 'factory PINs forgotten: the terminal needs its first-start setup');
      }
      return forgotten;
    },
    pinsSet: () => staffRoles.every((role) => getSetting(db, keys.pin(role)) !== undefined),
    async setFirstPins(pins, actor, connection = onlyConnection) {
      if (staffRoles.some((role) => getSetting(db, keys.pin(role)) !== undefined))
        return err({ kind: 'already-provisioned' });
      if (!staffRoles.every((role) => pinPattern.test(pins[role]))) return err({ kind: 'pin-format' });
      if (pins.staff === pins.technician) return err({ kind: 'pins-must-differ' });
      const hashes = { staff: await hashPin(pins.staff), technician: await hashPin(pins.technician) };
      // Checked again after the slow hashing, in the one transaction that writes: of two setups
      // racing, exactly one wins.
      const written = db.transaction(() => {
        if (staffRoles.some((role) => getSetting(db, keys.pin(role)) !== undefined)) return false;
        for (const role of staffRoles) setSetting(db, keys.pin(role), hashes[role]);
        setSetting(db, keys.lockout, storedLockout(noLockout, now()));
        return true;
      })();
      if (!written) return err({ kind: 'already-provisioned' });
      lockoutState = noLockout;
      deps.audit({ actor, action: 'staff.pins-provisioned', details: {} });
      log.info({}, 'staff and technician PINs set by the first-start setup');
      return ok(start('technician', 'technician', 'pin', connection));
    },
    async signInWithPin(pin, connection = onlyConnection) {
      // Counted as a failure before the (slow, asynchronous) scrypt check and written at once, so
      // guesses sent together are counted one by one: after five, every further one is refused
      // unchecked, the right PIN included. A right PIN then clears the count.
      const state = readLockout();
      const locked = remainingLockMs(state, now());
      if (locked > 0) return err({ kind: 'locked', lockedSeconds: Math.ceil(locked / 1000) });
      const counted = afterFailure(state, now());
      writeLockout(counted);
      for (const role of staffRoles) {
        const stored = getSetting(db, keys.pin(role));
        if (stored !== undefined && pinPattern.test(pin) && (await verifyPin(pin, stored))) {
          writeLockout(noLockout);
          return ok(start(role, role, 'pin', connection));
        }
      }
      const lockedSeconds = Math.ceil(remainingLockMs(counted, now()) / 1000);
      deps.audit({
        actor: 'unknown',
        action: 'staff.pin-refused',
        details: { failures: counted.failures, lockedSeconds },
      });
      log.warn({ failures: counted.failures, lockedSeconds }, 'wrong staff PIN');
      return err({ kind: 'wrong-pin', triesBeforeLock: Math.max(0, freeTries - counted.failures), lockedSeconds });
    },
    awaitCardSignIn(connection = onlyConnection) {
      const open = cardWait !== null && now() <= cardWait.until ? cardWait : null;
      if (open !== null && !(open.kind === 'sign-in' && open.connection === connection))
        return err({ kind: 'not-allowed', message: 'a card window of another connection is open' });
      cardWait = { kind: 'sign-in', connection, until: now() + cardWindowMs };
      lastCardOutcome = 'waiting';
      return ok();
    },
    cancelCardSignIn(connection = onlyConnection) {
      if (cardWait?.kind !== 'sign-in' || cardWait.connection !== connection) return;
      cardWait = null;
      lastCardOutcome = 'none';
    },
    offerCard(idNumber) {
      if (cardWait === null || now() > cardWait.until) {
        cardWait = null;
        return false;
      }
      const wait = cardWait;
      cardWait = null;
      const mac = cardMac(idNumber);
      const cards = readCards();
      const known = cards.find(
        (c) => c.mac.length === mac.length && timingSafeEqual(Buffer.from(c.mac), Buffer.from(mac)),
      );
      if (wait.kind === 'sign-in') {
        if (known === undefined) {
          lastCardOutcome = 'unknown-card';
          deps.audit({ actor: 'unknown', action: 'staff.card-refused', details: {} });
          log.warn({}, 'unregistered card offered for staff sign-in');
          return true;
        }
        lastCardOutcome = 'signed-in';
        start('staff', known.staffId, 'card', wait.connection);
        return true;
      }
      if (known !== undefined) {
        lastCardOutcome = 'already-registered';
        return true;
      }
      const record: StoredCard = { staffId: wait.staffId, mac, registeredAt: new Date(wallClock.now()).toISOString() };
      setSetting(db, keys.cards, JSON.stringify([...cards.filter((c) => c.staffId !== wait.staffId), record]));
      deps.audit({ actor: wait.actor, action: 'staff.card-registered', details: { staffId: wait.staffId } });
      log.info({ staffId: wait.staffId }, 'staff card registered');
      lastCardOutcome = 'registered';
      return true;
    },
    require(role, connection = onlyConnection) {
      const current = live();
      if (current === null) return err({ kind: 'not-allowed', message: 'no staff session (signed out or timed out)' });
      if (current.connection !== connection)
        return err({ kind: 'not-allowed', message: 'the staff session belongs to another connection' });
      if (role === 'technician' && current.role !== 'technician')
        return err({ kind: 'not-allowed', message: 'technician PIN needed' });
      lastActivity = now();
      return ok(current);
    },
    current: live,
    signOut(reason = 'signed-out') {
      cardWait = null;
      end(reason);
    },
    async setPin(role, pin, actor) {
      // A PIN is 4 to 8 digits.
      if (!pinPattern.test(pin)) return err({ kind: 'pin-format' });
      const other = staffRoles.find((r) => r !== role);
      const otherHash = other === undefined ? undefined : getSetting(db, keys.pin(other));
      // The PIN chooses the mode, so the two roles must never share one.
      if (otherHash !== undefined && (await verifyPin(pin, otherHash))) return err({ kind: 'pins-must-differ' });
      setSetting(db, keys.pin(role), await hashPin(pin));
      deps.audit({ actor, action: 'staff.pin-changed', details: { role } });
      log.info({ role }, 'PIN changed');
      return ok();
    },
    lockout() {
      const state = readLockout();
      return { failures: state.failures, lockedSeconds: Math.ceil(remainingLockMs(state, now()) / 1000) };
    },
    awaitCardRegistration(staffId, actor) {
      // A staff number starts with a letter: letters, digits, dashes, up to 20.
      if (!staffIdPattern.test(staffId)) return err({ kind: 'staff-id-format' });
      cardWait = { kind: 'register', staffId, actor, until: now() + cardWindowMs };
      lastCardOutcome = 'waiting';
      return ok();
    },
    cardOutcome: () =>
      lastCardOutcome === 'waiting' && (cardWait === null || now() > cardWait.until) ? 'none' : lastCardOutcome,
    registeredCards: () => readCards().map(({ staffId, registeredAt }) => ({ staffId, registeredAt })),
    removeCard(staffId, actor) {
      const cards = readCards();
      const kept = cards.filter((c) => c.staffId !== staffId);
      if (kept.length === cards.length) return false;
      setSetting(db, keys.cards, JSON.stringify(kept));
      deps.audit({ actor, action: 'staff.card-removed', details: { staffId } });
      return true;
    },
    close() {
      clearInterval(ticker);
    },
  };
}
