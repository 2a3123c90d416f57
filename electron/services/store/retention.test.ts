import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { purgeAcknowledged, startRetention } from './retention';
import { openTestStore, sampleApplication } from './test-fixtures';

const day = 24 * 60 * 60 * 1000;

describe('retention', () => {
  it('purges personal data only after acknowledgement plus the grace period, and keeps the figures', () => {
    const { store, clock } = openTestStore();
    const acked = store.applications.createApplication(sampleApplication());
    const pending = store.applications.createApplication(sampleApplication({ serviceCode: 'medical-enrol' }));
    if (!acked.ok || !pending.ok) throw new Error('create');
    const id = acked.value.id;
    store.receipts.saveReceipt(id, { name: '张*丰' }, 'ABC123');
    const rating = store.ratings.addRating({ applicationId: id, level: 5, reasons: ['fast'], comment: '张三丰很满意' });
    if (!rating.ok) throw new Error('rating');
    const ratingId = rating.value;
    store.db.prepare(`UPDATE outbox SET state = 'done'`).run();
    store.applications.markSubmitted(id, 'CASE-1', 'submitted');
    store.applications.recordCaseStatus(id, 'needs-material', [
      { status: 'needs-material', at: '2026-11-24T09:00:00Z', note: '请张三丰补充户口本' },
    ]);

    clock.advance(7 * day - 1);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 0, purgedComments: 0 });
    expect(store.applications.getApplication(id).ok).toBe(true);

    clock.advance(1);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 1, purgedComments: 1 });
    expect(store.applications.getApplication(id)).toMatchObject({ ok: false, error: { kind: 'purged' } });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM application_answers WHERE application_id = ?').get(id)).toEqual({
      n: 0,
    });
    expect(
      store.db
        .prepare('SELECT COUNT(*) AS n FROM attachments WHERE application_id = ? AND content_enc IS NOT NULL')
        .get(id),
    ).toEqual({ n: 0 });
    expect(store.receipts.getReceipt(id)).toEqual({ ok: false, error: { kind: 'purged' } });
    expect(store.applications.caseHistory(id)).toEqual([
      { status: 'needs-material', at: '2026-11-24T09:00:00Z', note: null },
    ]);
    // Figures for statistics stay.
    expect(store.applications.getSummary(id)).toMatchObject({
      serviceCode: 'elderly-allowance',
      caseNumber: 'CASE-1',
      createdAt: '2026-11-24T08:00:00.000Z',
    });
    expect(store.ratings.getRating(ratingId)).toMatchObject({
      ok: true,
      value: { level: 5, reasons: ['fast'], comment: null },
    });
    // The unacknowledged one is the only copy: untouched.
    expect(store.applications.getApplication(pending.value.id).ok).toBe(true);
    expect(purgeAcknowledged(store, { clock })).toEqual({ purgedApplications: 0, purgedComments: 0 });
  });

  it('honours a configured grace period of zero days and keeps an unsent rating comment until it is sent', () => {
    const { store, clock } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    const rating = store.ratings.addRating({ applicationId: a.value.id, level: 2, comment: 'slow' });
    if (!rating.ok) throw new Error('rating');
    const ratingId = rating.value;
    store.applications.markSubmitted(a.value.id, 'CASE-9', 'submitted');
    expect(purgeAcknowledged(store, { clock, graceMs: 0 })).toEqual({ purgedApplications: 1, purgedComments: 0 });
    expect(store.ratings.getRating(ratingId)).toMatchObject({ ok: true, value: { comment: 'slow' } });
    store.db.prepare(`UPDATE outbox SET state = 'done' WHERE kind = 'rating'`).run();
    expect(purgeAcknowledged(store, { clock, graceMs: 0 })).toEqual({ purgedApplications: 0, purgedComments: 1 });
  });

  it('runs on a schedule and logs only counts', () => {
    const { store, clock } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    store.applications.markSubmitted(a.value.id, 'CASE-3', 'submitted');
    const scheduled: Array<() => void> = [];
    const log = recordingLog();
    const schedule = startRetention(store, {
      clock,
      log,
      graceMs: day,
      timers: { setTimeout: (fn) => scheduled.push(fn), clearTimeout: () => {} },
    });
    expect(store.applications.getApplication(a.value.id).ok).toBe(true);
    clock.advance(day);
    scheduled.shift()?.();
    expect(store.applications.getApplication(a.value.id)).toMatchObject({ ok: false, error: { kind: 'purged' } });
    expect(log.lines).toEqual([
      {
        level: 'info',
        fields: { purgedApplications: 1, purgedComments: 0 },
        message: 'retention: personal data deleted',
      },
    ]);
    schedule.stop();
  });
});
