import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { maskName } from '../../foundation/masking';
import { defaultConfig } from '../../kiosk-config/default-config';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { verificationCode } from '../../platform/contract/receipt-payload';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { fakeDevices } from '../support/fake-devices';
import { receiptPayloadFor, startHallFixture, type HallFixture } from '../support/hall-fixture';
import { applicantName } from '../support/platform-fixture';
import { testPins } from '../support/provisioning';
import { noDevicesConfig, rpcCall } from '../support/services-fixture';

/**
 * 查询进度 with a receipt another terminal printed: this terminal does not hold the case, so it asks
 * the platform's receipt check, which verifies the paper's signature and answers only what the paper
 * shows. The attacker holds the kiosk's progress screen (or its socket): a receipt they made
 * themselves, or a typed code tried out, must not read anyone's case through it.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The platform with another terminal's application on it, and this kiosk enrolled there too. */
async function twoTerminals(): Promise<{ hall: HallFixture; services: KioskServices }> {
  const hall = await startHallFixture({ terminalId: 'QS-HX-0002' });
  // The test may have stopped the platform already.
  cleanups.push(() => hall.close().catch(() => rmSync(hall.fx.dataDir, { recursive: true, force: true })));
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-elsewhere-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const { platform } = hall.fx;
  const started = await startKioskServices({
    config: { ...noDevicesConfig, platform: { mode: 'remote', url: platform.url, requestTimeoutSeconds: 5 } },
    dataDir,
    log: recordingLog(),
    createDevices: () => fakeDevices(),
  });
  if (!started.ok) throw new Error(started.error.message);
  const services = started.value;
  cleanups.push(() => services.close());
  await rpcCall(services, 'setup.complete', {
    terminalName: services.config.terminal.name,
    servicePointName: services.config.servicePoint.name,
    platformUrl: platform.url,
    code: platform.createEnrolmentCode({ terminalId: defaultConfig.terminal.id }),
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
  await rpcCall(services, 'staff.signOut');
  return { hall, services };
}

describe('progress of a receipt another terminal printed', () => {
  it('is asked of the platform and shows only what the paper shows; a receipt someone made, or a typed code, reads nothing', async () => {
    const { hall, services } = await twoTerminals();
    const { submission: filed, caseNumber, payload: paper } = hall;
    // Exactly these fields: service, numbers, status, the name masked as printed; no note, no answers.
    expect(await rpcCall(services, 'progress.lookup', { payload: `${paper}\r\n` })).toEqual({
      found: true,
      serviceCode: filed.serviceCode,
      localNumber: filed.localNumber,
      caseNumber,
      status: 'submitted',
      updatedAt: expect.any(String) as string,
      elsewhere: { maskedName: maskName(applicantName) },
    });

    // A receipt made up for that case, signed with a key the platform never enrolled: nothing.
    const forged = receiptPayloadFor(hall.fx, filed, caseNumber, new Date(), generateTerminalKeys().privateKey);
    expect(await rpcCall(services, 'progress.lookup', { payload: forged })).toEqual({
      found: false,
      reason: 'invalid-receipt',
    });
    // The case's code typed in: the terminal does not hold it and does not try codes at the platform.
    const code = verificationCode({
      terminalId: filed.terminalId,
      applicationId: filed.id,
      localNumber: filed.localNumber,
    });
    expect(await rpcCall(services, 'progress.lookup', { code })).toEqual({ found: false, reason: 'unknown' });

    // The platform gone: said so, not "not found".
    await hall.fx.platform.close();
    expect(await rpcCall(services, 'progress.lookup', { payload: paper })).toEqual({
      found: false,
      reason: 'unavailable',
    });
  });
});
