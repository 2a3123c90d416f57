import { describe, expect, it } from 'vitest';
import { openTestStore, sampleApplication, sampleRepresentative } from '../store/test-fixtures';
import type { NewApplication } from '../store/application-repository';
import { applicationSubmissionSchema } from './platform-port';
import { buildSubmission } from './submission';

/** The submission built from an application saved to and read back from a fresh store. */
function storedSubmission(overrides: Partial<NewApplication>) {
  const { store } = openTestStore();
  const created = store.applications.createApplication(sampleApplication(overrides));
  if (!created.ok) throw new Error('create');
  const stored = store.applications.getApplication(created.value.id);
  if (!stored.ok) throw new Error('read');
  return buildSubmission(stored.value);
}

describe('the submission the platform receives', () => {
  it('is accepted by the platform schema, with the helper and representative and without the signature among the documents', () => {
    const { store } = openTestStore();
    const created = store.applications.createApplication(
      sampleApplication({
        helper: { staffId: 'S-07' },
        onBehalf: { relationship: 'child', representative: sampleRepresentative },
      }),
    );
    if (!created.ok) throw new Error('create');
    const stored = store.applications.getApplication(created.value.id);
    if (!stored.ok) throw new Error('read');
    const submission = buildSubmission(stored.value);
    expect(applicationSubmissionSchema.safeParse(submission).success).toBe(true);
    expect(submission.attachments).toHaveLength(2);
    expect(submission.helper).toEqual({ staffId: 'S-07' });
    expect(submission.onBehalf).toEqual({ relationship: 'child', representative: sampleRepresentative });
    expect(submission.terminalId).toBe('QS-0001');
  });

  it('carries a spoken confirmation (audio keypad mode) through the store, with its witness when staff saw it', () => {
    const submissionOf = (spoken?: { confirmedAt: string; witnessStaffId?: string }) =>
      storedSubmission(spoken === undefined ? {} : { signatureSpoken: spoken });
    const at = '2026-12-03T09:30:00.000Z';
    const alone = submissionOf({ confirmedAt: at });
    expect(applicationSubmissionSchema.safeParse(alone).success).toBe(true);
    expect(alone.signatureSpoken).toEqual({ confirmedAt: at });
    expect(alone.signatureMark).toBeUndefined();
    expect(submissionOf({ confirmedAt: at, witnessStaffId: 'S-07' }).signatureSpoken).toEqual({
      confirmedAt: at,
      witnessStaffId: 'S-07',
    });
    expect(submissionOf().signatureSpoken).toBeUndefined();
    // A contradiction (a mark and a spoken confirmation at once) is refused at the platform's door.
    expect(applicationSubmissionSchema.safeParse({ ...alone, signatureMark: { witnessStaffId: 'S-07' } }).success).toBe(
      false,
    );
  });

  it('names the member of staff who witnessed a mark (不会写字), and says nothing of a mark for a written name', () => {
    const submissionOf = (mark?: { witnessStaffId: string }) =>
      storedSubmission(mark === undefined ? {} : { signatureMark: mark });
    const marked = submissionOf({ witnessStaffId: 'S-07' });
    expect(applicationSubmissionSchema.safeParse(marked).success).toBe(true);
    expect(marked.signatureMark).toEqual({ witnessStaffId: 'S-07' });
    expect(submissionOf().signatureMark).toBeUndefined();
  });

  it('carries the remote assistance of a hall officer (远程帮办), stored with the application, and nothing without it', () => {
    const { store } = openTestStore();
    const submissionOf = (remoteAssistance?: { callId: string; officerId: string }) => {
      const created = store.applications.createApplication(
        sampleApplication(remoteAssistance === undefined ? {} : { remoteAssistance }),
      );
      if (!created.ok) throw new Error('create');
      const stored = store.applications.getApplication(created.value.id);
      if (!stored.ok) throw new Error('read');
      return buildSubmission(stored.value);
    };
    const callId = '0b6c7f4e-3f5a-4c47-9d42-6a2b9c1e0f11';
    const helped = submissionOf({ callId, officerId: 'officer-7' });
    expect(applicationSubmissionSchema.safeParse(helped).success).toBe(true);
    expect(helped.remoteAssistance).toEqual({ callId, officerId: 'officer-7' });
    expect(submissionOf().remoteAssistance).toBeUndefined();
    expect(
      store.applications.createApplication(sampleApplication({ remoteAssistance: { callId: 'x', officerId: '' } })).ok,
    ).toBe(false);
  });
});
