import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { defaultConfig } from '../../kiosk-config/default-config';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import { allowanceSubmission, applyForAllowance, rpcCall, rpcFailure, tinyPng } from '../support/services-fixture';
import { decodedSampleCard } from '../support/sample-id-cards';

/**
 * The resident journey on the service side, through the same RPC dispatcher the renderer uses,
 * against the embedded reference platform on loopback.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function kiosk(
  config: KioskConfig = defaultConfig,
  options: { caseNumberWaitMs?: number } = {},
): Promise<{ services: KioskServices; dataDir: string; log: ReturnType<typeof recordingLog> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-journey-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const log = recordingLog();
  const started = await startKioskServices({ config, dataDir, log, ...options });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  return { services: started.value, dataDir, log };
}

describe('journey services', () => {
  it('submits online: the platform answers with a case number within the wait', async () => {
    const { services } = await kiosk();
    const result = await applyForAllowance(services);
    expect(result.localNumber).toMatch(/^QSLX01-\d{8}-0001$/);
    expect(result.caseNumber).toMatch(/\S+/);
    expect(result.verificationCode).toMatch(/^\d{10}$/);
    expect(Buffer.from(result.receiptPngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const summary = services.store.applications.getSummary(result.applicationId);
    expect(summary).toMatchObject({ state: 'submitted', caseNumber: result.caseNumber });
  });

  it('keeps an application with a local number while the platform is down, and sends it when it is back', async () => {
    const { services } = await kiosk();
    await services.platform.embedded?.stop();
    const offline = await applyForAllowance(services);
    expect(offline.caseNumber).toBeNull();
    expect(services.outbox.status().depth).toBeGreaterThan(0);
    await services.platform.embedded?.start();
    services.outbox.retryNow(offline.applicationId);
    await expect
      .poll(() => services.store.applications.getSummary(offline.applicationId)?.state, { timeout: 10_000 })
      .toBe('submitted');
    expect(services.outbox.status().depth).toBe(0);
  });

  it('tells the resident "saved" as soon as the send fails, not after the wait for a case number', async () => {
    // A wait far beyond the test's timeout: only the outbox's word that the send failed ends it.
    const { services } = await kiosk(defaultConfig, { caseNumberWaitMs: 10 * 60_000 });
    await services.platform.embedded?.stop();
    const first = await applyForAllowance(services);
    expect(first.caseNumber).toBeNull();
    expect(services.outbox.answersExpected()).toBe(false);
    // Known to be unreachable now: the next resident does not wait either.
    expect((await applyForAllowance(services)).caseNumber).toBeNull();
    await services.platform.embedded?.start();
    await services.outbox.sendHeartbeat();
    expect(services.outbox.answersExpected()).toBe(true);
  });

  it('finds the case by verification code and by the receipt payload; rejects a forged payload', async () => {
    const { services } = await kiosk();
    const result = await applyForAllowance(services);
    const byCode = await rpcCall(services, 'progress.lookup', { code: result.verificationCode });
    expect(byCode).toMatchObject({
      found: true,
      serviceCode: 'OLD-AGE-ALLOWANCE',
      caseNumber: result.caseNumber,
      status: 'submitted',
    });
    const receipt = services.store.receipts.getReceipt(result.applicationId);
    const payload = receipt.ok ? (receipt.value.payload as { payload: string }).payload : '';
    expect(await rpcCall(services, 'progress.lookup', { payload })).toMatchObject({
      found: true,
      localNumber: result.localNumber,
    });
    const forged = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    expect(await rpcCall(services, 'progress.lookup', { payload: forged })).toMatchObject({ found: false });
    expect(await rpcCall(services, 'progress.lookup', { code: '0000000000' })).toEqual({
      found: false,
      reason: 'unknown',
    });
  });

  it('finds a person’s applications by their ID card, newest first, and nobody else’s', async () => {
    const { services } = await kiosk();
    const first = await applyForAllowance(services);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    const second = await applyForAllowance(services);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    // Someone else's application on the same terminal.
    await rpcCall(services, 'session.start');
    services.journey.cardRead(decodedSampleCard('resident-young'));
    expect(await rpcCall(services, 'progress.byCard')).toEqual({ cases: [] });
    await rpcCall(services, 'session.end', { reason: 'finished' });

    // 刷身份证查进度: the card read on the progress screen starts a session like any card.
    services.journey.cardRead(decodedSampleCard('resident-long-term'));
    const { cases } = await rpcCall(services, 'progress.byCard');
    expect(cases.map((c) => c.localNumber)).toEqual([second.localNumber, first.localNumber]);
    expect(cases[0]).toMatchObject({ serviceCode: 'OLD-AGE-ALLOWANCE', status: 'submitted' });
    await rpcCall(services, 'session.end', { reason: 'finished' });
    // Without a session, or with no card read, there is nothing to look up.
    expect(await rpcFailure(services, 'progress.byCard')).toMatchObject({ kind: 'no-session' });
    await rpcCall(services, 'session.start');
    expect(await rpcFailure(services, 'progress.byCard')).toMatchObject({ kind: 'card-missing' });
  });

  it('shows the applications of the card just read, never those of the card before it in the same session', async () => {
    const { services } = await kiosk();
    const mine = await applyForAllowance(services);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    // The 81-year-old looks up her progress and steps away; the next person puts their card on
    // the reader before the screen went back to idle (the session is still hers).
    services.journey.cardRead(decodedSampleCard('resident-long-term'));
    expect((await rpcCall(services, 'progress.byCard')).cases.map((c) => c.localNumber)).toEqual([mine.localNumber]);
    services.journey.cardRead(decodedSampleCard('resident-young'));
    expect(await rpcCall(services, 'progress.byCard')).toEqual({ cases: [] });
    // And back: her card again, though the session already holds it.
    services.journey.cardRead(decodedSampleCard('resident-long-term'));
    expect((await rpcCall(services, 'progress.byCard')).cases.map((c) => c.localNumber)).toEqual([mine.localNumber]);
  });

  it('refuses what a page could send wrongly: a photo that is not a JPEG, a document never photographed, a missing applicant card', async () => {
    const { services } = await kiosk();
    await rpcCall(services, 'session.start');
    const notJpeg = await services.rpc.handle(
      {
        jsonrpc: '2.0',
        id: 'a',
        method: 'journey.attachDocument',
        params: { requirementId: 'household-register', jpegBase64: tinyPng.toString('base64') },
      },
      { transport: 'test' },
    );
    expect(notJpeg).toMatchObject({ error: { data: { kind: 'not-a-jpeg' } } });
    services.journey.cardRead(decodedSampleCard('resident-young'));
    const base = {
      serviceCode: 'PENSION-LEVEL',
      answers: { level: '500', collection: 'bank-card', phone: '13812345678' },
      signaturePngBase64: tinyPng.toString('base64'),
      consent: { textVersion: 'v1', face: 'not-needed' },
    } as const;
    const unknownPhoto = await services.rpc.handle(
      {
        jsonrpc: '2.0',
        id: 'b',
        method: 'journey.submit',
        params: {
          ...base,
          parties: { mode: 'self' },
          documents: [{ requirementId: 'household-register', sha256: 'a'.repeat(64) }],
        },
      },
      { transport: 'test' },
    );
    expect(unknownPhoto).toMatchObject({ error: { data: { kind: 'document-missing' } } });
    // Acting for someone else, but only the representative's card was read.
    const noApplicant = await services.rpc.handle(
      {
        jsonrpc: '2.0',
        id: 'c',
        method: 'journey.submit',
        params: { ...base, parties: { mode: 'other', relationship: 'child' }, documents: [] },
      },
      { transport: 'test' },
    );
    expect(noApplicant).toMatchObject({ error: { data: { kind: 'card-missing' } } });
    expect(services.store.applications.listApplications()).toHaveLength(0);
  });

  it('takes a village group (村民小组) only from this service point’s list, set on site', async () => {
    const { services } = await kiosk({
      ...defaultConfig,
      servicePoint: { ...defaultConfig.servicePoint, villageGroups: ['河东组', '河西组'] },
    });
    const farmland = async (group: string) => ({
      ...(await allowanceSubmission(services, { 'village-group': group, 'land-area': 3.5 })),
      serviceCode: 'FARMLAND-SUBSIDY',
      documents: [],
    });
    expect((await rpcCall(services, 'journey.submit', await farmland('河西组'))).verificationCode).toMatch(/^\d{10}$/);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    // The default list's group, free text, or nothing: a page offering other buttons than the list.
    for (const group of ['三组', '柳溪村三组', '']) {
      expect(await rpcFailure(services, 'journey.submit', await farmland(group)), group).toMatchObject({
        kind: 'incomplete',
      });
      await rpcCall(services, 'session.end', { reason: 'finished' });
    }
    expect(services.store.applications.listApplications()).toHaveLength(1);
  });

  it('checks every answer by the catalogue: 没有手机 and a family mobile pass, what a page should never send is refused', async () => {
    const { services, log } = await kiosk();
    // A resident without a phone: the catalogue's way out, taken.
    const noPhone = await rpcCall(
      services,
      'journey.submit',
      await allowanceSubmission(services, { phone: 'no-phone' }),
    );
    expect(noPhone.verificationCode).toMatch(/^\d{10}$/);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    const family = await allowanceSubmission(services, { phone: 'family:13712345678' });
    expect((await rpcCall(services, 'journey.submit', family)).verificationCode).toMatch(/^\d{10}$/);
    await rpcCall(services, 'session.end', { reason: 'finished' });
    // A page that skipped its own checks, or an attacker on the socket.
    const wrong: Array<Record<string, string>> = [
      { phone: 'family:12345' },
      { phone: '10012345678' },
      { 'payment-card': 'cash-in-hand' },
      { 'lives-alone': 'yes' },
      { 'bank-account': '6222020200112233445' },
      { phone: '' },
    ];
    for (const answers of wrong) {
      const refused = await rpcFailure(services, 'journey.submit', await allowanceSubmission(services, answers));
      expect(refused, JSON.stringify(answers)).toMatchObject({ kind: 'incomplete' });
      await rpcCall(services, 'session.end', { reason: 'finished' });
    }
    expect(services.store.applications.listApplications()).toHaveLength(2);
    // The log names the question and the problem, never the value.
    const refusals = log.lines.filter((r) => r.message === 'answer refused');
    expect(refusals.map((r) => r.fields['questionId'])).toEqual([
      'phone',
      'phone',
      'payment-card',
      'lives-alone',
      'bank-account',
      'phone',
    ]);
    expect(JSON.stringify(refusals)).not.toContain('12345');
  });

  it('says plainly when there is no printer, saves a rating, and refuses calls after the session ended', async () => {
    const { services } = await kiosk({
      ...defaultConfig,
      devices: { ...defaultConfig.devices, printer: { kind: 'none' } },
    });
    const result = await applyForAllowance(services);
    expect(await rpcCall(services, 'receipt.print', { applicationId: result.applicationId, reprint: false })).toEqual({
      outcome: 'no-printer',
    });
    expect(
      await rpcCall(services, 'rating.submit', { applicationId: result.applicationId, level: 2, reasons: ['slow'] }),
    ).toEqual({});
    await rpcCall(services, 'session.end', { reason: 'finished' });
    const after = await services.rpc.handle(
      { jsonrpc: '2.0', id: 99, method: 'journey.cards', params: {} },
      { transport: 'test' },
    );
    expect(after).toMatchObject({ error: { data: { kind: 'no-session' } } });
  });

  it('leaves no plaintext name or ID number in the database files or the logs', async () => {
    const { services, dataDir, log } = await kiosk();
    await applyForAllowance(services);
    const card = decodedSampleCard('resident-long-term');
    const files = readdirSync(dataDir)
      .filter((f) => f.startsWith('kiosk.sqlite'))
      .map((f) => readFileSync(join(dataDir, f)));
    expect(files.length).toBeGreaterThan(0);
    for (const secret of [card.name, card.idNumber, '13812345678']) {
      for (const bytes of files) {
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
      }
      expect(JSON.stringify(log.lines)).not.toContain(secret);
    }
  });
});
