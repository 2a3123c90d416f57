/**
 * Decommissioning: a terminal leaves service and its disk leaves the county's hands. After
 * `kiosk wipe`, nothing of the keys or the data can be read back — not from the folder, and not
 * from the blocks the files occupied (seen here through hard links made before the wipe, which keep
 * the very same inodes).
 */
import { existsSync, linkSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { fakeDevices } from '../support/fake-devices';
import { testPins } from '../support/provisioning';
import { runCliCaptured } from '../support/cli-capture';
import { applyForAllowance, noDevicesConfig, rpcCall } from '../support/services-fixture';

let dataDir: string;
let keptDir: string;
/** The data key: a systemd credential where systemd-creds is usable (root), else an owner-only file. */
const dataKeyFile = () => (existsSync(join(dataDir, 'data.key.cred')) ? 'data.key.cred' : 'data.key');
/** What the files held before the wipe, by the path of a hard link to each. */
const before = new Map<string, Buffer>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-wipe-'));
  keptDir = mkdtempSync(join(tmpdir(), 'kiosk-wipe-links-'));
  const started = await startKioskServices({
    config: noDevicesConfig,
    dataDir,
    log: silentLog,
    createDevices: () => fakeDevices(),
  });
  if (!started.ok) throw new Error(started.error.message);
  const services = started.value;
  await rpcCall(services, 'setup.complete', {
    terminalName: noDevicesConfig.terminal.name,
    servicePointName: '青石镇柳溪村便民服务站（新址）',
    platformUrl: '',
    code: '',
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
  await applyForAllowance(services);
  await services.close();
  writeFileSync(join(dataDir, 'launch-code'), 'one-time-code', { mode: 0o600 });
  for (const file of [
    dataKeyFile(),
    'identity/terminal-key.sealed',
    'embedded-platform/platform.sqlite',
    'kiosk.sqlite',
    'site-config.json',
  ]) {
    const link = join(keptDir, file.replaceAll('/', '_'));
    linkSync(join(dataDir, file), link);
    before.set(link, readFileSync(link));
  }
});
afterAll(() => {
  for (const dir of [dataDir, keptDir]) rmSync(dir, { recursive: true, force: true });
});

describe('kiosk wipe', () => {
  it('asks for confirmation and refuses a folder that is not a kiosk data folder', async () => {
    const unconfirmed = await runCliCaptured('wipe', '--data', dataDir);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err.join('\n')).toContain('--yes');
    expect(existsSync(join(dataDir, dataKeyFile()))).toBe(true);

    const elsewhere = mkdtempSync(join(tmpdir(), 'not-kiosk-'));
    writeFileSync(join(elsewhere, 'thesis.txt'), 'precious');
    const refused = await runCliCaptured('wipe', '--data', elsewhere, '--yes');
    expect(refused.code).toBe(2);
    expect(readFileSync(join(elsewhere, 'thesis.txt'), 'utf8')).toBe('precious');
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('destroys the keys and every file so that nothing can be read back', async () => {
    const wiped = await runCliCaptured('wipe', '--data', dataDir, '--yes');
    expect(wiped.code).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
    for (const [link, original] of before) {
      const now = readFileSync(link);
      expect(now.length, link).toBe(original.length);
      expect(now.equals(original), `${link} still holds what it held`).toBe(false);
      // Not a single 16-byte run of the old content is left (random bytes, not a shifted copy).
      for (let at = 0; at + 16 <= original.length; at += 4096)
        expect(now.includes(original.subarray(at, at + 16))).toBe(false);
    }
  });
});
