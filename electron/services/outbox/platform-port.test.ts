import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePortFailure, refusedFields } from './platform-port';

describe('a refusal’s fields, read back for staff', () => {
  it('names each field the platform refused, with its detail', () => {
    expect(refusedFields('422 Invalid application; answers.phone: number not in service')).toEqual([
      { field: 'answers.phone', detail: 'number not in service' },
    ]);
    expect(refusedFields('503 Service Unavailable')).toEqual([]);
    expect(refusedFields('connect ECONNREFUSED 127.0.0.1:1; a: b')).toEqual([]);
    expect(refusedFields('')).toEqual([]);
  });

  it('property: reads back what describePortFailure wrote', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9.-]{0,30}$/);
    const detail = fc.string({ maxLength: 40 }).filter((d) => !d.includes('; '));
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 499 }),
        fc.dictionary(key, detail, { maxKeys: 5 }),
        (status, fieldErrors) => {
          const line = describePortFailure({ kind: 'final', status, reason: 'Refused', fieldErrors });
          expect(refusedFields(line)).toEqual(Object.entries(fieldErrors).map(([field, d]) => ({ field, detail: d })));
        },
      ),
    );
  });
});
