/**
 * The embedded default setup: the kiosk starts the reference platform beside itself on loopback
 * and enrols its own key there at every start (the platform's port may change between starts;
 * re-enrolling the same key is harmless). Returns a ready, signed client.
 */
import type { Log } from '../../../drivers/log';
import { err, ok, type Result } from '../../../drivers/result';
import type { PlatformPort } from '../outbox/platform-port';
import { createHttpPlatformClient, enrol } from './http-platform-client';
import { loadOrCreateTerminalKeys, writeEnrolment } from './identity-store';

/** What the kiosk needs of a running reference platform (platform/server/start-platform.ts RunningPlatform). */
export interface EnrollablePlatform {
  readonly url: string;
  createEnrolmentCode(options?: { terminalId?: string }): string;
}

export interface EmbeddedConnection {
  readonly client: PlatformPort;
  readonly fingerprint: string;
}

export async function connectToEmbeddedPlatform(
  platform: EnrollablePlatform,
  options: { readonly terminalId: string; readonly dataDir: string; readonly log: Log; readonly timeoutMs?: number },
): Promise<Result<EmbeddedConnection, string>> {
  const keys = loadOrCreateTerminalKeys(options.dataDir, options.log);
  if (!keys.ok) return err(keys.error.message);
  const code = platform.createEnrolmentCode({ terminalId: options.terminalId });
  const enrolled = await enrol(platform.url, code, { terminalId: options.terminalId, privateKey: keys.value.privateKey, publicKey: keys.value.publicKey }, { timeoutMs: options.timeoutMs ?? 5000 });
  if (!enrolled.ok) return err(`enrolment with the embedded platform failed: ${enrolled.error.reason}`);
  writeEnrolment(options.dataDir, { terminalId: options.terminalId, platformUrl: platform.url, fingerprint: enrolled.value.fingerprint, enrolledAt: enrolled.value.enrolledAt });
  options.log.info({ terminalId: options.terminalId, fingerprint: enrolled.value.fingerprint }, 'enrolled with the embedded platform');
  const client = createHttpPlatformClient({ baseUrl: platform.url, terminalId: options.terminalId, privateKey: keys.value.privateKey, timeoutMs: options.timeoutMs ?? 15_000, log: options.log });
  return ok({ client, fingerprint: keys.value.fingerprint });
}
