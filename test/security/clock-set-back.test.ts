/**
 * Someone at the terminal moving its wall clock (a technician fixing the date, an NTP step, or an
 * attacker with a shell who wants the PIN pad open or a staff session ended): lock-outs and staff
 * inactivity are measured on the monotonic clock, so the pad stays locked for exactly its delay and a
 * staff session ends after exactly its idle time, however far the wall clock jumps meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, manualMonotonicClock } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { sessionTimeoutsMs } from '../../electron/services/staff/staff-auth';
import { testPins } from '../support/provisioning';
import { noDevicesConfig, provisionServices, rpcCall, rpcFailure } from '../support/services-fixture';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const hours = (n: number) => n * 3_600_000;

async function kiosk() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-clock-attack-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const wall = manualClock();
  const elapsed = manualMonotonicClock();
  const started = await startKioskServices({
    config: noDevicesConfig,
    dataDir,
    log: silentLog,
    caseNumberWaitMs: 0,
    clock: wall,
    monotonic: elapsed,
  });
  if (!started.ok) throw new Error(started.error.message);
  const services: KioskServices = started.value;
  cleanups.push(() => services.close());
  await provisionServices(services);
  return { services, wall, elapsed };
}

describe('the wall clock moved by hours', () => {
  it('neither lifts nor shortens a PIN lock-out: it lasts exactly its 30 s of elapsed time', async () => {
    const { services, wall, elapsed } = await kiosk();
    for (let i = 0; i < 4; i++)
      expect(await rpcFailure(services, 'staff.signIn', { pin: '000000' })).toMatchObject({ kind: 'wrong-pin' });
    expect(await rpcFailure(services, 'staff.signIn', { pin: '000000' })).toMatchObject({
      kind: 'wrong-pin',
      lockedSeconds: 30,
    });
    wall.advance(hours(5));
    expect(await rpcFailure(services, 'staff.signIn', { pin: testPins.staff })).toMatchObject({
      kind: 'locked',
      lockedSeconds: 30,
    });
    wall.advance(-hours(10));
    elapsed.advance(29_000);
    expect(await rpcFailure(services, 'staff.signIn', { pin: testPins.staff })).toMatchObject({
      kind: 'locked',
      lockedSeconds: 1,
    });
    wall.advance(hours(24));
    elapsed.advance(999);
    expect(await rpcFailure(services, 'staff.signIn', { pin: testPins.staff })).toMatchObject({ kind: 'locked' });
    elapsed.advance(1);
    expect(await rpcCall(services, 'staff.signIn', { pin: testPins.staff })).toEqual({ role: 'staff' });
  });

  it('neither ends a staff session early nor keeps it open past its idle time', async () => {
    const { services, wall, elapsed } = await kiosk();
    expect(await rpcCall(services, 'staff.signIn', { pin: testPins.staff })).toEqual({ role: 'staff' });
    wall.advance(hours(3));
    expect(await rpcCall(services, 'staff.status')).toMatchObject({ role: 'staff' });
    // Idle from here: the wall clock set back must not stretch the idle time.
    wall.advance(-hours(6));
    elapsed.advance(sessionTimeoutsMs.staff - 1);
    expect(services.staff.auth.current()).not.toBeNull();
    elapsed.advance(1);
    expect(services.staff.auth.current()).toBeNull();
    expect(await rpcCall(services, 'staff.status')).toMatchObject({ role: null });
  });
});
