import { describe, expect, it } from 'vitest';
import { a4StateFromIpp, isFinalJobState, jobStateFromIpp, needsAPerson } from './ipp-status';

describe('a4StateFromIpp', () => {
  it('idle with no reasons is ready; processing is busy', () => {
    expect(a4StateFromIpp(3, ['none'])).toEqual({ state: 'ready', warnings: [] });
    expect(a4StateFromIpp(4, [])).toEqual({ state: 'busy', warnings: [] });
  });

  it('paper, jam, door and toner block whatever their severity suffix', () => {
    expect(a4StateFromIpp(3, ['media-empty-report'])).toEqual({ state: 'media-empty' });
    expect(a4StateFromIpp(5, ['media-needed-error'])).toEqual({ state: 'media-empty' });
    expect(a4StateFromIpp(5, ['media-jam'])).toEqual({ state: 'media-jam' });
    expect(a4StateFromIpp(5, ['cover-open-error'])).toEqual({ state: 'door-open' });
    expect(a4StateFromIpp(5, ['toner-empty-warning'])).toEqual({ state: 'toner-empty' });
  });

  it('names the door before the jam and the jam before the paper: what to fix first', () => {
    expect(a4StateFromIpp(5, ['media-empty-error', 'media-jam-error', 'door-open-error'])).toEqual({
      state: 'door-open',
    });
    expect(a4StateFromIpp(5, ['media-empty-error', 'media-jam-error'])).toEqual({ state: 'media-jam' });
  });

  it('low toner and low paper are warnings on a ready printer', () => {
    expect(a4StateFromIpp(3, ['toner-low-warning', 'media-low-report'])).toEqual({
      state: 'ready',
      warnings: ['toner-low', 'media-low'],
    });
  });

  it('offline is offline; an unexplained stop is an error naming its reasons', () => {
    expect(a4StateFromIpp(5, ['offline-report'])).toMatchObject({ state: 'offline' });
    expect(a4StateFromIpp(5, ['none'])).toEqual({ state: 'error', reasons: ['printer-state 5'] });
    expect(a4StateFromIpp(5, ['fuser-over-temp-error'])).toEqual({ state: 'error', reasons: ['fuser-over-temp'] });
  });
});

describe('job states (RFC 8011 5.3.7)', () => {
  it('maps the enum and knows which are final', () => {
    expect([3, 4, 5, 6, 7, 8, 9].map(jobStateFromIpp)).toEqual([
      'pending',
      'held',
      'processing',
      'stopped',
      'canceled',
      'aborted',
      'completed',
    ]);
    expect(jobStateFromIpp(2)).toBeUndefined();
    expect(jobStateFromIpp(undefined)).toBeUndefined();
    expect(['completed', 'aborted', 'canceled'].every((s) => isFinalJobState(s as never))).toBe(true);
    expect(isFinalJobState('stopped')).toBe(false);
  });
});

describe('needsAPerson', () => {
  it('is true for what stalls a job until someone comes, false while it can go on', () => {
    const stalled = [['media-empty'], ['media-jam'], ['door-open'], ['toner-empty'], ['offline']];
    for (const [reason] of stalled) expect(needsAPerson(a4StateFromIpp(4, [reason ?? ''])), reason).toBe(true);
    expect(needsAPerson(a4StateFromIpp(4, []))).toBe(false);
    expect(needsAPerson(a4StateFromIpp(4, ['media-low-warning']))).toBe(false);
    expect(needsAPerson({ state: 'not-configured' })).toBe(false);
  });
});
