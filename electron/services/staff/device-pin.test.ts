import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { openTestStore } from '../store/test-fixtures';
import { pinRequestName, pinResultName } from '../devices/pin-request';
import { createDevicePin, devicePinHandlers } from './device-pin';
import { createStaffAuth, type StaffAuth } from './staff-auth';
import { createStaffGuard } from './staff-guard';

const pins = { staff: '4826', technician: '9173' } as const;
const opened: { auth: StaffAuth; dir: string }[] = [];
afterEach(() => {
  for (const { auth, dir } of opened.splice(0)) {
    auth.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-device-pin-'));
  const { store } = openTestStore();
  const auth = createStaffAuth({
    db: store.db,
    audit: (entry) => store.audit(entry),
    cardKey: () => Buffer.alloc(32, 9),
    log: recordingLog(),
  });
  opened.push({ auth, dir });
  await auth.setFirstPins(pins, 'setup');
  auth.signOut();
  const handlers = devicePinHandlers(
    createStaffGuard(auth, (entry) => store.audit(entry)),
    createDevicePin({ dataDir: dir }),
  );
  const audited = () =>
    store.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'tech.device-pin-requested'").all();
  return { dir, auth, handlers, audited };
}

describe('pinning a device from the technician console', () => {
  it('refuses without a session and for staff, leaving no request', async () => {
    const { dir, auth, handlers, audited } = await setup();
    const request = { role: 'printer', port: '/dev/ttyUSB1' } as const;
    expect(await handlers['tech.devices.pin'](request)).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(await handlers['tech.devices.pinResult']({})).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    await auth.signInWithPin(pins.staff);
    expect(await handlers['tech.devices.pin'](request)).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(await handlers['tech.devices.pinResult']({})).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(existsSync(join(dir, pinRequestName))).toBe(false);
    expect(audited()).toEqual([]);
  });

  it('leaves the request the root helper reads, clears the last answer, and audits it', async () => {
    const { dir, auth, handlers, audited } = await setup();
    await auth.signInWithPin(pins.technician);
    writeFileSync(join(dir, pinResultName), JSON.stringify({ ok: true, message: 'an old answer' }));
    expect(await handlers['tech.devices.pin']({ role: 'scanner', port: '/dev/ttyACM0' })).toEqual({
      ok: true,
      value: {},
    });
    expect(JSON.parse(readFileSync(join(dir, pinRequestName), 'utf8'))).toEqual({
      role: 'scanner',
      port: '/dev/ttyACM0',
    });
    expect(await handlers['tech.devices.pinResult']({})).toEqual({ ok: true, value: { result: null } });
    expect(audited()).toEqual([{ actor: 'technician', details: '{"ok":true,"role":"scanner"}' }]);
  });

  it('names only device nodes a kiosk device can be', async () => {
    const { dir, auth, handlers } = await setup();
    await auth.signInWithPin(pins.technician);
    for (const port of ['/etc/shadow', '/dev/ttyUSB1/../../etc/passwd', '/dev/sda'])
      expect(await handlers['tech.devices.pin']({ role: 'printer', port })).toMatchObject({
        ok: false,
        error: { kind: 'not-pinnable' },
      });
    expect(existsSync(join(dir, pinRequestName))).toBe(false);
  });

  it('replaces a link planted at the request name instead of writing through it', async () => {
    const { dir, auth, handlers } = await setup();
    await auth.signInWithPin(pins.technician);
    const target = join(dir, 'target');
    writeFileSync(target, 'untouched');
    symlinkSync(target, join(dir, pinRequestName));
    expect((await handlers['tech.devices.pin']({ role: 'printer', port: '/dev/ttyUSB0' })).ok).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });

  it("reads the helper's answer back, and an unreadable or linked one as a failure or nothing", async () => {
    const { dir, auth, handlers } = await setup();
    await auth.signInWithPin(pins.technician);
    const answer = { ok: true, message: '/dev/ttyUSB0 is now /dev/kiosk-printer' };
    writeFileSync(join(dir, pinResultName), JSON.stringify(answer));
    expect(await handlers['tech.devices.pinResult']({})).toEqual({ ok: true, value: { result: answer } });
    writeFileSync(join(dir, pinResultName), '{"ok":');
    expect(await handlers['tech.devices.pinResult']({})).toMatchObject({ ok: true, value: { result: { ok: false } } });
    rmSync(join(dir, pinResultName));
    writeFileSync(join(dir, 'elsewhere'), JSON.stringify(answer));
    symlinkSync(join(dir, 'elsewhere'), join(dir, pinResultName));
    expect(await handlers['tech.devices.pinResult']({})).toEqual({ ok: true, value: { result: null } });
  });
});
