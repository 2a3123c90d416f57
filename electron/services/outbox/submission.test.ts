import { describe, expect, it } from 'vitest';
import { openTestStore, sampleApplication, sampleRepresentative } from '../store/test-fixtures';
import { applicationSubmissionSchema } from './platform-port';
import { buildSubmission } from './submission';

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

  it('names the member of staff who witnessed a mark (不会写字), and says nothing of a mark for a written name', () => {
    const { store } = openTestStore();
    const submissionOf = (mark?: { witnessStaffId: string }) => {
      const created = store.applications.createApplication(
        sampleApplication(mark === undefined ? {} : { signatureMark: mark }),
      );
      if (!created.ok) throw new Error('create');
      const stored = store.applications.getApplication(created.value.id);
      if (!stored.ok) throw new Error('read');
      return buildSubmission(stored.value);
    };
    const marked = submissionOf({ witnessStaffId: 'S-07' });
    expect(applicationSubmissionSchema.safeParse(marked).success).toBe(true);
    expect(marked.signatureMark).toEqual({ witnessStaffId: 'S-07' });
    expect(submissionOf().signatureMark).toBeUndefined();
  });
});
