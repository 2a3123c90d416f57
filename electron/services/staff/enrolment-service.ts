import type { Log } from '../../../foundation/log';
import { assertNever, err, ok, type Result } from '../../../foundation/result';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { FailureOf, ResultOf } from '../../api/contract';
import type { Refusal } from '../../api/failures';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { PortFailure } from '../outbox/platform-port';
import { enrol } from '../platform-client/http-platform-client';
import { readEnrolment, writeEnrolment, type StoredKeys } from '../platform-client/identity-store';
import type { Actor } from './staff-guard';

/** The terminal's identity for the technician, and enrolling it at a platform with a one-time code. */
export interface EnrolmentService {
  identity(): Result<ResultOf<'tech.identity'>, never>;
  enrol(
    request: { platformUrl: string; code: string },
    actor: Pick<Actor, 'audit'>,
  ): Promise<Result<Record<string, never>, Refusal<Exclude<FailureOf<'tech.enrol'>, { kind: 'not-allowed' }>>>>;
}

export function createEnrolmentService(deps: {
  readonly config: KioskConfig;
  readonly keys: StoredKeys;
  /** The platform the kiosk was started with. */
  readonly platformUrl: string;
  readonly outbox: Pick<OutboxWorker, 'kick'>;
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
      writeEnrolment(deps.dataDir, {
        terminalId: config.terminal.id,
        platformUrl: url.replace(/\/$/, ''),
        fingerprint: keys.fingerprint,
        enrolledAt: now().toISOString(),
        ...(result.value.fleet === undefined ? {} : { fleet: result.value.fleet }),
      });
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
