import { describe, expect, it } from 'vitest';
import { openTestStore, sampleApplication } from './test-fixtures';

describe('rating repository', () => {
  it('stores a rating with its encrypted comment and queues it in one step', () => {
    const { store } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    const id = store.ratings.addRating({
      applicationId: a.value.id,
      level: 3,
      reasons: ['waited long'],
      comment: '排队太久',
    });
    if (!id.ok) throw new Error('rating');
    expect(store.ratings.getRating(id.value)).toMatchObject({
      ok: true,
      value: { level: 3, reasons: ['waited long'], comment: '排队太久' },
    });
    expect(store.db.prepare(`SELECT kind, ref FROM outbox WHERE kind = 'rating'`).all()).toEqual([
      { kind: 'rating', ref: id.value },
    ]);
    const raw = store.db.prepare('SELECT comment_enc FROM ratings').get() as { comment_enc: Buffer };
    expect(raw.comment_enc.includes(Buffer.from('排队太久'))).toBe(false);
  });

  it('refuses what the platform would refuse, and queues nothing', () => {
    const { store } = openTestStore();
    const a = store.applications.createApplication(sampleApplication());
    if (!a.ok) throw new Error('create');
    expect(store.ratings.addRating({ applicationId: a.value.id, level: 4, comment: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });
    expect(store.ratings.addRating({ applicationId: 'not-a-uuid', level: 4 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });
    expect(store.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'rating'`).get()).toEqual({ n: 0 });
  });
});
