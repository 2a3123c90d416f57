import type { Log } from '../../../foundation/log';
import { assertNever, err, ok, type Result } from '../../../foundation/result';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { FailureOf, ResultOf } from '../../api/contract';
import type { Refusal } from '../../api/failures';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { PortFailure } from '../outbox/platform-port';
import { enrol } from '../platform-client/http-platform-client';
import { readEnrolment, samePlatform, writeEnrolment, type StoredKeys } from '../platform-client/identity-store';
import type { Actor } from './staff-guard';

/** The terminal's identity for the technician, and enrolling it at a platform with a one-time code. */
export interface EnrolmentService {
  identity(): Result<ResultOf<'tech.identity'>, never>;
  enrol(
    request: { platformUrl: string; code: string },
    actor: Pick<Actor, 'audit'> & { readonly name: string },
  ): Promise<Result<Record<string, never>, Refusal<Exclude<FailureOf<'tech.enrol'>, { kind: 'not-allowed' }>>>>;
}

export function createEnrolmentService(deps: {
  readonly config: KioskConfig;
  readonly keys: StoredKeys;
  /** The platform the kiosk was started with. */
  readonly platformUrl: string;
  readonly outbox: Pick<OutboxWorker, 'kick' | 'status'>;
  /** Enrolled at another platform: the on-site file names it (site-settings-service.ts keepPlatform)… */
  readonly keepPlatform: (url: string, savedBy: string) => Result<void, { kind: string }>;
  /** …and the platform link sends there from now on (platform-link.ts switchTo). */
  readonly switchPlatform: (url: string) => void;
  readonly dataDir: string;
  readonly log: Log;
  readonly now?: () => Date;
}): EnrolmentService {
  const { config, keys, log } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    identity() {
      const enrolled = readEnrolment(deps.dataDir);
      return ok({
        terminalId: config.terminal.id,
        fingerprint: keys.fingerprint,
        platformUrl: enrolled?.platformUrl ?? deps.platformUrl,
        enrolledAt: enrolled?.enrolledAt ?? null,
        mode: config.platform.mode,
      });
    },
    async enrol({ platformUrl, code }, actor) {
      let url: string;
      try {
        url = new URL(platformUrl.trim() === '' ? deps.platformUrl : platformUrl.trim()).toString();
      } catch {
        return err({ kind: 'invalid-url' });
      }
      // Applications queued for one platform are never sent to another: moving to another platform
      // waits until the queue is empty (asked again after the slow enrolment, before anything is written).
      const current = readEnrolment(deps.dataDir)?.platformUrl ?? deps.platformUrl;
      const queued = () => (samePlatform(url, current) ? 0 : deps.outbox.status().depth);
      if (queued() > 0) return err({ kind: 'queue-not-empty', waiting: queued() });
      const result = await enrol(
        url,
        code,
        { terminalId: config.terminal.id, privateKey: keys.privateKey, publicKey: keys.publicKey },
        { timeoutMs: config.platform.requestTimeoutSeconds * 1000, log },
      );
      actor.audit('tech.enrol', {
        ok: result.ok,
        status: result.ok ? 200 : refusalStatus(result.error),
      });
      if (!result.ok)
        return err(
          result.error.kind === 'retryable'
            ? { kind: 'unreachable', detail: result.error.reason.slice(0, 500) }
            : { kind: 'refused', status: refusalStatus(result.error), detail: result.error.reason.slice(0, 500) },
        );
      if (queued() > 0) {
        actor.audit('tech.enrol-not-switched', { waiting: queued() });
        return err({ kind: 'queue-not-empty', waiting: queued() });
      }
      writeEnrolment(deps.dataDir, {
        terminalId: config.terminal.id,
        platformUrl: url.replace(/\/$/, ''),
        fingerprint: keys.fingerprint,
        enrolledAt: now().toISOString(),
        ...(result.value.fleet === undefined ? {} : { fleet: result.value.fleet }),
      });
      if (!samePlatform(url, current)) {
        // The address goes with the enrolment: saved for the next start, and used from now on.
        const kept = deps.keepPlatform(url.replace(/\/$/, ''), actor.name);
        if (!kept.ok)
          log.error({ reason: kept.error.kind }, 'enrolled at a new platform, but its address was not saved');
        deps.switchPlatform(url.replace(/\/$/, ''));
        actor.audit('tech.platform-switched', {});
      }
      log.info({ fingerprint: keys.fingerprint }, 'terminal enrolled by technician');
      deps.outbox.kick();
      return ok({});
    },
  };
}

/** The HTTP status of a refusal (a held terminal was refused with 401); 0 when nothing answered. */
function refusalStatus(failure: PortFailure): number {
  switch (failure.kind) {
    case 'final':
      return failure.status;
    case 'held':
      return 401;
    case 'retryable':
      return 0;
    default:
      return assertNever(failure, 'port failure');
  }
}
