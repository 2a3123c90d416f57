import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { testPins } from '../support/provisioning';
import { noDevicesConfig } from '../support/services-fixture';

/**
 * The attacker at the screen (or on the page's socket) guessing PINs: the factory PINs once printed
 * in the README open nothing, the first-start setup cannot be run again to reset the PINs, and 60
 * guesses sent at once plus the right PIN lock the pad after five, the right one included.
 */
const config = noDevicesConfig;
let services: KioskServices;
let dataDir: string;
let nextId = 1;

async function call(method: string, params: unknown) {
  return services.rpc.handle({ jsonrpc: '2.0', id: nextId++, method, params }, { transport: 'test' });
}
const kindOf = (response: Awaited<ReturnType<typeof call>>) =>
  'error' in response ? (response.error.data as { kind: string } | undefined)?.kind : 'ok';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-pin-attack-'));
  const started = await startKioskServices({ config, dataDir, log: silentLog });
  if (!started.ok) throw new Error(started.error.message);
  services = started.value;
});
afterAll(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const setupRequest = (pins: { staff: string; technician: string }) => ({
  terminalName: 'x-terminal',
  servicePointName: 'x-site',
  platformUrl: '',
  code: '',
  staffPin: pins.staff,
  technicianPin: pins.technician,
});

describe('PIN guessing', () => {
  it('a fresh terminal opens for no PIN, the once-published factory ones included', async () => {
    for (const pin of ['246810', '135790']) expect(kindOf(await call('staff.signIn', { pin }))).toBe('wrong-pin');
    // Those two guesses counted: the setup clears the count.
  });

  it('the first-start setup runs once; afterwards it cannot reset the PINs', async () => {
    expect(kindOf(await call('setup.complete', setupRequest(testPins)))).toBe('ok');
    await call('staff.signOut', {});
    expect(kindOf(await call('setup.complete', setupRequest({ staff: '1111', technician: '2222' })))).toBe(
      'already-provisioned',
    );
    expect(kindOf(await call('staff.signIn', { pin: '2222' }))).toBe('wrong-pin');
    expect(kindOf(await call('staff.signIn', { pin: testPins.staff }))).toBe('ok'); // clears the count
    await call('staff.signOut', {});
  });

  it('60 concurrent wrong guesses plus the right PIN: five are checked, everything else is refused', async () => {
    const wrong = Array.from({ length: 60 }, (_, i) => String(100000 + i * 7919).slice(0, 6));
    const answers = await Promise.all([
      ...wrong.map((pin) => call('staff.signIn', { pin })),
      call('staff.signIn', { pin: testPins.technician }),
    ]);
    const kinds = answers.map(kindOf);
    expect(kinds.filter((k) => k === 'wrong-pin')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'locked')).toHaveLength(56);
    expect(kinds.at(-1)).toBe('locked');
    expect(kindOf(await call('staff.signIn', { pin: testPins.technician }))).toBe('locked');
    expect(services.staff.auth.current()).toBeNull();
  });
});
