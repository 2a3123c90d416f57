import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { maskIdNumber, maskName } from '../../foundation/masking';
import {
  createReceiptPayload,
  formatVerificationCode,
  normalizeVerificationCode,
  parseReceiptPayload,
  verificationCode,
  verifyReceiptPayload,
  type ReceiptContents,
} from './receipt-payload';
import { generateTerminalKeys } from './terminal-identity';

const keys = generateTerminalKeys();
const contents: ReceiptContents = {
  terminalId: 'QS-LX-0001',
  applicationId: '3f6c1d2e-8a4b-4c5d-9e0f-123456789abc',
  localNumber: 'QSLX01-20261124-0007',
  caseNumber: 'YL2026112400001',
  serviceCode: 'PENSION-CERT',
  issuedAt: '2026-11-24T08:15:30.000Z',
  applicant: { maskedName: maskName('欧阳娜娜'), maskedIdNumber: maskIdNumber('110105194912310021') },
};
const payloadOf = (c: ReceiptContents): string => {
  const made = createReceiptPayload(c, keys.privateKey);
  if (!made.ok) throw new Error(made.error);
  return made.value;
};
const payload = payloadOf(contents);

describe('receipt payload', () => {
  it('round-trips its contents and verifies with the terminal key', () => {
    expect(payload.startsWith('VK1.')).toBe(true);
    expect(payload).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(verifyReceiptPayload(payload, keys.publicKey)).toEqual({ ok: true, value: contents });
    const offline = { ...contents, caseNumber: null };
    expect(verifyReceiptPayload(payloadOf(offline), keys.publicKey)).toEqual({ ok: true, value: offline });
  });

  it('is refused under another terminal key', () => {
    expect(verifyReceiptPayload(payload, generateTerminalKeys().publicKey)).toEqual({
      ok: false,
      error: { kind: 'bad-signature' },
    });
  });

  it('refuses unmasked applicant data', () => {
    expect(
      createReceiptPayload(
        { ...contents, applicant: { maskedName: '张三', maskedIdNumber: '110105194912310021' } },
        keys.privateKey,
      ).ok,
    ).toBe(false);
  });

  it("is strict to the byte: surrounding whitespace is the caller's to strip", () => {
    expect(verifyReceiptPayload(`${payload}\n`, keys.publicKey).ok).toBe(false);
    expect(verifyReceiptPayload(` ${payload}`, keys.publicKey).ok).toBe(false);
  });

  it('names an unknown version', () => {
    expect(parseReceiptPayload(payload.replace('VK1.', 'VK2.'))).toEqual({
      ok: false,
      error: { kind: 'unsupported-version', version: 'VK2' },
    });
  });

  it('never accepts a payload with any single character changed', () => {
    fc.assert(
      fc.property(fc.nat({ max: payload.length - 1 }), fc.integer({ min: 0x20, max: 0x7e }), (index, code) => {
        const replacement = String.fromCharCode(code);
        fc.pre(payload[index] !== replacement);
        const altered = payload.slice(0, index) + replacement + payload.slice(index + 1);
        return !verifyReceiptPayload(altered, keys.publicKey).ok;
      }),
      { numRuns: 5000 },
    );
  });

  it('never accepts a payload with any single byte changed, inserted or removed', () => {
    const bytes = Buffer.from(payload, 'utf8');
    fc.assert(
      fc.property(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('replace', 'insert', 'delete'),
        (index, value, edit) => {
          const altered = Buffer.from(bytes);
          let text: string;
          if (edit === 'replace') {
            fc.pre(altered[index] !== value);
            altered[index] = value;
            text = altered.toString('latin1');
          } else if (edit === 'insert') {
            text = Buffer.concat([bytes.subarray(0, index), Buffer.from([value]), bytes.subarray(index)]).toString(
              'latin1',
            );
          } else {
            text = Buffer.concat([bytes.subarray(0, index), bytes.subarray(index + 1)]).toString('latin1');
          }
          return !verifyReceiptPayload(text, keys.publicKey).ok;
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('round-trips arbitrary contents', () => {
    const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.record({
          terminalId: text(40),
          applicationId: fc.uuid({ version: 4 }),
          localNumber: text(40),
          caseNumber: fc.option(text(40), { nil: null }),
          serviceCode: text(30),
          issuedAt: fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((s) => new Date(s * 1000).toISOString()),
          applicant: fc.record({
            maskedName: text(10).map((s) => `${s}*`),
            maskedIdNumber: fc.constant('110105********0021'),
          }),
        }),
        (c) => {
          const made = createReceiptPayload(c, keys.privateKey);
          if (!made.ok) return /longer than 255 bytes|too_big|at most/.test(made.error) || c.terminalId.length > 40;
          const back = verifyReceiptPayload(made.value, keys.publicKey);
          return back.ok && JSON.stringify(back.value) === JSON.stringify(c);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fits a QR printed at 5 dots per module on 58 mm paper (384 dots)', () => {
    const long = payloadOf({
      ...contents,
      terminalId: 'QS-LIUXI-CUN-0001',
      localNumber: 'QSLX01-20261124-0123',
      applicant: { maskedName: '欧阳**娜', maskedIdNumber: '110105********002X' },
    });
    expect(long.length).toBeLessThan(260);
    const qr = QRCode.create(long, { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(12);
    expect((qr.modules.size + 8) * 5).toBeLessThanOrEqual(384);
  });
});

describe('verification code', () => {
  it('is ten digits, stable across reprints, and differs between applications', () => {
    const code = verificationCode(contents);
    expect(code).toMatch(/^\d{10}$/);
    expect(
      verificationCode({ ...contents, caseNumber: null, issuedAt: '2026-12-01T00:00:00.000Z' } as ReceiptContents),
    ).toBe(code);
    expect(verificationCode({ ...contents, applicationId: '3f6c1d2e-8a4b-4c5d-9e0f-123456789abd' })).not.toBe(code);
    expect(normalizeVerificationCode(formatVerificationCode(code))).toBe(code);
    expect(normalizeVerificationCode('12345')).toBeNull();
  });
});
