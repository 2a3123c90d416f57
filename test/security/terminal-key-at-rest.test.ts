/**
 * Attacker: takes the terminal's disk, or a copy of its data folder, to sign as the terminal (forge
 * receipts, submit applications the platform would accept as this terminal's). After a real first
 * start with enrolment (the kiosk's services with the embedded platform, as `npm start` runs them):
 * - no file in the data folder holds the private key — no PEM, not the raw 32-byte Ed25519 seed in
 *   any common spelling (raw, hex, base64, base64url);
 * - where systemd-creds is usable (root), the data key itself is only a credential bound to the host;
 * - a copy of the folder without its data key, or with the data key replaced, cannot sign: the
 *   terminal refuses to start on it with a clear reason, and makes no new key over the sealed one.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { loadTerminalKeys, readEnrolment, sealedKeyPath } from '../../electron/services/platform-client/identity-store';
import { describeHostKeyError, openHostDataKey } from '../../electron/services/store/host-key-provider';
import { silentLog } from '../../foundation/log';
import { kioskDataCipher } from '../support/data-key';
import { noDevicesConfig } from '../support/services-fixture';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

let dataDir: string;
let seed: Buffer;
let dataKey: Buffer;
let fingerprint: string;
// As root with systemd-creds (these machines, CI) the data key itself is a systemd credential.
const credentialsUsable = existsSync('/usr/bin/systemd-creds') && process.getuid?.() === 0;

beforeAll(async () => {
  dataDir = tempDir('kiosk-key-at-rest-');
  const started = await startKioskServices({ config: noDevicesConfig, dataDir, log: silentLog });
  if (!started.ok) throw new Error(started.error.message);
  await started.value.close();
  // The key in use, as its owner (who holds the data key) reads it.
  const keys = loadTerminalKeys(dataDir, kioskDataCipher(dataDir), silentLog);
  if (!keys.ok) throw new Error(keys.error.message);
  fingerprint = keys.value.fingerprint;
  const d = keys.value.privateKey.export({ format: 'jwk' }).d;
  if (d === undefined) throw new Error('no Ed25519 seed');
  seed = Buffer.from(d, 'base64url');
  const key = openHostDataKey(dataDir, { log: silentLog, create: false });
  if (!key.ok) throw new Error(describeHostKeyError(key.error));
  dataKey = key.value.provider.getDataKey();
});

describe('the terminal key at rest', () => {
  it('is enrolled under the key in use, and no file in the data folder holds the private key', () => {
    expect(seed.length).toBe(32);
    expect(readEnrolment(dataDir)?.fingerprint).toBe(fingerprint);
    const needles = {
      pem: Buffer.from('PRIVATE KEY'),
      raw: seed,
      hex: Buffer.from(seed.toString('hex')),
      HEX: Buffer.from(seed.toString('hex').toUpperCase()),
      base64: Buffer.from(seed.toString('base64').slice(0, 40)),
      base64url: Buffer.from(seed.toString('base64url').slice(0, 40)),
    };
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(3);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const [what, needle] of Object.entries(needles))
        if (bytes.includes(needle)) found.push(`${what} in ${file}`);
    }
    expect(found).toEqual([]);
  });

  it.skipIf(!credentialsUsable)(
    'holds the data key only as a systemd credential (skipped: needs systemd-creds and root)',
    () => {
      expect(existsSync(join(dataDir, 'data.key.cred'))).toBe(true);
      const found = filesUnder(dataDir).filter((file) => {
        const bytes = readFileSync(file);
        return [dataKey, Buffer.from(dataKey.toString('base64')), Buffer.from(dataKey.toString('hex'))].some((n) =>
          bytes.includes(n),
        );
      });
      expect(found).toEqual([]);
    },
  );

  it('cannot sign from a copy of the folder without its data key, or with the data key replaced', async () => {
    for (const variant of ['without the data key', 'with the data key replaced'] as const) {
      const copy = tempDir('kiosk-key-copy-');
      cpSync(dataDir, copy, { recursive: true });
      for (const key of ['data.key', 'data.key.cred']) rmSync(join(copy, key), { force: true });
      if (variant === 'with the data key replaced')
        writeFileSync(join(copy, 'data.key'), randomBytes(32), { mode: 0o600 });
      const sealed = readFileSync(sealedKeyPath(copy));

      const started = await startKioskServices({ config: noDevicesConfig, dataDir: copy, log: silentLog });
      if (started.ok) await started.value.close();
      expect(started.ok, variant).toBe(false);
      expect(!started.ok && started.error.message, variant).toContain('sealed under another data key');
      // No new identity was made over the sealed one, and no plain copy appeared.
      expect(readFileSync(sealedKeyPath(copy)).equals(sealed), variant).toBe(true);
      expect(existsSync(join(copy, 'identity', 'terminal-key.pem')), variant).toBe(false);

      const direct = loadTerminalKeys(copy, kioskDataCipher(copy), silentLog);
      expect(!direct.ok && direct.error.kind, variant).toBe('wrong-data-key');
    }
  });
});
