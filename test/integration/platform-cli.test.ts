import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import type { CliIo } from '../../electron/cli/cli-io';
import {
  loadPublicKey,
  loadTerminalKeys,
  publicKeyPath,
  readEnrolment,
  writeEnrolment,
} from '../../electron/services/platform-client/identity-store';
import { openTestStore, sampleApplication } from '../../electron/services/store/test-fixtures';
import { createReceiptPayload, verificationCode } from '../../platform/contract/receipt-payload';
import { silentLog } from '../../foundation/log';
import { kioskDataCipher } from '../support/data-key';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
let dataDir: string;
beforeAll(async () => {
  fx = await startPlatformFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'vk-cli-'));
});
afterAll(async () => {
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function kiosk(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const errLines: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => errLines.push(l), progress: () => {} };
  const code = await runCli(['node', 'kiosk', ...args], io);
  return { code, out, err: errLines };
}

describe('kiosk enrol / identity show / receipt verify', () => {
  let payload = '';

  it('enrols with a one-time code and prints the terminal id and key fingerprint', async () => {
    const code = fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0042' });
    const result = await kiosk(
      'enrol',
      '--platform',
      fx.platform.url,
      '--code',
      code.toLowerCase(),
      '--data',
      dataDir,
      '--terminal-id',
      'QS-LX-0042',
    );
    expect(result.code).toBe(0);
    const keys = loadPublicKey(dataDir);
    expect(keys.ok).toBe(true);
    if (!keys.ok) return;
    expect(result.out).toEqual([
      `enrolled terminal QS-LX-0042 with ${fx.platform.url}`,
      `key fingerprint: ${keys.value.fingerprint}`,
    ]);
    const again = await kiosk(
      'enrol',
      '--platform',
      fx.platform.url,
      '--code',
      code,
      '--data',
      dataDir,
      '--terminal-id',
      'QS-LX-0042',
    );
    expect(again.code).toBe(1);
    // The platform's own reason reaches the technician (a code used twice), with the HTTP status.
    expect(again.err.join('\n')).toMatch(/refused by the platform: 403 .*already used/);
    const show = await kiosk('identity', 'show', '--data', dataDir, '--json');
    expect(JSON.parse(show.out[0] ?? '{}')).toMatchObject({
      fingerprint: keys.value.fingerprint,
      enrolment: { terminalId: 'QS-LX-0042' },
    });

    // The CLI sealed the key under the data key it made: only with that key can it sign.
    const signing = loadTerminalKeys(dataDir, kioskDataCipher(dataDir), silentLog);
    if (!signing.ok) throw new Error(signing.error.message);
    expect(signing.value.fingerprint).toBe(keys.value.fingerprint);
    const made = createReceiptPayload(
      {
        terminalId: 'QS-LX-0042',
        applicationId: randomUUID(),
        localNumber: 'QSLX42-20261124-0001',
        caseNumber: null,
        serviceCode: 'PENSION-CERT',
        issuedAt: '2026-11-24T08:00:00.000Z',
        applicant: { maskedName: '张*丰', maskedIdNumber: '110105********0021' },
      },
      signing.value.privateKey,
    );
    payload = made.ok ? made.value : '';
  });

  it('verifies a receipt offline with the public key file, and refuses a changed one with exit 1', async () => {
    const good = await kiosk('receipt', 'verify', payload, '--public-key', publicKeyPath(dataDir), '--json');
    expect(good.code).toBe(0);
    const parsed = JSON.parse(good.out[0] ?? '{}') as {
      valid: boolean;
      receipt: { applicationId: string; localNumber: string };
      verificationCode: string;
    };
    expect(parsed.valid).toBe(true);
    expect(parsed.verificationCode).toBe(verificationCode({ terminalId: 'QS-LX-0042', ...parsed.receipt }));
    const human = await kiosk('receipt', 'verify', payload, '--public-key', publicKeyPath(dataDir));
    expect(human.out[0]).toBe('receipt valid (checked offline with the terminal key)');
    expect(human.out.join('\n')).toContain('not yet known (printed offline)');

    const tampered = payload.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const bad = await kiosk('receipt', 'verify', tampered, '--public-key', publicKeyPath(dataDir));
    expect(bad.code).toBe(1);
    expect(bad.out[0]).toMatch(/^receipt INVALID: /);
  });

  it('verifies through the platform, and needs exactly one source', async () => {
    const viaPlatform = await kiosk('receipt', 'verify', payload, '--platform', fx.platform.url);
    expect(viaPlatform.code).toBe(0);
    expect(viaPlatform.out).toContain('  platform:          the application has not reached the platform yet');
    // The platform tells only what the paper shows: no application id, no ID number.
    expect(viaPlatform.out.join('\n')).not.toMatch(/application:|110105/);
    expect((await kiosk('receipt', 'verify', payload)).code).toBe(2);
    const unreachable = await kiosk('receipt', 'verify', payload, '--platform', 'http://127.0.0.1:1');
    expect(unreachable.code).toBe(3);
  });
});

describe('kiosk enrol at another platform', () => {
  it('is refused while applications wait for the platform the terminal is enrolled at', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'vk-cli-switch-'));
    try {
      const terminalId = 'QS-LX-0043';
      writeEnrolment(otherDir, {
        terminalId,
        platformUrl: 'https://county.example.cn',
        fingerprint: 'f'.repeat(64),
        enrolledAt: new Date().toISOString(),
      });
      const { store } = openTestStore(otherDir);
      expect(store.applications.createApplication(sampleApplication()).ok).toBe(true);
      store.close();

      const code = fx.platform.createEnrolmentCode({ terminalId });
      const refused = await kiosk(
        'enrol',
        '--platform',
        fx.platform.url,
        '--code',
        code,
        '--terminal-id',
        terminalId,
        '--data',
        otherDir,
      );
      expect(refused.code).toBe(1);
      expect(refused.err.join('\n')).toContain('https://county.example.cn');
      expect(fx.platform.terminalFingerprint(terminalId)).toBeNull();
      expect(readEnrolment(otherDir)?.platformUrl).toBe('https://county.example.cn');
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
