/**
 * The receipt's QR payload: `VK1.<body>.<signature>`, both parts base64url, the body a small
 * binary record, the signature Ed25519 by the terminal over the ASCII text `VK1.<body>`. The hall
 * verifies it with the terminal's public key and no network. About 230 characters for a typical
 * receipt: QR version ≤ 12 at level M, which prints at 5 dots per module on 58 mm paper.
 *
 * Body layout (version 1):
 *   16 bytes application UUID · uint32 BE issue time (Unix seconds) ·
 *   then six strings, each one length byte + UTF-8: terminal id, local number, case number
 *   (empty while unknown), service code, masked name, masked ID number. Nothing may follow.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { err, ok, type Result } from '../../foundation/result';

export const receiptPayloadPrefix = 'VK1.';

const masked = (minStars: number) =>
  z
    .string()
    .min(1)
    .refine((s) => (s.match(/\*/g)?.length ?? 0) >= minStars, `must be masked (at least ${minStars} "*")`);

export const receiptContentsSchema = z.strictObject({
  terminalId: z.string().min(1).max(40),
  applicationId: z.uuid(),
  localNumber: z.string().min(1).max(40),
  caseNumber: z.string().min(1).max(40).nullable(),
  serviceCode: z.string().min(1).max(30),
  /** Whole seconds, UTC (`2026-11-24T08:00:00.000Z`). */
  issuedAt: z.iso.datetime(),
  applicant: z.strictObject({
    maskedName: masked(1).pipe(z.string().max(60)),
    maskedIdNumber: masked(2).pipe(z.string().max(40)),
  }),
});
export type ReceiptContents = z.infer<typeof receiptContentsSchema>;

export type ReceiptFailure =
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'unsupported-version'; readonly version: string }
  | { readonly kind: 'bad-signature' };

export function describeReceiptFailure(failure: ReceiptFailure): string {
  switch (failure.kind) {
    case 'malformed':
      return `not a receipt payload (${failure.detail})`;
    case 'unsupported-version':
      return `unsupported receipt version ${failure.version}`;
    case 'bad-signature':
      return 'the signature does not match: this receipt was altered or not issued by that terminal';
  }
}

function encodeBody(contents: ReceiptContents): Result<Buffer, string> {
  const parts: Buffer[] = [Buffer.from(contents.applicationId.replace(/-/g, ''), 'hex')];
  const time = Buffer.alloc(4);
  time.writeUInt32BE(Math.floor(Date.parse(contents.issuedAt) / 1000));
  parts.push(time);
  const strings = [
    contents.terminalId,
    contents.localNumber,
    contents.caseNumber ?? '',
    contents.serviceCode,
    contents.applicant.maskedName,
    contents.applicant.maskedIdNumber,
  ];
  for (const text of strings) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 255) return err('a field is longer than 255 bytes');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  return ok(Buffer.concat(parts));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody(body: Buffer): Result<ReceiptContents, ReceiptFailure> {
  if (body.length < 20) return err({ kind: 'malformed', detail: 'body too short' });
  const hex = body.subarray(0, 16).toString('hex');
  const applicationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const issuedAt = new Date(body.readUInt32BE(16) * 1000).toISOString();
  let at = 20;
  const strings: string[] = [];
  for (let n = 0; n < 6; n++) {
    const length = body[at];
    if (length === undefined || at + 1 + length > body.length)
      return err({ kind: 'malformed', detail: 'truncated body' });
    try {
      strings.push(strictUtf8.decode(body.subarray(at + 1, at + 1 + length)));
    } catch {
      return err({ kind: 'malformed', detail: 'invalid UTF-8' });
    }
    at += 1 + length;
  }
  if (at !== body.length) return err({ kind: 'malformed', detail: 'trailing bytes' });
  const [terminalId, localNumber, caseNumber, serviceCode, maskedName, maskedIdNumber] = strings;
  const parsed = receiptContentsSchema.safeParse({
    terminalId,
    applicationId,
    localNumber,
    caseNumber: caseNumber === '' ? null : caseNumber,
    serviceCode,
    issuedAt,
    applicant: { maskedName, maskedIdNumber },
  });
  if (!parsed.success)
    return err({
      kind: 'malformed',
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  return ok(parsed.data);
}

/** base64url that decodes and re-encodes to itself: a changed padding bit must not decode to the same bytes. */
function canonicalBase64Url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export function createReceiptPayload(contents: ReceiptContents, privateKey: KeyObject): Result<string, string> {
  const checked = receiptContentsSchema.safeParse(contents);
  if (!checked.success) return err(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const body = encodeBody(checked.data);
  if (!body.ok) return body;
  const signed = receiptPayloadPrefix + body.value.toString('base64url');
  const signature = sign(null, Buffer.from(signed, 'ascii'), privateKey);
  return ok(`${signed}.${signature.toString('base64url')}`);
}

export interface ParsedReceipt {
  readonly contents: ReceiptContents;
  /** The signed text and its signature, for verifying once the terminal's key is known. */
  readonly signed: string;
  readonly signature: Buffer;
}

/**
 * Reads a payload without checking its signature: only to learn which terminal's key to check it
 * with. Strict to the byte: callers strip what a scanner adds (a trailing CR/LF) before calling.
 */
export function parseReceiptPayload(text: string): Result<ParsedReceipt, ReceiptFailure> {
  const version = /^(VK\d+)\./.exec(text)?.[1];
  if (version === undefined) return err({ kind: 'malformed', detail: 'no VK prefix' });
  if (`${version}.` !== receiptPayloadPrefix) return err({ kind: 'unsupported-version', version });
  const match = /^VK1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{86})$/.exec(text);
  if (match === null) return err({ kind: 'malformed', detail: 'expected VK1.<body>.<signature>' });
  const body = canonicalBase64Url(match[1] ?? '');
  const signature = canonicalBase64Url(match[2] ?? '');
  if (body === null || signature === null || signature.length !== 64)
    return err({ kind: 'malformed', detail: 'non-canonical base64url' });
  const contents = decodeBody(body);
  if (!contents.ok) return contents;
  return ok({ contents: contents.value, signed: `${receiptPayloadPrefix}${match[1] ?? ''}`, signature });
}

export function verifyReceiptPayload(payload: string, publicKey: KeyObject): Result<ReceiptContents, ReceiptFailure> {
  const parsed = parseReceiptPayload(payload);
  if (!parsed.ok) return parsed;
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(parsed.value.signed, 'ascii'), publicKey, parsed.value.signature);
  } catch {
    valid = false;
  }
  return valid ? ok(parsed.value.contents) : err({ kind: 'bad-signature' });
}

export interface VerificationFields {
  readonly terminalId: string;
  readonly applicationId: string;
  readonly localNumber: string;
}

/**
 * Ten digits printed under the QR for manual entry at the hall. Derived from fields that never
 * change across reprints (so every copy of a receipt shows the same code) and that include the
 * application UUID, which is printed nowhere in clear: knowing a case number is not enough to
 * produce the code. The platform recomputes it from its record of the application.
 */
export function verificationCode(fields: VerificationFields): string {
  const digest = createHash('sha256')
    .update(`VK1-code|${fields.terminalId}|${fields.applicationId.toLowerCase()}|${fields.localNumber}`, 'utf8')
    .digest();
  return (digest.readBigUInt64BE(0) % 10_000_000_000n).toString().padStart(10, '0');
}

/** `1234567890` → `12345 67890`, easier to read aloud and type. */
export function formatVerificationCode(code: string): string {
  return `${code.slice(0, 5)} ${code.slice(5)}`;
}

/** Accepts what staff type: spaces and dashes ignored. */
export function normalizeVerificationCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}
