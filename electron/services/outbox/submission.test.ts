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
