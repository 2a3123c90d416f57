import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPlatformClient, enrol } from '../../electron/services/platform-client/http-platform-client';
import { signRequest } from '../../platform/contract/http-signature';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

async function rawHeartbeat(
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; problem: Record<string, unknown> }> {
  const response = await fetch(`${fx.platform.url}/v1/terminals/${fx.terminalId}/heartbeat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, problem: (await response.json()) as Record<string, unknown> };
}

const beat = JSON.stringify({ version: '0.1.0', devices: {}, outboxDepth: 0, oldestUnsentAt: null });
const signedFor = (body: string, keyId: string, privateKey = fx.keys.privateKey, now = new Date()) =>
  signRequest(
    { method: 'POST', url: `${fx.platform.url}/v1/terminals/${fx.terminalId}/heartbeat`, body: Buffer.from(body) },
    { keyId, privateKey },
    now,
  );

describe('request signatures at the platform', () => {
  it('accepts a correctly signed request', async () => {
    const response = await fetch(`${fx.platform.url}/v1/terminals/${fx.terminalId}/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedFor(beat, fx.terminalId) },
      body: beat,
    });
    expect(response.status).toBe(204);
  });

  it('refuses unsigned requests, bad signatures, unknown terminals, stale dates and changed bodies with 401 problem details', async () => {
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['unsigned', {}, beat, 'missing-signature'],
      [
        'signed by another key',
        signedFor(beat, fx.terminalId, generateTerminalKeys().privateKey),
        beat,
        'bad-signature',
      ],
      ['unknown terminal', signedFor(beat, 'QS-XX-9999', generateTerminalKeys().privateKey), beat, 'unknown-key'],
      [
        'stale date',
        signedFor(beat, fx.terminalId, fx.keys.privateKey, new Date(Date.now() - 600_000)),
        beat,
        'stale-date',
      ],
      [
        'future date',
        signedFor(beat, fx.terminalId, fx.keys.privateKey, new Date(Date.now() + 600_000)),
        beat,
        'future-date',
      ],
      [
        'changed body',
        signedFor(beat, fx.terminalId),
        beat.replace('"outboxDepth":0', '"outboxDepth":1'),
        'digest-mismatch',
      ],
    ];
    for (const [what, headers, body, reason] of cases) {
      const { status, problem } = await rawHeartbeat(headers, body);
      expect({ what, status, reason: problem['reason'], title: problem['title'] }).toEqual({
        what,
        status: 401,
        reason,
        title: 'Request signature refused',
      });
    }
  });

  it('maps a refusal of the terminal clock to a hold, and corrects the next signature from the Date header', async () => {
    const skewed = createHttpPlatformClient({
      baseUrl: fx.platform.url,
      terminalId: fx.terminalId,
      privateKey: fx.keys.privateKey,
      now: () => new Date(Date.now() - 3600_000),
    });
    const beat = { version: '0.1.0', devices: {}, outboxDepth: 0, oldestUnsentAt: null };
    const result = await skewed.heartbeat(beat);
    expect(!result.ok && result.error).toMatchObject({ kind: 'held', hold: { kind: 'clock' } });
    expect(!result.ok && result.error.reason).toMatch(/old; outside the replay window/);
    expect((await skewed.heartbeat(beat)).ok).toBe(true);
  });

  it('lets a terminal report only its own health', async () => {
    const other = generateTerminalKeys();
    const enrolled = await enrol(fx.platform.url, fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0002' }), {
      terminalId: 'QS-LX-0002',
      ...other,
    });
    expect(enrolled.ok).toBe(true);
    const url = `${fx.platform.url}/v1/terminals/${fx.terminalId}/heartbeat`;
    const headers = signRequest(
      { method: 'POST', url, body: Buffer.from(beat) },
      { keyId: 'QS-LX-0002', privateKey: other.privateKey },
    );
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: beat,
    });
    expect(response.status).toBe(403);
  });
});

describe('enrolment', () => {
  it('uses each code once, refuses unknown and terminal-bound codes for others, and needs the enrolled key to sign', async () => {
    const keys = generateTerminalKeys();
    const code = fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0100' });
    const first = await enrol(fx.platform.url, code, { terminalId: 'QS-LX-0100', ...keys });
    expect(first.ok && first.value.terminalId).toBe('QS-LX-0100');
    const reused = await enrol(fx.platform.url, code, { terminalId: 'QS-LX-0100', ...generateTerminalKeys() });
    expect(!reused.ok && reused.error).toMatchObject({ kind: 'final', status: 403 });
    const unknown = await enrol(fx.platform.url, 'ZZZZ-ZZZZ', { terminalId: 'QS-LX-0102', ...generateTerminalKeys() });
    expect(!unknown.ok && unknown.error).toMatchObject({ kind: 'final', status: 403 });
    const bound = fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0200' });
    const wrong = await enrol(fx.platform.url, bound, { terminalId: 'QS-LX-0201', ...generateTerminalKeys() });
    expect(!wrong.ok && wrong.error).toMatchObject({ kind: 'final', status: 403 });
    // Claiming a public key without holding its private half fails the proof of possession.
    const victim = generateTerminalKeys();
    const forged = await enrol(fx.platform.url, bound, {
      terminalId: 'QS-LX-0200',
      privateKey: generateTerminalKeys().privateKey,
      publicKey: victim.publicKey,
    });
    expect(!forged.ok && forged.error).toMatchObject({ kind: 'final', status: 401 });
    const right = await enrol(fx.platform.url, bound, { terminalId: 'QS-LX-0200', ...generateTerminalKeys() });
    expect(right.ok).toBe(true);
  });

  it('accepts a configured code typed in lower case without the dash; an admin re-key replaces the old key', async () => {
    const oldKeys = generateTerminalKeys();
    expect(
      (
        await enrol(fx.platform.url, fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0300' }), {
          terminalId: 'QS-LX-0300',
          ...oldKeys,
        })
      ).ok,
    ).toBe(true);
    const code = fx.platform.createEnrolmentCode({ terminalId: 'QS-LX-0300', rekey: true, code: 'k7qp-m2xd' });
    expect(code).toBe('K7QP-M2XD');
    const newKeys = generateTerminalKeys();
    expect((await enrol(fx.platform.url, 'k7qpm2xd', { terminalId: 'QS-LX-0300', ...newKeys })).ok).toBe(true);
    const stale = createHttpPlatformClient({
      baseUrl: fx.platform.url,
      terminalId: 'QS-LX-0300',
      privateKey: oldKeys.privateKey,
    });
    const fresh = createHttpPlatformClient({
      baseUrl: fx.platform.url,
      terminalId: 'QS-LX-0300',
      privateKey: newKeys.privateKey,
    });
    expect((await stale.fetchCatalog(null)).ok).toBe(false);
    expect((await fresh.fetchCatalog(null)).ok).toBe(true);
  });
});
