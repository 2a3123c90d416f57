/**
 * Attacker: guesses hall passwords, one after another or sixty at once, against one account or
 * spread over many names from one address. The lock-out counts each guess before the slow password
 * check, so parallel guesses cannot slip through; locks end after their time, measured as elapsed
 * time (injected monotonic clock): moving the server's wall clock forward by hours lifts none, and
 * moving it back keeps no idle session alive. Sessions end when idle.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualMonotonicClock } from '../../foundation/clock';
import { addHallAccount, HallClient, officerPassword } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';

let h: HallFixture;
let offsetMs = 0;
const elapsed = manualMonotonicClock();
const lockMs = 15 * 60_000;
const hours = (n: number) => n * 3_600_000;
beforeAll(async () => {
  h = await startHallFixture({
    now: () => new Date(Date.now() + offsetMs),
    monotonic: elapsed,
    // High enough that the lock-out, not the rate limit, answers the parallel guesses.
    rateLimits: { signIn: 1000 },
    // A small address limit keeps the spray short (each guess costs a real scrypt).
    lockout: { accountFailures: 5, addressFailures: 8, lockMs },
  });
});
afterEach(() => {
  elapsed.advance(2 * lockMs); // every test starts with old locks expired
});
afterAll(async () => {
  await h.close();
});

async function attackerAt(): Promise<HallClient> {
  const attacker = new HallClient(h.fx.platform.url);
  await attacker.get('/hall/login');
  return attacker;
}

describe('guessing a hall password', () => {
  it('locks the account after five wrong passwords, the right one included, until the lock ends', async () => {
    await addHallAccount(h.fx.dataDir, 'serial.target', 'officer');
    const attacker = await attackerAt();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await attacker.post('/hall/login', { name: 'serial.target', password: `guess-${i}` })).response.status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423, 423]);
    const owner = new HallClient(h.fx.platform.url);
    expect(await owner.signIn('serial.target')).toBe(423);
    // The server's clock set forward by hours: the lock still holds.
    offsetMs += hours(5);
    expect(await owner.signIn('serial.target')).toBe(423);
    elapsed.advance(lockMs + 1000);
    expect(await owner.signIn('serial.target')).toBe(303);
  });

  it('lets 60 parallel wrong guesses plus the right password check at most five', async () => {
    await addHallAccount(h.fx.dataDir, 'parallel.target', 'officer');
    const attacker = await attackerAt();
    const guesses = Array.from({ length: 60 }, (_, i) => `wrong-guess-${i}`);
    guesses.splice(30, 0, officerPassword);
    const answers = await Promise.all(
      guesses.map((password) => attacker.post('/hall/login', { name: 'parallel.target', password })),
    );
    const statuses = answers.map((a) => a.response.status);
    const checked = statuses.filter((s) => s !== 423).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(56);
    // However the race went, the account is now locked: the right password too is refused.
    const owner = new HallClient(h.fx.platform.url);
    const success = statuses.includes(303);
    expect(await owner.signIn('parallel.target')).toBe(success ? 303 : 423);
  });

  it('locks an address that sprays guesses over many names, known or not', async () => {
    for (let i = 0; i < 3; i++) await addHallAccount(h.fx.dataDir, `spray.target${i}`, 'officer');
    const attacker = await attackerAt();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const name = i % 2 === 0 ? `spray.target${i % 3}` : `nobody${i}`;
      // Two guesses per known account at most: no account lock-out, only the address's.
      statuses.push((await attacker.post('/hall/login', { name, password: `spray-${i}` })).response.status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([423, 423]);
    // From that address even a real officer cannot sign in now; the lock ends on time.
    expect(await new HallClient(h.fx.platform.url).signIn('li.na')).toBe(423);
    elapsed.advance(lockMs + 1000);
    expect(await new HallClient(h.fx.platform.url).signIn('li.na')).toBe(303);
  });

  it('answers unknown names exactly like wrong passwords', async () => {
    const attacker = await attackerAt();
    const unknown = await attacker.post('/hall/login', { name: 'no.such.person', password: 'whatever-123' });
    const wrong = await attacker.post('/hall/login', { name: 'li.na', password: 'whatever-123' });
    expect(unknown.response.status).toBe(wrong.response.status);
    expect(unknown.body.replace(/value="[^"]*"/g, '')).toBe(wrong.body.replace(/value="[^"]*"/g, ''));
  });

  it('ends a session left idle', async () => {
    const officer = new HallClient(h.fx.platform.url);
    expect(await officer.signIn('li.na')).toBe(303);
    expect((await officer.get('/hall')).response.status).toBe(200);
    // Clock steps end no session early…
    offsetMs += hours(3);
    expect((await officer.get('/hall')).response.status).toBe(200);
    // …and one set back keeps none alive past its idle time.
    offsetMs -= hours(6);
    elapsed.advance(16 * 60_000);
    const after = await officer.get('/hall');
    expect(after.response.status).toBe(303);
    expect(after.response.headers.get('location')).toMatch(/^\/hall\/login/);
  });
});

describe('the sign-in rate limit', () => {
  let limited: HallFixture;
  beforeAll(async () => {
    limited = await startHallFixture({ rateLimits: { signIn: 5 } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 past the per-minute limit of sign-in posts', async () => {
    const attacker = new HallClient(limited.fx.platform.url);
    await attacker.get('/hall/login');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await attacker.post('/hall/login', { name: `n${i}`, password: 'x' })).response.status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
