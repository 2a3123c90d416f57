import type { Result } from '../../../foundation/result';
import type {
  CallConsent,
  CallEndReason,
  CallEvents,
  CallQueued,
  CallRequest,
  RtcSignal,
} from '../../../platform/contract/remote-help';
import type { PortFailure } from '../outbox/platform-port';

/**
 * The remote-help calls at the platform (docs/remote-help.md), signed like every `/v1` request:
 * platform-client/http-platform-client.ts implements it over HTTP, tests use a fake. Failures are
 * the outbox's PortFailure values (retryable, held, final), so the service needs no HTTP knowledge.
 */
export interface RemoteHelpPort {
  queueCall(request: CallRequest): Promise<Result<CallQueued, PortFailure>>;
  /** Long poll: answers within about 20 s, at once when an event after `after` waits; `signal` aborts it. */
  callEvents(callId: string, after: number, signal: AbortSignal): Promise<Result<CallEvents, PortFailure>>;
  /** The resident agreed to the call under this recording rule; the platform keeps it with the call. */
  consentCall(callId: string, consent: CallConsent): Promise<Result<void, PortFailure>>;
  sendSignal(callId: string, signal: RtcSignal): Promise<Result<void, PortFailure>>;
  endCall(callId: string, reason: CallEndReason): Promise<Result<void, PortFailure>>;
}
