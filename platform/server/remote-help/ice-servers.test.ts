import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from './ice-servers';

describe('ICE servers for a call', () => {
  it('computes coturn shared-secret credentials: expiry:who, base64 HMAC-SHA1 (checked against openssl dgst)', () => {
    // echo -n "1764770400:QS-LX-0001" | openssl dgst -sha1 -hmac north-wind-test-secret -binary | base64
    expect(turnCredential('north-wind-test-secret', 'QS-LX-0001', new Date('2025-12-03T14:00:00Z'))).toEqual({
      username: '1764770400:QS-LX-0001',
      credential: 'Zx10xFWhBiVqMhv26bG4G1e/VdQ=',
    });
    // A colon in the name would move coturn's expiry field.
    expect(turnCredential('s', 'a:b', new Date(0)).username).toBe('0:a-b');
  });

  it('gives STUN as is and TURN with a credential good for the configured time; no TURN without a secret', () => {
    const now = new Date('2026-12-03T08:00:00Z');
    const servers = iceServersFor(
      {
        stunUrls: ['stun:turn.county.example:3478'],
        turnUrls: ['turn:turn.county.example:3478'],
        turnSecret: 'x',
        credentialTtlSeconds: 600,
      },
      'QS-LX-0001',
      now,
    );
    expect(servers[0]).toEqual({ urls: ['stun:turn.county.example:3478'] });
    expect(servers[1]?.username).toBe(`${now.getTime() / 1000 + 600}:QS-LX-0001`);
    expect(iceServersFor({ turnUrls: ['turn:x'] }, 'T', now)).toEqual([]);
    expect(iceServersFor({}, 'T', now)).toEqual([]);
  });
});
