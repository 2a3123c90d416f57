import { PlatformStore } from '../../platform/server/platform-db';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import type { ReceiptDocument } from '../../drivers/receipt/receipt-model';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { runCli } from '../../electron/cli/main';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { testPins } from '../support/provisioning';
import { startPlatform } from '../../platform/server/start-platform';
import { startFaultProxy } from '../support/fault-proxy';
import { applyForAllowance, rpcCall, rpcFailure, noDevicesConfig } from '../support/services-fixture';
import { fakeDevices, type FakeDevices } from '../support/fake-devices';
import { err, ok } from '../../foundation/result';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * Staff mode through the same RPC dispatcher the renderer uses: an assisted application recorded
 * with its helper on the platform, a failed send with the platform's reason and a retry, a
 * reprint marked 补打, the technician's enrolment — and an audit log that verifies after all of it.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// No device simulators: these tests use a device layer that records what was printed.
const noDevices = noDevicesConfig;

async function kiosk(
  config: KioskConfig = noDevices,
  devices: FakeDevices = fakeDevices(),
  options: { provision?: boolean } = {},
): Promise<{ services: KioskServices; dataDir: string; printed: ReceiptDocument[] }> {
  const dataDir = tempDir('kiosk-staff-');
  const started = await startKioskServices({ config, dataDir, log: recordingLog(), createDevices: () => devices });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  if (options.provision !== false) await provision(started.value);
  return { services: started.value, dataDir, printed: devices.printed };
}

/** The first-start setup, as the setup screen sends it; it leaves the technician signed in. */
function setupRequest(services: KioskServices, code = '', platformUrl = '') {
  return {
    terminalName: services.config.terminal.name,
    servicePointName: services.config.servicePoint.name,
    platformUrl,
    code,
    staffPin: testPins.staff,
    technicianPin: testPins.technician,
  };
}

async function provision(services: KioskServices): Promise<void> {
  await rpcCall(services, 'setup.complete', setupRequest(services));
  await rpcCall(services, 'staff.signOut');
}

const texts = (doc: ReceiptDocument | undefined) =>
  (doc?.blocks ?? []).flatMap((b) => (b.kind === 'text' ? [b.text] : []));

describe('staff mode services', () => {
  it('records an assisted application with its helper here and on the platform, reprints 补打, and the audit verifies', async () => {
    const { services, dataDir, printed } = await kiosk();
    expect(await rpcCall(services, 'staff.queue').catch((e: Error) => e.message)).toMatch(/not-allowed/);
    expect(await rpcCall(services, 'staff.signIn', { pin: testPins.staff })).toEqual({ role: 'staff' });
    expect(await rpcCall(services, 'staff.status')).toMatchObject({
      role: 'staff',
      assisting: false,
    });
    expect(await rpcCall(services, 'staff.assist.start')).toEqual({});
    // Staff hand over the screen: staff mode ends, the next resident application is assisted.
    expect(await rpcCall(services, 'staff.status')).toMatchObject({ role: null, assisting: true });
    const result = await applyForAllowance(services);
    expect(result.caseNumber).not.toBeNull();
    expect(await rpcCall(services, 'receipt.print', { applicationId: result.applicationId, reprint: false })).toEqual({
      outcome: 'printed',
    });
    expect(await rpcCall(services, 'staff.status')).toMatchObject({ assisting: false });
    expect(services.store.applications.getSummary(result.applicationId)?.helperStaffId).toBe('staff');

    // The embedded platform encrypts with the kiosk's own cipher: read the body through its store.
    const platformDb = new Database(join(dataDir, 'embedded-platform', 'platform.sqlite'), { readonly: true });
    const body = new PlatformStore(platformDb, services.store.cipher).applicationBody(result.applicationId);
    platformDb.close();
    expect(JSON.parse(body ?? '{}')).toMatchObject({ helper: { staffId: 'staff' } });

    // The next resident, unassisted.
    const alone = await applyForAllowance(services);
    expect(services.store.applications.getSummary(alone.applicationId)?.helperStaffId).toBeNull();

    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    const queue = await rpcCall(services, 'staff.queue');
    expect(queue.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          applicationId: result.applicationId,
          state: 'submitted',
          assisted: true,
          caseNumber: result.caseNumber,
        }),
        expect.objectContaining({ applicationId: alone.applicationId, assisted: false }),
      ]),
    );
    expect(await rpcCall(services, 'staff.reprint', { applicationId: result.applicationId })).toEqual({
      outcome: 'printed',
    });
    expect(texts(printed.at(-1))[0]).toBe('申报回执（补打）');
    expect(
      (await rpcCall(services, 'staff.queue')).items.find((i) => i.applicationId === result.applicationId)?.reprints,
    ).toBe(1);

    const summary = await rpcCall(services, 'staff.summary');
    expect(summary).toMatchObject({
      total: 2,
      assisted: 1,
      byService: [{ serviceCode: 'OLD-AGE-ALLOWANCE', total: 2, submitted: 2 }],
    });
    expect(await rpcCall(services, 'staff.summary.print')).toEqual({ outcome: 'printed' });
    const summaryText = texts(printed.at(-1)).join('\n');
    expect(summaryText).toContain('申请共 2 件，其中工作人员帮办 1 件');
    const card = decodedSampleCard('resident-long-term');
    for (const secret of [card.name, card.idNumber, '13812345678']) expect(summaryText).not.toContain(secret);

    const health = await rpcCall(services, 'staff.health');
    expect(health).toMatchObject({
      platform: { reachable: true, mode: 'embedded' },
      outbox: { depth: 0 },
      problems: [],
    });
    expect(health.disk?.freeBytes).toBeGreaterThan(0);
    await rpcCall(services, 'staff.signOut');

    const actions = (
      services.store.db.prepare('SELECT actor, action FROM audit_log ORDER BY seq').all() as Array<{
        actor: string;
        action: string;
      }>
    ).map((r) => `${r.actor} ${r.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'staff:staff staff.signed-in',
        'staff:staff staff.assist-started',
        'staff:staff application.saved',
        'staff:staff staff.assist-ended',
        'resident application.saved',
        'staff:staff receipt.reprinted',
        'staff:staff staff.summary-printed',
        'staff:staff staff.signed-out',
      ]),
    );
    expect(services.store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('shows a send the platform refused with its reason and advice; retry sends it; the technician enrolled the terminal first', async () => {
    const platformDir = tempDir('kiosk-staff-platform-');
    const platform = await startPlatform({
      port: 0,
      dataDir: platformDir,
      catalog: embeddedCatalogue,
      log: recordingLog(),
    });
    cleanups.push(() => platform.close());
    let refuse = true;
    const proxy = await startFaultProxy(platform.url, {
      plan: (request) => {
        if (refuse && request.method === 'POST' && request.path === '/v1/applications') {
          refuse = false;
          return {
            kind: 'status',
            status: 422,
            body: JSON.stringify({
              type: 'about:blank',
              title: 'Invalid application',
              status: 422,
              fieldErrors: { 'answers.bank-account': 'account closed' },
            }),
          };
        }
        return undefined;
      },
    });
    cleanups.push(() => proxy.close());
    const { services } = await kiosk(
      { ...noDevices, platform: { mode: 'remote', url: proxy.url, requestTimeoutSeconds: 5 } },
      fakeDevices(),
      { provision: false },
    );

    // The first-start setup enrols with the platform's one-time code before it sets any PIN.
    expect(await rpcCall(services, 'setup.status')).toMatchObject({
      needed: true,
      platform: { mode: 'remote', enrolled: false },
    });
    expect(await rpcFailure(services, 'setup.complete', setupRequest(services))).toEqual({ kind: 'code-needed' });
    expect(await rpcFailure(services, 'setup.complete', setupRequest(services, 'WRONG-CODE'))).toMatchObject({
      kind: 'refused',
    });
    expect(await rpcFailure(services, 'staff.signIn', { pin: testPins.technician })).toMatchObject({
      kind: 'wrong-pin',
    });
    const code = platform.createEnrolmentCode({ terminalId: defaultConfig.terminal.id });
    expect(await rpcCall(services, 'setup.complete', setupRequest(services, code, proxy.url))).toEqual({});
    expect(await rpcCall(services, 'tech.identity')).toMatchObject({
      mode: 'remote',
      fingerprint: services.platform.keys.fingerprint,
    });
    expect((await rpcCall(services, 'tech.identity')).enrolledAt).not.toBeNull();
    expect(await rpcCall(services, 'setup.status')).toMatchObject({ needed: false, platform: { enrolled: true } });
    await rpcCall(services, 'staff.signOut');

    const result = await applyForAllowance(services);
    await expect
      .poll(() => services.store.applications.getSummary(result.applicationId)?.state, { timeout: 10_000 })
      .toBe('failed');
    await rpcCall(services, 'staff.signIn', { pin: testPins.staff });
    const failed = (await rpcCall(services, 'staff.queue')).items[0];
    if (failed === undefined) throw new Error('empty queue');
    expect(failed).toMatchObject({ applicationId: result.applicationId, state: 'failed', advice: 'fix-and-retry' });
    expect(failed.reason).toContain('422 Invalid application');
    expect(failed.reason).toContain('answers.bank-account: account closed');
    expect((await rpcCall(services, 'staff.health')).problems).toContain('outbox-failed');

    expect((await rpcCall(services, 'staff.retry', { applicationId: result.applicationId })).requeued).toBeGreaterThan(
      0,
    );
    await expect
      .poll(() => services.store.applications.getSummary(result.applicationId)?.state, { timeout: 10_000 })
      .toBe('submitted');
    expect((await rpcCall(services, 'staff.queue')).items[0]).toMatchObject({
      state: 'submitted',
      reason: null,
      advice: null,
    });

    const rows = services.store.db
      .prepare("SELECT actor, action FROM audit_log WHERE action IN ('outbox.failed', 'outbox.retry', 'tech.enrol')")
      .all();
    expect(rows).toEqual([
      { actor: 'setup', action: 'tech.enrol' },
      { actor: 'setup', action: 'tech.enrol' },
      { actor: 'system', action: 'outbox.failed' },
      { actor: 'staff:staff', action: 'outbox.retry' },
    ]);
    expect(services.store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('exports a diagnostic bundle from the console and from the CLI with no personal data in either', async () => {
    const { services, dataDir } = await kiosk();
    await applyForAllowance(services);
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    const folder = join(dataDir, 'diagnostics');
    expect((await rpcCall(services, 'tech.diagnostics.targets')).folders).toContain(folder);
    expect(await rpcFailure(services, 'tech.diagnostics.export', { to: 'folder', folder: '/tmp' })).toEqual({
      kind: 'folder-not-offered',
    });
    const exported = await rpcCall(services, 'tech.diagnostics.export', { to: 'folder', folder });
    if (exported.to !== 'folder') throw new Error('exported elsewhere');
    expect(exported.path).toContain(folder);
    const download = await rpcCall(services, 'tech.diagnostics.export', { to: 'download' });
    if (download.to !== 'download') throw new Error('not a download');
    const logs = await rpcCall(services, 'tech.logs', { source: 'journey' });
    expect(logs.lines.map((l) => l.message)).toContain('application saved');
    await services.close(); // the kiosk leaves its log copy for the CLI

    const out = join(dataDir, 'cli-bundle.json');
    const lines: string[] = [];
    expect(
      await runCli(['node', 'kiosk', 'diagnostics', 'export', '--out', out, '--data', dataDir], {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        progress: () => {},
      }),
    ).toBe(0);
    expect(lines.join('\n')).toContain('diagnostics written to');
    const card = decodedSampleCard('resident-long-term');
    const bundles = [readFileSync(exported.path, 'utf8'), download.bundleJson, readFileSync(out, 'utf8')];
    for (const text of bundles) {
      expect(JSON.parse(text)).toMatchObject({ kind: 'village-kiosk diagnostics', audit: { ok: true } });
      expect(text).toContain('application saved');
      for (const secret of [card.name, card.idNumber, card.address, '13812345678', '6222020200112233446'])
        expect(text).not.toContain(secret);
    }
  });

  it('shows in the console when an audit row was changed behind its back', async () => {
    const { services } = await kiosk();
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    await rpcCall(services, 'staff.signOut');
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    expect((await rpcCall(services, 'tech.audit', {})).verdict).toMatchObject({ ok: true });
    services.store.db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").run();
    const audit = await rpcCall(services, 'tech.audit', {});
    expect(audit.verdict).toEqual({
      ok: false,
      firstBadSeq: 2,
      reason: 'row content does not match its MAC (modified or forged)',
    });
    expect(audit.rows.find((r) => r.seq === 2)?.actor).toBe('someone-else');
  });

  it('keeps a device assignment and the camera choice in the on-site settings for the next start', async () => {
    const assigned: string[] = [];
    const { services, dataDir } = await kiosk(
      noDevices,
      fakeDevices({
        states: () => [{ role: 'printer', link: { kind: 'none' }, status: { state: 'no-device' } }],
        discover: () => Promise.resolve({ serial: [{ path: '/dev/ttyUSB1' }], hid: [] }),
        assign: (role, link) => {
          assigned.push(`${role} ${link.kind}`);
          return Promise.resolve(link.kind === 'file' ? err({ message: 'cannot open' }) : ok());
        },
      }),
    );
    await rpcCall(services, 'staff.signIn', { pin: testPins.technician });
    expect(await rpcCall(services, 'tech.discover')).toEqual({ serial: [{ path: '/dev/ttyUSB1' }], hid: [] });
    expect(
      await rpcFailure(services, 'tech.assign', { role: 'printer', link: { kind: 'file', path: '/dev/usb/lp0' } }),
    ).toEqual({ kind: 'device-failed', detail: 'cannot open' });
    expect(
      await rpcCall(services, 'tech.assign', {
        role: 'printer',
        link: { kind: 'serial', path: '/dev/ttyUSB1', baudRate: 9600 },
        paperWidth: 58,
      }),
    ).toEqual({ keptForNextStart: true });
    expect(await rpcCall(services, 'tech.camera.set', { label: 'USB Camera' })).toEqual({});
    expect(await rpcCall(services, 'tech.selfTest', { role: 'printer' })).toEqual({ detail: 'printer fine' });
    expect(assigned).toEqual(['printer file', 'printer serial']);
    const site = JSON.parse(readFileSync(join(dataDir, 'site-config.json'), 'utf8')) as {
      config: { devices: unknown };
    };
    expect(site.config.devices).toEqual({
      printer: { kind: 'serial', path: '/dev/ttyUSB1', baudRate: 9600 },
      printerPaperWidth: 58,
      cameraLabel: 'USB Camera',
    });
    expect((await rpcCall(services, 'kiosk.info')).cameraLabel).toBe('USB Camera');

    // A settings change applies at once where that is safe, and says what needs a restart.
    const { settings } = await rpcCall(services, 'tech.config.get');
    // A refused one names the form's field and the problem (the console words both), across the bridge.
    expect(
      await rpcFailure(services, 'tech.config.save', { settings: { ...settings, idleTimeoutSeconds: 5 } }),
    ).toMatchObject({
      kind: 'invalid-settings',
      setting: 'idleTimeoutSeconds',
      problem: { kind: 'too-small', limit: 30 },
    });
    expect(
      await rpcCall(services, 'tech.config.save', {
        settings: { ...settings, terminalName: '柳溪村二号终端', terminalCode: 'QSLX02' },
      }),
    ).toEqual({ restartNeeded: ['terminalCode'] });
    expect((await rpcCall(services, 'kiosk.info')).terminalName).toBe('柳溪村二号终端');
    const saved = services.store.db
      .prepare("SELECT details FROM audit_log WHERE action = 'tech.config-saved' ORDER BY seq DESC")
      .get() as { details: string };
    expect(JSON.parse(saved.details)).toEqual({
      changed: ['terminalName', 'terminalCode'],
      restartNeeded: ['terminalCode'],
    });
    await services.close();

    // The next start runs with them.
    const again = await startKioskServices({ config: noDevices, dataDir, log: recordingLog() });
    if (!again.ok) throw new Error(again.error.message);
    cleanups.push(() => again.value.close());
    expect(again.value.config.terminal).toMatchObject({ name: '柳溪村二号终端', code: 'QSLX02' });
    expect(again.value.config.devices).toMatchObject({
      printer: { kind: 'serial', path: '/dev/ttyUSB1' },
      printerPaperWidth: 58,
      cameraLabel: 'USB Camera',
    });
  });
});
