/**
 * A platform with one submitted application (documents uploaded), its signed receipt payload, and a
 * hall officer and an admin who can sign in: what the attacker tests in test/security/ start from.
 */
import type { ApplicationSubmission } from '../../electron/services/outbox/platform-port';
import { maskIdNumber, maskName } from '../../foundation/masking';
import { createReceiptPayload } from '../../platform/contract/receipt-payload';
import type { PlatformOptions } from '../../platform/server/start-platform';
import { addHallAccount } from './hall-client';
import {
  sampleDocuments,
  sampleSubmission,
  startPlatformFixture,
  uploadDocuments,
  type PlatformFixture,
} from './platform-fixture';

export interface HallFixture {
  readonly fx: PlatformFixture;
  readonly submission: ApplicationSubmission;
  readonly docs: { face: Buffer; signature: Buffer };
  readonly caseNumber: string;
  /** The text of the receipt's QR code: what anyone holding (or photographing) the paper has. */
  readonly payload: string;
  close(): Promise<void>;
}

export function receiptPayloadFor(
  fx: PlatformFixture,
  s: ApplicationSubmission,
  caseNumber: string | null,
  issuedAt: Date = new Date(),
  privateKey = fx.keys.privateKey,
): string {
  const made = createReceiptPayload(
    {
      terminalId: s.terminalId,
      applicationId: s.id,
      localNumber: s.localNumber,
      caseNumber,
      serviceCode: s.serviceCode,
      issuedAt: new Date(Math.floor(issuedAt.getTime() / 1000) * 1000).toISOString(),
      applicant: { maskedName: maskName(s.applicant.name), maskedIdNumber: maskIdNumber(s.applicant.idNumber) },
    },
    privateKey,
  );
  if (!made.ok) throw new Error(made.error);
  return made.value;
}

export async function startHallFixture(
  options: Partial<
    Pick<PlatformOptions, 'now' | 'monotonic' | 'rateLimits' | 'lockout' | 'remoteHelp' | 'hallAssetsDir'>
  > & {
    /** The terminal that filed the application (another one than a kiosk under test, say). */
    terminalId?: string;
  } = {},
): Promise<HallFixture> {
  const fx = await startPlatformFixture(options);
  const docs = sampleDocuments();
  const submission = sampleSubmission(fx.terminalId, docs);
  await uploadDocuments(fx.client, submission, docs);
  const submitted = await fx.client.submitApplication(submission, submission.id);
  if (!submitted.ok) throw new Error('submit failed');
  await addHallAccount(fx.dataDir, 'li.na', 'officer');
  await addHallAccount(fx.dataDir, 'zhao.admin', 'admin');
  const caseNumber = submitted.value.caseNumber;
  return {
    fx,
    submission,
    docs,
    caseNumber,
    payload: receiptPayloadFor(fx, submission, caseNumber),
    close: () => fx.close(),
  };
}
