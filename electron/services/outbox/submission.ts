/**
 * The exact body the platform receives for an application (`POST /v1/applications`), built from
 * the stored, decrypted record when the outbox sends it — so a submission sent again after a
 * restart is the same submission.
 */
import type { StoredApplication } from '../store/application-repository';
import type { ApplicationSubmission } from './platform-port';

export function buildSubmission(application: StoredApplication): ApplicationSubmission {
  const a = application;
  const submission: ApplicationSubmission = {
    id: a.id,
    localNumber: a.localNumber,
    terminalId: a.terminalId,
    serviceCode: a.serviceCode,
    createdAt: a.createdAt,
    applicant: a.applicant,
    answers: a.answers,
    // The signature image is uploaded too, but named by its own field, not as a document.
    attachments: a.attachments
      .filter((f) => f.role === 'document')
      .map((f) => ({ sha256: f.sha256, mime: f.mime, size: f.size, label: f.label })),
    signatureSha256: a.signatureSha256,
    consent: a.consent,
  };
  if (a.markWitnessStaffId !== null) submission.signatureMark = { witnessStaffId: a.markWitnessStaffId };
  if (a.spokenSignature !== null)
    submission.signatureSpoken =
      a.spokenSignature.witnessStaffId === null
        ? { confirmedAt: a.spokenSignature.confirmedAt }
        : { confirmedAt: a.spokenSignature.confirmedAt, witnessStaffId: a.spokenSignature.witnessStaffId };
  if (a.helperStaffId !== null)
    submission.helper =
      a.helperName === null ? { staffId: a.helperStaffId } : { staffId: a.helperStaffId, name: a.helperName };
  if (a.remoteAssistance !== null) submission.remoteAssistance = { ...a.remoteAssistance };
  if (a.onBehalf !== null && a.representative !== null)
    submission.onBehalf = { relationship: a.onBehalf, representative: a.representative };
  return submission;
}
