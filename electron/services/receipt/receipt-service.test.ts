import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../foundation/log';
import { ok } from '../../../foundation/result';
import { embeddedCatalogue } from '../../../kiosk-config/catalogue';
import { defaultConfig } from '../../../kiosk-config/default-config';
import { profileForWidth } from '../../../drivers/printer/printer-profiles';
import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import { verifyReceiptPayload } from '../../../platform/contract/receipt-payload';
import type { PrintOutcome } from '../../api/journey-contract';
import { openTestStore, sampleApplicant, sampleApplication } from '../store/test-fixtures';
import { createReceiptService, type ReceiptServiceDeps } from './receipt-service';

const keys = generateKeyPairSync('ed25519');

function setup(outcome: PrintOutcome = 'printed') {
  const { store, clock } = openTestStore();
  const { receipts, printed } = serviceOver(store, clock, outcome);
  const created = store.applications.createApplication(sampleApplication({ serviceCode: 'OLD-AGE-ALLOWANCE' }));
  if (!created.ok) throw new Error('create');
  const application = created.value;
  const issued = receipts.issue(application, sampleApplicant);
  if (!issued.ok) throw new Error('issue');
  const storedPayload = () => {
    const row = store.receipts.getReceipt(application.id);
    if (!row.ok) throw new Error('no receipt');
    return (row.value.payload as { payload: string }).payload;
  };
  return { store, clock, receipts, printed, application, code: issued.value.verificationCode, storedPayload };
}

function serviceOver(
  store: ReceiptServiceDeps['store'],
  clock: ReceiptServiceDeps['clock'],
  outcome: PrintOutcome,
  reportFull: (where: string) => void = () => undefined,
) {
  const printed: Array<{ id: string; document: ReceiptDocument; reprint: boolean }> = [];
  const receipts = createReceiptService({
    config: defaultConfig,
    catalogue: () => embeddedCatalogue,
    store,
    keys,
    printer: {
      print: (job, { reprint }) => {
        printed.push({ ...job, reprint });
        return Promise.resolve(outcome);
      },
    },
    profile: profileForWidth(80),
    clock,
    log: silentLog,
    storage: { reportFull },
  });
  return { receipts, printed };
}

const texts = (doc: ReceiptDocument | undefined) =>
  (doc?.blocks ?? []).flatMap((b) => (b.kind === 'text' ? [b.text] : []));

describe('receipt service', () => {
  it('writes a receipt the full disk kept back when staff next print it (补打), dated when the application was saved', async () => {
    const { store, clock } = openTestStore();
    let diskFull = true;
    const saveReceipt: typeof store.receipts.saveReceipt = (...args) => {
      if (diskFull) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      store.receipts.saveReceipt(...args);
    };
    const full: string[] = [];
    const { receipts, printed } = serviceOver(
      { ...store, receipts: { ...store.receipts, saveReceipt } },
      clock,
      'printed',
      (where) => full.push(where),
    );
    const created = store.applications.createApplication(sampleApplication({ serviceCode: 'OLD-AGE-ALLOWANCE' }));
    if (!created.ok) throw new Error('create');
    const { id, createdAt } = created.value;
    expect(receipts.issue(created.value, sampleApplicant)).toMatchObject({
      ok: false,
      error: { kind: 'receipt-failed' },
    });
    expect(full).toEqual(['receipt']);
    expect(store.receipts.getReceipt(id)).toMatchObject({ ok: false, error: { kind: 'not-found' } });

    diskFull = false;
    clock.advance(3 * 3_600_000);
    expect(await receipts.print(id, { reprint: true, actor: 'staff:s1' })).toEqual({
      ok: true,
      value: { outcome: 'printed' },
    });
    expect(printed).toHaveLength(1);
    const row = store.receipts.getReceipt(id);
    if (!row.ok) throw new Error('no receipt');
    const contents = verifyReceiptPayload((row.value.payload as { payload: string }).payload, keys.publicKey);
    expect(contents).toMatchObject({ ok: true, value: { applicationId: id, applicant: { maskedName: '张**' } } });
    expect(contents.ok && contents.value.issuedAt).toBe(
      new Date(Math.floor(Date.parse(createdAt) / 1000) * 1000).toISOString(),
    );
  });

  it('issues a signed receipt naming the applicant only masked', () => {
    const { storedPayload, application, code } = setup();
    const contents = verifyReceiptPayload(storedPayload(), keys.publicKey);
    expect(contents).toMatchObject({
      ok: true,
      value: { applicationId: application.id, caseNumber: null, applicant: { maskedName: '张**' } },
    });
    expect(code).toMatch(/^\d{10}$/);
  });

  it('never writes when showing or printing: a case number that arrived unannounced is shown but not signed', async () => {
    const { store, receipts, printed, application, storedPayload } = setup();
    const before = storedPayload();
    store.applications.markSubmitted(application.id, 'YL2026112400001', 'submitted');
    expect(receipts.preview(application.id)).toMatchObject({ ok: true });
    expect(await receipts.print(application.id, { reprint: false, actor: 'resident' })).toEqual({
      ok: true,
      value: { outcome: 'printed' },
    });
    expect(storedPayload()).toBe(before);
    expect(texts(printed[0]?.document)).toContain('办件编号：YL2026112400001');
  });

  it('signs again when the case number arrives, and catches up on one that arrived while no one listened', () => {
    const { store, receipts, application, storedPayload } = setup();
    receipts.recordCaseNumber(application.id, 'YL2026112400001');
    expect(verifyReceiptPayload(storedPayload(), keys.publicKey)).toMatchObject({
      ok: true,
      value: { caseNumber: 'YL2026112400001' },
    });
    store.applications.markSubmitted(application.id, 'YL2026112400002', 'submitted');
    expect(receipts.catchUp()).toBe(1);
    expect(verifyReceiptPayload(storedPayload(), keys.publicKey)).toMatchObject({
      ok: true,
      value: { caseNumber: 'YL2026112400002' },
    });
    expect(receipts.catchUp()).toBe(0);
  });

  it('counts copies that came out, marks and audits a reprint, and leaves the count alone when the paper ran out', async () => {
    const { store, receipts, printed, application } = setup();
    await receipts.print(application.id, { reprint: false, actor: 'resident' });
    await receipts.print(application.id, { reprint: true, actor: 'staff:S-07' });
    expect(printed.map((p) => [p.reprint, texts(p.document)[0]])).toEqual([
      [false, '申报回执'],
      [true, '申报回执（补打）'],
    ]);
    expect(store.receipts.reprintCount(application.id)).toBe(1);
    expect(store.db.prepare("SELECT actor FROM audit_log WHERE action = 'receipt.reprinted'").all()).toEqual([
      { actor: 'staff:S-07' },
    ]);
    const out = setup('paper-out');
    expect(await out.receipts.print(out.application.id, { reprint: false, actor: 'resident' })).toEqual({
      ok: true,
      value: { outcome: 'paper-out' },
    });
    expect(out.store.receipts.getReceipt(out.application.id)).toMatchObject({ ok: true, value: { printedAt: null } });
  });

  it('hands the first copy to the printer once: asked again (together or later) it answers the first outcome', async () => {
    const { store, receipts, printed, application } = setup();
    const [first, together] = await Promise.all([
      receipts.print(application.id, { reprint: false, actor: 'resident' }),
      receipts.print(application.id, { reprint: false, actor: 'resident' }),
    ]);
    expect([first, together]).toEqual([ok({ outcome: 'printed' }), ok({ outcome: 'printed' })]);
    expect(await receipts.print(application.id, { reprint: false, actor: 'resident' })).toEqual(
      ok({ outcome: 'printed' }),
    );
    expect(printed).toHaveLength(1);
    // A failed first copy is not tried again as a first copy either: what follows is 补打.
    const out = setup('paper-out');
    await out.receipts.print(out.application.id, { reprint: false, actor: 'resident' });
    expect(await out.receipts.print(out.application.id, { reprint: false, actor: 'resident' })).toEqual(
      ok({ outcome: 'paper-out' }),
    );
    expect(out.printed).toHaveLength(1);
    // Handed over, but the kiosk stopped before the printer answered: not printed again, staff are needed.
    const cut = setup();
    expect(cut.store.receipts.claimFirstCopy(cut.application.id)).toEqual({ claimed: true });
    expect(await cut.receipts.print(cut.application.id, { reprint: false, actor: 'resident' })).toEqual(
      ok({ outcome: 'error' }),
    );
    expect(cut.printed).toHaveLength(0);
    // Staff see it in doubt, and after their 补打 as printed.
    expect(cut.store.receipts.paperState(cut.application.id)).toBe('in-doubt');
    await cut.receipts.print(cut.application.id, { reprint: true, actor: 'staff:S-07' });
    expect(cut.store.receipts.paperState(cut.application.id)).toBe('printed');
    expect(out.store.receipts.paperState(out.application.id)).toBe('not-printed');
    expect(store.receipts.claimFirstCopy(application.id)).toMatchObject({
      claimed: false,
      earlier: { handedOver: true, outcome: 'printed' },
    });
  });

  it('identifies the application from its paper or its typed code, and refuses an altered paper', () => {
    const { receipts, application, code, storedPayload } = setup();
    expect(receipts.identify({ code: `${code.slice(0, 5)} ${code.slice(5)}` })).toEqual({
      found: true,
      applicationId: application.id,
    });
    expect(receipts.identify({ payload: `${storedPayload()}\r\n` })).toEqual({
      found: true,
      applicationId: application.id,
    });
    const payload = storedPayload();
    const altered = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    expect(receipts.identify({ payload: altered })).toEqual({ found: false, reason: 'invalid-receipt' });
    expect(receipts.identify({ payload: 'not a receipt' })).toEqual({ found: false, reason: 'invalid-receipt' });
    expect(receipts.identify({ code: '0000000000' })).toEqual({ found: false, reason: 'unknown' });
  });
});
