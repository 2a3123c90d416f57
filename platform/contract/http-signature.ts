/**
 * The narrow subset of HTTP Message Signatures (RFC 9421) and Digest Fields (RFC 9530) that
 * terminals and the platform speak: one Ed25519 signature `sig1` over
 * ("@method" "@target-uri" "date" "content-digest") with `created`, `keyid` and `alg`, and a
 * `Content-Digest: sha-256=:…:` of the body (empty bodies too, so every request has one shape).
 *
 * Written here rather than taken from a package: the general libraries carry every algorithm and
 * component, while this contract needs ~200 lines that are tested byte for byte against RFC 9421
 * Appendix B.2.6 and RFC 9530's example.
 */
import { createHash, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { assertNever, err, ok, type Result } from '../../foundation/result';

export const signatureLabel = 'sig1';
export const coveredComponents = ['@method', '@target-uri', 'date', 'content-digest'] as const;
/** Requests whose `created` or `Date` lie further than this from the verifier's clock are refused (replays, bad clocks). */
export const defaultWindowSeconds = 300;

export type HeaderValue = string | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

/** What a signature covers of a request; `url` is absolute (scheme, authority, path, query). */
export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderBag;
}

export type SignatureParam = readonly [name: string, value: string | number];

export type SignatureFailure =
  | { readonly kind: 'missing-signature'; readonly detail: string }
  | { readonly kind: 'malformed-signature'; readonly detail: string }
  | { readonly kind: 'insufficient-coverage'; readonly missing: readonly string[] }
  | { readonly kind: 'unknown-key'; readonly keyId: string }
  | { readonly kind: 'bad-signature' }
  | { readonly kind: 'stale-date'; readonly skewSeconds: number }
  | { readonly kind: 'future-date'; readonly skewSeconds: number }
  | { readonly kind: 'digest-mismatch' };

export function describeSignatureFailure(failure: SignatureFailure): string {
  switch (failure.kind) {
    case 'missing-signature':
      return `missing ${failure.detail}`;
    case 'malformed-signature':
      return `malformed signature: ${failure.detail}`;
    case 'insufficient-coverage':
      return `signature does not cover ${failure.missing.join(', ')}`;
    case 'unknown-key':
      return `unknown terminal key id "${failure.keyId}"`;
    case 'bad-signature':
      return 'signature does not verify';
    case 'stale-date':
      return `request is ${failure.skewSeconds} s old; outside the replay window`;
    case 'future-date':
      return `request is dated ${failure.skewSeconds} s in the future; check the terminal clock`;
    case 'digest-mismatch':
      return 'Content-Digest does not match the body';
    default:
      return assertNever(failure, 'signature failure');
  }
}

// ---------------------------------------------------------------- Content-Digest (RFC 9530)

export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/** True when the header carries a sha-256 member equal to the body's digest (other algorithms are ignored). */
export function contentDigestMatches(header: string, body: Uint8Array): boolean {
  const members = parseDictionary(header);
  if (!members.ok) return false;
  const member = members.value.get('sha-256');
  if (member === undefined || member.value.type !== 'bytes') return false;
  const expected = createHash('sha256').update(body).digest();
  const given = member.value.bytes;
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------- signature base (RFC 9421 §2.5)

function headerValue(headers: HeaderBag, name: string): string | undefined {
  let value: HeaderValue;
  for (const [key, v] of Object.entries(headers)) {
    if (key.toLowerCase() === name) {
      value = v;
      break;
    }
  }
  if (value === undefined) return undefined;
  // §2.1: multiple field lines are combined with ", ", each value trimmed of surrounding whitespace.
  const lines: readonly string[] = typeof value === 'string' ? [value] : value;
  return lines.map((line) => line.trim()).join(', ');
}

function componentValue(request: SignableRequest, component: string): string | undefined {
  if (!component.startsWith('@')) return headerValue(request.headers, component);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return undefined;
  }
  switch (component) {
    case '@method':
      return request.method.toUpperCase();
    case '@target-uri':
      return url.href;
    case '@authority':
      return url.host;
    case '@scheme':
      return url.protocol.slice(0, -1);
    case '@path':
      return url.pathname === '' ? '/' : url.pathname;
    case '@query':
      return url.search === '' ? '?' : url.search;
    default:
      return undefined;
  }
}

/** `("a" "b");created=1;keyid="x"` — the serialized inner list used both in Signature-Input and as @signature-params. */
export function serializeSignatureParams(components: readonly string[], params: readonly SignatureParam[]): string {
  const list = `(${components.map((c) => serializeString(c)).join(' ')})`;
  return (
    list +
    params
      .map(([name, value]) => `;${name}=${typeof value === 'number' ? String(value) : serializeString(value)}`)
      .join('')
  );
}

export function signatureBase(
  request: SignableRequest,
  components: readonly string[],
  params: readonly SignatureParam[],
): Result<string, SignatureFailure> {
  const lines: string[] = [];
  const missing: string[] = [];
  for (const component of components) {
    const value = componentValue(request, component);
    if (value === undefined) missing.push(component);
    else lines.push(`${serializeString(component)}: ${value}`);
  }
  if (missing.length > 0)
    return err({ kind: 'missing-signature', detail: `covered component(s) ${missing.join(', ')}` });
  lines.push(`"@signature-params": ${serializeSignatureParams(components, params)}`);
  return ok(lines.join('\n'));
}

// ---------------------------------------------------------------- signing and verifying

export interface RequestSigner {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

/**
 * The headers to add to a request: `date`, `content-digest`, `signature-input`, `signature`.
 * Signing is deterministic for a given key, request and clock (Ed25519).
 */
export function signRequest(
  request: { readonly method: string; readonly url: string; readonly body?: Uint8Array },
  signer: RequestSigner,
  now: Date = new Date(),
): Record<'date' | 'content-digest' | 'signature-input' | 'signature', string> {
  const created = Math.floor(now.getTime() / 1000);
  const headers = {
    date: new Date(created * 1000).toUTCString(),
    'content-digest': contentDigest(request.body ?? new Uint8Array()),
  };
  const params: SignatureParam[] = [
    ['created', created],
    ['keyid', signer.keyId],
    ['alg', 'ed25519'],
  ];
  const base = signatureBase({ method: request.method, url: request.url, headers }, coveredComponents, params);
  // Every component is present by construction; a failure here is a programming error.
  if (!base.ok) throw new Error(describeSignatureFailure(base.error));
  const signature = sign(null, Buffer.from(base.value, 'utf8'), signer.privateKey).toString('base64');
  return {
    ...headers,
    'signature-input': `${signatureLabel}=${serializeSignatureParams(coveredComponents, params)}`,
    signature: `${signatureLabel}=:${signature}:`,
  };
}

export interface VerifyOptions {
  /** The public key of a known, enrolled key id; null when unknown. */
  readonly resolveKey: (keyId: string) => KeyObject | null;
  readonly now?: Date;
  readonly windowSeconds?: number;
}

export interface VerifiedRequest {
  readonly keyId: string;
  readonly created: number;
}

export function verifyRequest(
  request: SignableRequest & { readonly body: Uint8Array },
  options: VerifyOptions,
): Result<VerifiedRequest, SignatureFailure> {
  const inputHeader = headerValue(request.headers, 'signature-input');
  const signatureHeader = headerValue(request.headers, 'signature');
  if (inputHeader === undefined) return err({ kind: 'missing-signature', detail: 'Signature-Input header' });
  if (signatureHeader === undefined) return err({ kind: 'missing-signature', detail: 'Signature header' });
  const inputs = parseDictionary(inputHeader);
  if (!inputs.ok) return err({ kind: 'malformed-signature', detail: `Signature-Input: ${inputs.error}` });
  const signatures = parseDictionary(signatureHeader);
  if (!signatures.ok) return err({ kind: 'malformed-signature', detail: `Signature: ${signatures.error}` });
  const input = inputs.value.get(signatureLabel);
  const signature = signatures.value.get(signatureLabel);
  if (input === undefined || input.value.type !== 'list')
    return err({ kind: 'missing-signature', detail: `${signatureLabel} in Signature-Input` });
  if (signature === undefined || signature.value.type !== 'bytes')
    return err({ kind: 'missing-signature', detail: `${signatureLabel} in Signature` });

  const components = input.value.items;
  const missing = coveredComponents.filter((c) => !components.includes(c));
  if (missing.length > 0) return err({ kind: 'insufficient-coverage', missing });
  const params = input.params;
  const created = params.find(([name]) => name === 'created')?.[1];
  const keyId = params.find(([name]) => name === 'keyid')?.[1];
  const alg = params.find(([name]) => name === 'alg')?.[1];
  if (typeof created !== 'number') return err({ kind: 'malformed-signature', detail: 'created parameter missing' });
  if (typeof keyId !== 'string' || keyId === '')
    return err({ kind: 'malformed-signature', detail: 'keyid parameter missing' });
  if (alg !== undefined && alg !== 'ed25519')
    return err({ kind: 'malformed-signature', detail: `unsupported alg ${String(alg)}` });

  const windowSeconds = options.windowSeconds ?? defaultWindowSeconds;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const dateHeader = headerValue(request.headers, 'date');
  const dateSeconds = dateHeader === undefined ? Number.NaN : Math.floor(Date.parse(dateHeader) / 1000);
  if (!Number.isFinite(dateSeconds))
    return err({ kind: 'malformed-signature', detail: 'Date header missing or unreadable' });
  for (const at of [created, dateSeconds]) {
    if (nowSeconds - at > windowSeconds) return err({ kind: 'stale-date', skewSeconds: nowSeconds - at });
    if (at - nowSeconds > windowSeconds) return err({ kind: 'future-date', skewSeconds: at - nowSeconds });
  }

  const publicKey = options.resolveKey(keyId);
  if (publicKey === null) return err({ kind: 'unknown-key', keyId });
  const base = signatureBase(request, components, params);
  if (!base.ok) return base;
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(base.value, 'utf8'), publicKey, signature.value.bytes);
  } catch {
    valid = false; // a key of another type, or a signature of the wrong length
  }
  if (!valid) return err({ kind: 'bad-signature' });
  // Checked after the signature so a valid signature over a changed body reads as what it is.
  const digest = headerValue(request.headers, 'content-digest');
  if (digest === undefined || !contentDigestMatches(digest, request.body)) return err({ kind: 'digest-mismatch' });
  return ok({ keyId, created });
}

// ---------------------------------------------------------------- structured fields (RFC 8941), the part used here

type BareItem =
  | { type: 'string'; text: string }
  | { type: 'integer'; value: number }
  | { type: 'token'; text: string }
  | { type: 'bytes'; bytes: Buffer }
  | { type: 'boolean'; value: boolean };
type MemberValue =
  | { type: 'list'; items: string[] }
  | Exclude<BareItem, { type: 'string' | 'integer' | 'token' | 'boolean' }>
  | { type: 'other' };
interface Member {
  readonly value: MemberValue;
  readonly params: SignatureParam[];
}

function serializeString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Parses an sf-dictionary into members; only what signatures use is kept precisely (inner lists of strings, byte sequences). */
export function parseDictionary(input: string): Result<Map<string, Member>, string> {
  const members = new Map<string, Member>();
  let i = 0;
  const skipSpaces = () => {
    while (input[i] === ' ' || input[i] === '\t') i++;
  };
  const key = (): string | null => {
    const match = /^[a-z*][a-z0-9_\-.*]*/.exec(input.slice(i));
    if (match === null) return null;
    i += match[0].length;
    return match[0];
  };
  const bareItem = (): BareItem | string => {
    const c = input[i];
    if (c === '"') {
      let text = '';
      i++;
      while (i < input.length) {
        const ch = input[i++];
        if (ch === '\\') {
          const next = input[i++];
          if (next !== '"' && next !== '\\') return 'bad escape in string';
          text += next;
        } else if (ch === '"') return { type: 'string', text };
        else if (ch === undefined || ch < ' ' || ch > '~') return 'bad character in string';
        else text += ch;
      }
      return 'unterminated string';
    }
    if (c === ':') {
      const end = input.indexOf(':', i + 1);
      if (end < 0) return 'unterminated byte sequence';
      const b64 = input.slice(i + 1, end);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return 'bad byte sequence';
      i = end + 1;
      return { type: 'bytes', bytes: Buffer.from(b64, 'base64') };
    }
    if (c === '?') {
      const v = input[i + 1];
      if (v !== '0' && v !== '1') return 'bad boolean';
      i += 2;
      return { type: 'boolean', value: v === '1' };
    }
    const integer = /^-?\d{1,15}(?![\d.])/.exec(input.slice(i));
    if (integer !== null) {
      i += integer[0].length;
      return { type: 'integer', value: Number(integer[0]) };
    }
    const token = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(input.slice(i));
    if (token !== null) {
      i += token[0].length;
      return { type: 'token', text: token[0] };
    }
    return `unexpected "${c ?? 'end'}"`;
  };
  const parameters = (): SignatureParam[] | string => {
    const params: SignatureParam[] = [];
    while (input[i] === ';') {
      i++;
      skipSpaces();
      const name = key();
      if (name === null) return 'bad parameter name';
      let value: string | number = 1; // a bare parameter means true; kept as 1, never used for signatures
      if (input[i] === '=') {
        i++;
        const item = bareItem();
        if (typeof item === 'string') return item;
        if (item.type === 'string' || item.type === 'token') value = item.text;
        else if (item.type === 'integer') value = item.value;
        else return `unsupported parameter value for ${name}`;
      }
      params.push([name, value]);
    }
    return params;
  };
  skipSpaces();
  while (i < input.length) {
    const name = key();
    if (name === null) return err(`bad member name at ${i}`);
    let value: MemberValue = { type: 'other' };
    if (input[i] === '=') {
      i++;
      if (input[i] === '(') {
        i++;
        const items: string[] = [];
        for (;;) {
          while (input[i] === ' ') i++;
          if (input[i] === ')') {
            i++;
            break;
          }
          const item = bareItem();
          if (typeof item === 'string') return err(item);
          if (item.type !== 'string') return err('covered components must be strings');
          const itemParams = parameters();
          if (typeof itemParams === 'string') return err(itemParams);
          if (itemParams.length > 0) return err('component parameters are not supported');
          items.push(item.text);
          if (input[i] !== ' ' && input[i] !== ')') return err('bad inner list');
        }
        value = { type: 'list', items };
      } else {
        const item = bareItem();
        if (typeof item === 'string') return err(item);
        if (item.type === 'bytes') value = item;
      }
    }
    const params = parameters();
    if (typeof params === 'string') return err(params);
    members.set(name, { value, params });
    skipSpaces();
    if (i >= input.length) break;
    if (input[i] !== ',') return err(`expected "," at ${i}`);
    i++;
    skipSpaces();
    if (i >= input.length) return err('trailing comma');
  }
  return ok(members);
}
