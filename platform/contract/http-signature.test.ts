import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  contentDigest,
  contentDigestMatches,
  parseDictionary,
  signRequest,
  signatureBase,
  verifyRequest,
  type SignatureFailure,
} from './http-signature';

// RFC 9421 Appendix B.1.4 test key (test-key-ed25519).
const rfcPrivateKey = createPrivateKey(
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n',
);
const rfcPublicKey = createPublicKey(
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n',
);

describe('RFC 9421 signature base rules', () => {
  // Appendix B.2.6: signing a request with ed25519; the signature is deterministic, so it must match byte for byte.
  const request = {
    method: 'POST',
    url: 'https://example.com/foo?param=Value&Pet=dog',
    headers: {
      Host: 'example.com',
      Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
      'Content-Type': 'application/json',
      'Content-Length': '18',
    },
  };
  const components = ['date', '@method', '@path', '@authority', 'content-type', 'content-length'];
  const params = [
    ['created', 1618884473],
    ['keyid', 'test-key-ed25519'],
  ] as const;

  it('builds the B.2.6 signature base exactly', () => {
    const base = signatureBase(request, components, params);
    expect(base).toEqual({
      ok: true,
      value: [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    });
  });

  it('reproduces the B.2.6 signature value and verifies it with the RFC public key', async () => {
    const { sign, verify } = await import('node:crypto');
    const base = signatureBase(request, components, params);
    if (!base.ok) throw new Error('no base');
    const signature = sign(null, Buffer.from(base.value), rfcPrivateKey).toString('base64');
    expect(signature).toBe('wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==');
    expect(verify(null, Buffer.from(base.value), rfcPublicKey, Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('derives @target-uri, @query and combines repeated header lines (§2.1, §2.2)', () => {
    const base = signatureBase(
      { method: 'post', url: 'https://www.example.com/path?param=value', headers: { 'x-list': ['  a ', 'b'] } },
      ['@method', '@target-uri', '@query', 'x-list'],
      [],
    );
    expect(base.ok && base.value).toBe(
      '"@method": POST\n"@target-uri": https://www.example.com/path?param=value\n"@query": ?param=value\n"x-list": a, b\n"@signature-params": ("@method" "@target-uri" "@query" "x-list")',
    );
  });

  it('refuses to build a base when a covered header is absent', () => {
    expect(signatureBase(request, ['x-missing'], []).ok).toBe(false);
  });
});

describe('RFC 9530 Content-Digest', () => {
  it('matches the RFC example for {"hello": "world"}', () => {
    const body = Buffer.from('{"hello": "world"}');
    expect(contentDigest(body)).toBe('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    expect(contentDigestMatches('sha-512=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', body)).toBe(
      true,
    );
    expect(contentDigestMatches(contentDigest(body), Buffer.from('{"hello": "world!"}'))).toBe(false);
    expect(contentDigestMatches('sha-256=:not base64!:', body)).toBe(false);
  });
});

describe('signRequest / verifyRequest', () => {
  const keys = generateKeyPairSync('ed25519');
  const keyId = 'QS-LX-0001';
  const now = new Date('2026-11-24T08:00:00Z');
  const body = Buffer.from('{"id":"x"}');
  const url = 'http://127.0.0.1:8080/v1/applications';
  const resolveKey = (id: string): KeyObject | null => (id === keyId ? keys.publicKey : null);

  const signed = () => ({
    method: 'POST',
    url,
    body,
    headers: {
      'content-type': 'application/json',
      ...signRequest({ method: 'POST', url, body }, { keyId, privateKey: keys.privateKey }, now),
    },
  });
  const failureOf = (result: ReturnType<typeof verifyRequest>): SignatureFailure['kind'] | 'ok' =>
    result.ok ? 'ok' : result.error.kind;

  it('writes the documented header shapes', () => {
    const { headers } = signed();
    expect(headers['signature-input']).toBe(
      `sig1=("@method" "@target-uri" "date" "content-digest");created=${now.getTime() / 1000};keyid="QS-LX-0001";alg="ed25519"`,
    );
    expect(headers.signature).toMatch(/^sig1=:[A-Za-z0-9+/]{86}==:$/);
    expect(headers.date).toBe('Tue, 24 Nov 2026 08:00:00 GMT');
    expect(headers['content-digest']).toBe(contentDigest(body));
  });

  it('accepts an untouched request within the window', () => {
    expect(verifyRequest(signed(), { resolveKey, now })).toEqual({
      ok: true,
      value: { keyId, created: now.getTime() / 1000 },
    });
    expect(failureOf(verifyRequest(signed(), { resolveKey, now: new Date(now.getTime() + 299_000) }))).toBe('ok');
  });

  it('refuses a change to each covered component', () => {
    const base = signed();
    expect(failureOf(verifyRequest({ ...base, method: 'PUT' }, { resolveKey, now }))).toBe('bad-signature');
    expect(failureOf(verifyRequest({ ...base, url: 'http://127.0.0.1:8080/v1/ratings' }, { resolveKey, now }))).toBe(
      'bad-signature',
    );
    expect(
      failureOf(verifyRequest({ ...base, url: 'http://127.0.0.1:8081/v1/applications' }, { resolveKey, now })),
    ).toBe('bad-signature');
    expect(
      failureOf(
        verifyRequest(
          { ...base, headers: { ...base.headers, date: new Date(now.getTime() + 1000).toUTCString() } },
          { resolveKey, now },
        ),
      ),
    ).toBe('bad-signature');
    expect(
      failureOf(
        verifyRequest(
          { ...base, headers: { ...base.headers, 'content-digest': contentDigest(Buffer.from('other')) } },
          { resolveKey, now },
        ),
      ),
    ).toBe('bad-signature');
    expect(failureOf(verifyRequest({ ...base, body: Buffer.from('{"id":"y"}') }, { resolveKey, now }))).toBe(
      'digest-mismatch',
    );
  });

  it('refuses any flipped bit of the signature', () => {
    const base = signed();
    const raw = Buffer.from(/:(.*):/.exec(base.headers.signature)?.[1] ?? '', 'base64');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: raw.length * 8 - 1 }), (bit) => {
        const flipped = Buffer.from(raw);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const headers = { ...base.headers, signature: `sig1=:${flipped.toString('base64')}:` };
        return failureOf(verifyRequest({ ...base, headers }, { resolveKey, now })) === 'bad-signature';
      }),
    );
  });

  it('refuses stale and future dates, with an injectable clock', () => {
    expect(failureOf(verifyRequest(signed(), { resolveKey, now: new Date(now.getTime() + 301_000) }))).toBe(
      'stale-date',
    );
    expect(failureOf(verifyRequest(signed(), { resolveKey, now: new Date(now.getTime() - 301_000) }))).toBe(
      'future-date',
    );
    expect(
      failureOf(verifyRequest(signed(), { resolveKey, now: new Date(now.getTime() + 30_000), windowSeconds: 10 })),
    ).toBe('stale-date');
  });

  it('refuses unknown key ids, a signature by another key, and missing or weak coverage', () => {
    const base = signed();
    expect(verifyRequest(base, { resolveKey: () => null, now })).toEqual({
      ok: false,
      error: { kind: 'unknown-key', keyId },
    });
    const other = generateKeyPairSync('ed25519');
    expect(failureOf(verifyRequest(base, { resolveKey: () => other.publicKey, now }))).toBe('bad-signature');
    const { signature: _s, ...withoutSignature } = base.headers;
    expect(failureOf(verifyRequest({ ...base, headers: withoutSignature }, { resolveKey, now }))).toBe(
      'missing-signature',
    );
    const weak = base.headers['signature-input'].replace('"@target-uri" ', '');
    expect(
      verifyRequest({ ...base, headers: { ...base.headers, 'signature-input': weak } }, { resolveKey, now }),
    ).toEqual({ ok: false, error: { kind: 'insufficient-coverage', missing: ['@target-uri'] } });
    const badAlg = base.headers['signature-input'].replace('ed25519', 'hmac-sha256');
    expect(
      failureOf(
        verifyRequest({ ...base, headers: { ...base.headers, 'signature-input': badAlg } }, { resolveKey, now }),
      ),
    ).toBe('malformed-signature');
    expect(
      failureOf(
        verifyRequest(
          { ...base, headers: { ...base.headers, 'signature-input': 'sig1=("@method"' } },
          { resolveKey, now },
        ),
      ),
    ).toBe('malformed-signature');
  });
});

describe('parseDictionary', () => {
  it('reads inner lists with parameters and byte sequences', () => {
    const parsed = parseDictionary('sig1=("@method" "date");created=5;keyid="a\\"b", sig2=:AQID:');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.get('sig1')).toEqual({
      value: { type: 'list', items: ['@method', 'date'] },
      params: [
        ['created', 5],
        ['keyid', 'a"b'],
      ],
    });
    expect(parsed.value.get('sig2')?.value).toEqual({ type: 'bytes', bytes: Buffer.from([1, 2, 3]) });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof parseDictionary(s).ok === 'boolean'));
  });
});
