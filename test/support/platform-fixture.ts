/**
 * A reference platform on loopback with an enrolled terminal and the real HTTP client, for
 * integration tests (platform-*.test.ts, and outbox tests that want a real server).
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingLog, type RecordedLine } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { createHttpPlatformClient, enrol } from '../../electron/services/platform-client/http-platform-client';
import type { ApplicationSubmission, PlatformPort } from '../../electron/services/outbox/platform-port';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../platform/server/start-platform';

export interface PlatformFixture {
  readonly platform: RunningPlatform;
  readonly terminalId: string;
  readonly keys: { privateKey: KeyObject; publicKey: KeyObject };
  readonly client: PlatformPort;
  readonly logLines: RecordedLine[];
  readonly dataDir: string;
  /** A client for the same terminal talking to another URL (e.g. through a fault proxy). */
  clientFor(url: string, timeoutMs?: number): PlatformPort;
  close(): Promise<void>;
}

export async function startPlatformFixture(
  options: Partial<
    Pick<
      PlatformOptions,
      'now' | 'monotonic' | 'signatureWindowSeconds' | 'log' | 'rateLimits' | 'lockout' | 'remoteHelp' | 'hallAssetsDir'
    >
  > & {
    terminalId?: string;
  } = {},
): Promise<PlatformFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vk-platform-'));
  const logLines: RecordedLine[] = [];
  const platform = await startPlatform({
    port: 0,
    dataDir,
    catalog: embeddedCatalogue,
    log: options.log ?? recordingLog(logLines),
    ...options,
  });
  const terminalId = options.terminalId ?? 'QS-LX-0001';
  const keys = generateTerminalKeys();
  const enrolled = await enrol(platform.url, platform.createEnrolmentCode({ terminalId }), { terminalId, ...keys });
  if (!enrolled.ok) throw new Error(`enrolment failed: ${JSON.stringify(enrolled.error)}`);
  const clientFor = (url: string, timeoutMs = 5000) =>
    createHttpPlatformClient({ baseUrl: url, terminalId, privateKey: keys.privateKey, timeoutMs });
  return {
    platform,
    terminalId,
    keys,
    client: clientFor(platform.url),
    logLines,
    dataDir,
    clientFor,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A face photo and a signature (fake bytes; the platform only hashes them). */
export function sampleDocuments(): { face: Buffer; signature: Buffer } {
  return {
    face: Buffer.from(`\xff\xd8\xff face ${randomUUID()}`, 'latin1'),
    signature: Buffer.from(`\x89PNG signature ${randomUUID()}`, 'latin1'),
  };
}

export const applicantName = '欧阳娜娜';
export const applicantIdNumber = '110105194912310021';

export function sampleSubmission(
  terminalId: string,
  docs: { face: Buffer; signature: Buffer },
  id: string = randomUUID(),
): ApplicationSubmission {
  return {
    id,
    localNumber: `QSLX01-20261124-${String(Math.floor(Math.random() * 9000) + 1000)}`,
    terminalId,
    serviceCode: 'PENSION-CERT',
    createdAt: new Date().toISOString(),
    applicant: {
      cardType: 'resident',
      name: applicantName,
      gender: 'female',
      birthDate: '19491231',
      idNumber: applicantIdNumber,
      address: '青石镇柳溪村8组12号',
    },
    answers: { phone: '13812345678', 'living-at-address': true },
    attachments: [{ sha256: sha256Hex(docs.face), mime: 'image/jpeg', size: docs.face.length, label: '本人正面照片' }],
    signatureSha256: sha256Hex(docs.signature),
    consent: { accepted: true, textVersion: 'consent-2026-11', at: new Date().toISOString() },
  };
}

/** Uploads the documents of a submission through the port. */
export async function uploadDocuments(
  client: PlatformPort,
  submission: ApplicationSubmission,
  docs: { face: Buffer; signature: Buffer },
): Promise<void> {
  for (const [bytes, mime] of [
    [docs.face, 'image/jpeg'],
    [docs.signature, 'image/png'],
  ] as const) {
    const result = await client.uploadAttachment(submission.id, sha256Hex(bytes), mime, bytes);
    if (!result.ok) throw new Error(`upload failed: ${JSON.stringify(result.error)}`);
  }
}
