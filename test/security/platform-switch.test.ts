/**
 * The terminal's key and enrolment belong to one platform. Someone with the technician PIN (or a
 * shell that edits the on-site settings) points the terminal at another platform address without
 * enrolling there — a rogue server that would collect residents' applications — or enrols at another
 * platform while applications still wait for the first one. Neither may move a single application:
 * the console refuses the address, the platform link sends nothing to an address its enrolment does
 * not name, and a switch waits until the queue is empty.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { readEnrolment } from '../../electron/services/platform-client/identity-store';
import { startPlatform, type RunningPlatform } from '../../platform/server/start-platform';
import { fakeDevices } from '../support/fake-devices';
import { testPins } from '../support/provisioning';
import { applyForAllowance, noDevicesConfig, rpcCall, rpcFailure } from '../support/services-fixture';

const terminalId = 'QS-LX-0777';
let dataDir: string;
let platformDirs: string[] = [];
let platformA: RunningPlatform;
let portA = 0;
let platformB: RunningPlatform;
let rogue: Server;
let rogueUrl: string;
let rogueRequests = 0;
let services: KioskServices | null = null;

async function startNamedPlatform(dir: string, port = 0): Promise<RunningPlatform> {
  return startPlatform({ port, dataDir: dir, catalog: embeddedCatalogue, log: silentLog });
}

async function startKiosk(url: string): Promise<KioskServices> {
  const config = {
    ...noDevicesConfig,
    terminal: { ...noDevicesConfig.terminal, id: terminalId },
    platform: { ...noDevicesConfig.platform, mode: 'remote' as const, url },
  };
  const started = await startKioskServices({ config, dataDir, log: silentLog, createDevices: () => fakeDevices() });
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-platform-switch-'));
  platformDirs = [mkdtempSync(join(tmpdir(), 'vk-platform-a-')), mkdtempSync(join(tmpdir(), 'vk-platform-b-'))];
  platformA = await startNamedPlatform(platformDirs[0] ?? '');
  portA = Number(new URL(platformA.url).port);
  platformB = await startNamedPlatform(platformDirs[1] ?? '');
  // A rogue "platform": it only counts what reaches it.
  rogue = createServer((request, response) => {
    rogueRequests += 1;
    request.resume();
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  rogueUrl = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;

  services = await startKiosk(platformA.url);
  await rpcCall(services, 'setup.complete', {
    terminalName: noDevicesConfig.terminal.name,
    servicePointName: noDevicesConfig.servicePoint.name,
    platformUrl: platformA.url,
    code: platformA.createEnrolmentCode({ terminalId }),
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  });
});
afterAll(async () => {
  await services?.close();
  await platformA.close();
  await platformB.close();
  await new Promise((resolve) => rogue.close(resolve));
  for (const dir of [dataDir, ...platformDirs]) rmSync(dir, { recursive: true, force: true });
});

const running = (): KioskServices => {
  if (services === null) throw new Error('kiosk not running');
  return services;
};

describe('the platform address changes only with a new enrolment there', () => {
  it('refuses a rogue platform address in the technician console', async () => {
    const current = await rpcCall(running(), 'tech.config.get');
    expect(
      await rpcFailure(running(), 'tech.config.save', { settings: { ...current.settings, platformUrl: rogueUrl } }),
    ).toEqual({ kind: 'enrol-first' });
    expect((await rpcCall(running(), 'tech.config.get')).settings.platformUrl).toBe(platformA.url);
  });

  it('refuses to enrol at another platform while applications wait for the current one; switches once they are sent', async () => {
    const s = running();
    await platformA.close(); // the county's platform is down for a while: the application waits
    const submitted = await applyForAllowance(s);
    await s.outbox.drain();
    expect(s.outbox.status().depth).toBeGreaterThan(0);

    expect(
      await rpcFailure(s, 'tech.enrol', {
        platformUrl: platformB.url,
        code: platformB.createEnrolmentCode({ terminalId }),
      }),
    ).toMatchObject({ kind: 'queue-not-empty' });
    expect(platformB.terminalFingerprint(terminalId)).toBeNull(); // B was never even asked
    expect(readEnrolment(dataDir)?.platformUrl).toBe(platformA.url);

    platformA = await startNamedPlatform(platformDirs[0] ?? '', portA);
    // Time passes (the retry back-off is on the wall clock): every waiting item is due again.
    s.store.db.prepare('UPDATE outbox SET next_attempt_at = ?').run(new Date(0).toISOString());
    await s.outbox.drain();
    expect(s.outbox.status().depth).toBe(0);
    expect(s.store.applications.getSummary(submitted.applicationId)).toMatchObject({ state: 'submitted' });

    // Nothing waits any more: the switch goes through, and the link and the on-site file follow it.
    await rpcCall(s, 'tech.enrol', { platformUrl: platformB.url, code: platformB.createEnrolmentCode({ terminalId }) });
    expect(platformB.terminalFingerprint(terminalId)).not.toBeNull();
    expect(s.platform.url).toBe(platformB.url);
    expect((await rpcCall(s, 'tech.config.get')).settings.platformUrl).toBe(platformB.url);
  });

  it('sends nothing to an address the enrolment does not name (on-site file edited by hand)', async () => {
    await running().close();
    services = null;
    writeFileSync(
      join(dataDir, 'site-config.json'),
      JSON.stringify({
        savedAt: new Date().toISOString(),
        savedBy: 'someone with a shell',
        config: { terminal: { id: terminalId }, platform: { mode: 'remote', url: rogueUrl } },
        halls: {},
      }),
    );
    services = await startKiosk(platformB.url);
    const s = running();
    expect(s.platform.url).toBe(rogueUrl);
    const submitted = await applyForAllowance(s);
    await s.outbox.drain();
    await s.outbox.sendHeartbeat();
    // Nor is a video call queued there (a call's polls and signals then follow where it was queued).
    expect(await s.platform.remoteHelp.queueCall({ language: 'zh' })).toMatchObject({
      ok: false,
      error: { kind: 'held', hold: { kind: 'not-enrolled' } },
    });
    expect(rogueRequests).toBe(0);
    expect(s.store.applications.getSummary(submitted.applicationId)).toMatchObject({
      state: 'queued',
      finalError: null,
    });
    expect(s.outbox.status()).toMatchObject({ failed: 0, hold: { kind: 'not-enrolled' } });
  });
});
