import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fleetKeyId, signCommand, verifyCommand } from './fleet-command-signing';
import type { CommandBody } from './fleet-payloads';

const county = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const self = { county: 'qingshan', terminal: 'QS-LX-0001' };
const now = Date.parse('2026-11-24T08:00:00Z');
const keys = new Map([[fleetKeyId(county.publicKey), county.publicKey]]);

function body(overrides: Partial<CommandBody> = {}): CommandBody {
  return {
    v: 1,
    id: randomUUID(),
    ...self,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString(),
    issuedBy: 'tech-wang',
    command: { kind: 'self-test', device: 'printer' },
    ...overrides,
  };
}
const wire = (b: CommandBody, pair = county) => JSON.stringify(signCommand(b, pair.privateKey, pair.publicKey));

describe('fleet command signatures', () => {
  it('accepts a command signed by the county key for this terminal', () => {
    const b = body();
    expect(verifyCommand(wire(b), { keys, self, now })).toEqual({ ok: true, value: b });
  });

  it('refuses an unsigned, tampered, foreign-signed or misaddressed command', () => {
    const refusal = (payload: string | Buffer) => {
      const result = verifyCommand(payload, { keys, self, now });
      return result.ok ? 'accepted' : result.error.refusal;
    };
    expect(refusal(JSON.stringify(body()))).toBe('malformed');
    expect(refusal('garbage')).toBe('malformed');
    const envelope = JSON.parse(wire(body())) as { body: string };
    const tampered = JSON.parse(Buffer.from(envelope.body, 'base64url').toString()) as CommandBody;
    tampered.command = { kind: 'set-assigned-version', version: '9.9.9' };
    expect(
      refusal(JSON.stringify({ ...envelope, body: Buffer.from(JSON.stringify(tampered)).toString('base64url') })),
    ).toBe('bad-signature');
    expect(refusal(wire(body(), stranger))).toBe('unknown-key');
    // A stranger's signature under the county's key id is a bad signature, not an accepted one.
    const forged = JSON.parse(wire(body(), stranger)) as { keyId: string };
    expect(refusal(JSON.stringify({ ...forged, keyId: fleetKeyId(county.publicKey) }))).toBe('bad-signature');
    expect(refusal(wire(body({ terminal: 'QS-LX-0002' })))).toBe('wrong-terminal');
  });

  it('bounds the validity window', () => {
    const at = (issued: number, expires: number) => {
      const result = verifyCommand(
        wire(body({ issuedAt: new Date(issued).toISOString(), expiresAt: new Date(expires).toISOString() })),
        { keys, self, now },
      );
      return result.ok ? 'accepted' : result.error.refusal;
    };
    expect(at(now - 7200_000, now - 3600_000)).toBe('expired');
    expect(at(now + 3600_000, now + 7200_000)).toBe('not-yet-valid');
    expect(at(now, now + 8 * 24 * 3600_000)).toBe('malformed');
    expect(at(now - 60_000, now + 60_000)).toBe('accepted');
  });
});
