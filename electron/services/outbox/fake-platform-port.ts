/**
 * An in-memory PlatformPort for tests: it keeps cases like the real platform (one case per
 * Idempotency-Key, repeats answered with the original), and lets a test script failures — including
 * the nasty one where the platform commits the case but the answer is lost on the way back.
 */
import { createHash } from 'node:crypto';
import { err, ok, type Result } from '../../../foundation/result';
import type { ApplicationSubmission, CaseStatus, PlatformPort, PortFailure } from './platform-port';

export type FakeCall = { method: keyof PlatformPort; applicationId?: string; key?: string };

export interface FakeCase {
  readonly caseNumber: string;
  readonly submission: ApplicationSubmission;
  status: CaseStatus;
  history: Array<{ status: CaseStatus; at: string; note?: string }>;
}

/** A scripted answer for the next call of a method; `afterCommit` applies the call first, then fails. */
export type Scripted = { failure: PortFailure; afterCommit?: boolean };

export class FakePlatformPort implements PlatformPort {
  readonly calls: FakeCall[] = [];
  readonly cases = new Map<string, FakeCase>();
  readonly attachments = new Map<string, Uint8Array>();
  readonly ratings: Array<Parameters<PlatformPort['submitRating']>[0]> = [];
  readonly heartbeats: Array<Parameters<PlatformPort['heartbeat']>[0]> = [];
  readonly diagnostics: string[] = [];
  catalogue: { etag: string; body: unknown } = { etag: '"v1"', body: { version: 'v1' } };
  /** Per method, answers to give before behaving normally. */
  readonly script = new Map<keyof PlatformPort, Scripted[]>();
  /** Sends currently inside the fake, per application: lets tests catch concurrent sends. */
  readonly active = new Map<string, number>();
  maxActivePerApplication = 0;
  maxActive = 0;
  /** Each call waits this long (real ms), so concurrency can be observed. */
  delayMs = 0;
  /** Remote help calls the platform knows (answered by the named officer); other claims are dropped. */
  readonly answeredCalls = new Map<string, string>();
  private nextCase = 1;

  failNext(method: keyof PlatformPort, ...answers: Scripted[]): void {
    this.script.set(method, [...(this.script.get(method) ?? []), ...answers]);
  }

  private async enter<T>(
    method: keyof PlatformPort,
    applicationId: string | undefined,
    apply: () => Result<T, PortFailure>,
    key?: string,
  ): Promise<Result<T, PortFailure>> {
    this.calls.push({ method, ...(applicationId ? { applicationId } : {}), ...(key ? { key } : {}) });
    const slot = applicationId ?? '';
    const now = (this.active.get(slot) ?? 0) + 1;
    this.active.set(slot, now);
    this.maxActivePerApplication = Math.max(this.maxActivePerApplication, now);
    this.maxActive = Math.max(
      this.maxActive,
      [...this.active.values()].reduce((a, b) => a + b, 0),
    );
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const scripted = this.script.get(method)?.shift();
      if (scripted && !scripted.afterCommit) return err(scripted.failure);
      const result = apply();
      return scripted ? err(scripted.failure) : result;
    } finally {
      this.active.set(slot, (this.active.get(slot) ?? 1) - 1);
    }
  }

  uploadAttachment(applicationId: string, sha256: string, _mime: string, bytes: Uint8Array) {
    return this.enter('uploadAttachment', applicationId, () => {
      this.attachments.set(`${applicationId}/${sha256}`, bytes);
      return ok();
    });
  }

  submitApplication(submission: ApplicationSubmission, idempotencyKey: string) {
    return this.enter(
      'submitApplication',
      submission.id,
      () => {
        for (const a of [...submission.attachments.map((x) => x.sha256), submission.signatureSha256]) {
          if (!this.attachments.has(`${submission.id}/${a}`))
            return err<PortFailure>({
              kind: 'final',
              status: 422,
              reason: 'attachment missing',
              fieldErrors: { attachments: a },
            });
        }
        // Like the platform: a claimed remote help is answered recorded or not, the application taken either way.
        const claim = submission.remoteAssistance;
        const remote =
          claim === undefined
            ? {}
            : {
                remoteAssistance:
                  this.answeredCalls.get(claim.callId) === claim.officerId
                    ? ('recorded' as const)
                    : ('not-recorded' as const),
              };
        const existing = this.cases.get(idempotencyKey);
        if (existing)
          return ok({ caseNumber: existing.caseNumber, status: existing.status, duplicate: true, ...remote });
        const caseNumber = `CASE-${String(this.nextCase++).padStart(6, '0')}`;
        this.cases.set(idempotencyKey, {
          caseNumber,
          submission,
          status: 'submitted',
          history: [{ status: 'submitted', at: submission.createdAt }],
        });
        return ok({ caseNumber, status: 'submitted', duplicate: false, ...remote });
      },
      idempotencyKey,
    );
  }

  /** What hall staff do on the platform side. */
  moveCase(applicationId: string, status: CaseStatus, at: string, note?: string): void {
    const c = this.cases.get(applicationId);
    if (!c) throw new Error(`no case for ${applicationId}`);
    c.status = status;
    c.history.push(note === undefined ? { status, at } : { status, at, note });
  }

  getApplicationStatus(applicationId: string) {
    return this.enter('getApplicationStatus', applicationId, () => {
      const c = this.cases.get(applicationId);
      if (!c) return err<PortFailure>({ kind: 'final', status: 404, reason: 'unknown application' });
      return ok({ status: c.status, caseNumber: c.caseNumber, history: c.history.map((h) => ({ ...h })) });
    });
  }

  submitRating(rating: Parameters<PlatformPort['submitRating']>[0]) {
    return this.enter('submitRating', rating.applicationId, () => {
      this.ratings.push(rating);
      return ok();
    });
  }

  uploadDiagnostics(bundle: string) {
    return this.enter('uploadDiagnostics', undefined, () => {
      this.diagnostics.push(bundle);
      return ok({ sha256: createHash('sha256').update(bundle).digest('hex'), size: Buffer.byteLength(bundle) });
    });
  }

  heartbeat(beat: Parameters<PlatformPort['heartbeat']>[0]) {
    return this.enter('heartbeat', undefined, () => {
      this.heartbeats.push(beat);
      return ok();
    });
  }

  fetchCatalog(etag: string | null) {
    return this.enter('fetchCatalog', undefined, () =>
      ok(
        etag === this.catalogue.etag
          ? { notModified: true as const }
          : { notModified: false as const, etag: this.catalogue.etag, body: this.catalogue.body },
      ),
    );
  }
}
