import { describe, expect, it } from 'vitest';
import { sha256Hex } from './application-repository';
import { openTestStore, sampleApplication, sampleApplicant, sampleRepresentative } from './test-fixtures';

describe('application repository', () => {
  it('creates an application with answers, documents, signature and outbox items in one go, and reads it back decrypted', () => {
    const { store } = openTestStore();
    const input = sampleApplication({
      helper: { staffId: 'S-07', name: '王干事' },
      onBehalf: { relationship: 'child', representative: sampleRepresentative },
    });
    const created = store.applications.createApplication(input);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.value.localNumber).toBe('QS01-20261124-0001');
    expect(created.value.state).toBe('queued');

    const back = store.applications.getApplication(created.value.id);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.value.applicant).toEqual(sampleApplicant);
    expect(back.value.representative).toEqual(sampleRepresentative);
    expect(back.value.helperName).toBe('王干事');
    expect(back.value.answers).toEqual(input.answers);
    expect(back.value.attachments.map((a) => a.role)).toEqual(['document', 'document', 'signature']);
    const first = input.attachments[0];
    expect(first && back.value.attachments[0]?.sha256).toBe(first && sha256Hex(first.bytes));
    const bytes = store.applications.readAttachment(created.value.id, back.value.signatureSha256);
    expect(bytes.ok && bytes.value.bytes.equals(Buffer.from(input.signature))).toBe(true);

    expect(store.outbox.items(created.value.id).map(({ kind, state }) => ({ kind, state }))).toEqual([
      { kind: 'attachment', state: 'pending' },
      { kind: 'attachment', state: 'pending' },
      { kind: 'attachment', state: 'pending' },
      { kind: 'application', state: 'pending' },
    ]);
  });

  it('numbers per terminal and local day and never reuses a number', () => {
    const { store, clock } = openTestStore();
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = store.applications.createApplication(sampleApplication());
      if (a.ok) numbers.push(a.value.localNumber);
    }
    // 16:30 UTC is already the next day in China.
    clock.set(Date.parse('2026-11-24T16:30:00Z'));
    const next = store.applications.createApplication(sampleApplication());
    if (next.ok) numbers.push(next.value.localNumber);
    // A deleted application does not free its number.
    store.db.prepare('DELETE FROM applications WHERE local_number = ?').run('QS01-20261125-0001');
    const again = store.applications.createApplication(sampleApplication());
    if (again.ok) numbers.push(again.value.localNumber);
    expect(numbers).toEqual([
      'QS01-20261124-0001',
      'QS01-20261124-0002',
      'QS01-20261124-0003',
      'QS01-20261125-0001',
      'QS01-20261125-0002',
    ]);
  });

  it('rejects invalid input as a value and saves nothing', () => {
    const { store } = openTestStore();
    const bad = store.applications.createApplication(
      sampleApplication({ signature: new Uint8Array(0), serviceCode: '' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM applications').get()).toEqual({ n: 0 });
  });

  it('rolls the whole application back when any part fails to store', () => {
    const { store } = openTestStore();
    store.db.exec(
      `CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.kind = 'application' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const result = store.applications.createApplication(sampleApplication());
    expect(result).toMatchObject({ ok: false, error: { kind: 'storage-failed', reason: 'disk full', full: false } });
    for (const table of ['applications', 'application_answers', 'attachments', 'outbox']) {
      expect(store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });

  it('records submission, final errors and case history', () => {
    const { store } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    const id = a.value.id;
    store.applications.markFailed(id, '422 bad phone');
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'failed', finalError: '422 bad phone' });
    store.applications.requeue(id);
    expect(store.applications.getSummary(id)).toMatchObject({ state: 'queued', finalError: null });
    store.applications.markSubmitted(id, 'CASE-1', 'submitted');
    expect(store.applications.getSummary(id)).toMatchObject({
      state: 'submitted',
      caseNumber: 'CASE-1',
      acknowledgedAt: '2026-11-24T08:00:00.000Z',
    });
    const history = [
      { status: 'submitted' as const, at: '2026-11-24T08:00:00Z' },
      { status: 'accepted' as const, at: '2026-11-24T09:00:00Z', note: '已受理' },
    ];
    store.applications.recordCaseStatus(id, 'accepted', history);
    store.applications.recordCaseStatus(id, 'accepted', history);
    expect(store.applications.caseHistory(id)).toEqual([
      { status: 'submitted', at: '2026-11-24T08:00:00Z', note: null },
      { status: 'accepted', at: '2026-11-24T09:00:00Z', note: '已受理' },
    ]);
  });
});
