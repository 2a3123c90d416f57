import fc from 'fast-check';
import ipp from 'ipp-encoder';
import { describe, expect, it } from 'vitest';
import { decodeIppAnswer, encodeGetPrinterAttributes, encodePrintJob, firstNumber, keywords } from './ipp-message';

const URI = 'ipp://127.0.0.1:631/ipp/print';

describe('IPP requests', () => {
  it('Get-Printer-Attributes: IPP 1.1, operation 0x000B, the request id, charset first', () => {
    const bytes = encodeGetPrinterAttributes(URI, 7);
    expect([...bytes.subarray(0, 9)]).toEqual([0x01, 0x01, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x07, 0x01]);
    // value tag charset (0x47), name length 18, "attributes-charset", value length 5, "utf-8"
    expect(bytes.subarray(9, 9 + 1 + 2 + 18 + 2 + 5).toString('latin1')).toBe(
      '\x47\x00\x12attributes-charset\x00\x05utf-8',
    );
    expect(bytes.at(-1)).toBe(0x03); // end-of-attributes
    const decoded = ipp.request.decode(bytes);
    const requested = decoded.groups[0]?.attributes.find((a) => a.name === 'requested-attributes');
    expect(requested?.value).toContain('printer-state-reasons');
  });

  it('Print-Job names the job by its number, says PDF and A4, and carries no personal field', () => {
    const decoded = ipp.request.decode(encodePrintJob(URI, 1, { jobName: 'ZM20261202000017' }));
    expect(decoded.operationId).toBe(0x0002);
    const all = Object.fromEntries(decoded.groups.flatMap((g) => g.attributes.map((a) => [a.name, a.value])));
    expect(all).toMatchObject({
      'job-name': ['ZM20261202000017'],
      'document-format': ['application/pdf'],
      media: ['iso_a4_210x297mm'],
      copies: [1],
      'requesting-user-name': ['kiosk'],
    });
  });
});

describe('IPP answers', () => {
  it('flattens the groups and reads numbers and keywords', () => {
    const answer = ipp.response.encode({
      version: { major: 1, minor: 1 },
      statusCode: 0,
      requestId: 3,
      groups: [
        { tag: 0x01, attributes: [{ tag: 0x47, name: 'attributes-charset', value: ['utf-8'] }] },
        {
          tag: 0x04,
          attributes: [
            { tag: 0x23, name: 'printer-state', value: [5] },
            { tag: 0x44, name: 'printer-state-reasons', value: ['media-empty-error', 'toner-low-warning'] },
          ],
        },
      ],
    });
    const decoded = decodeIppAnswer(answer);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value.statusCode).toBe(0);
    expect(decoded.value.requestId).toBe(3);
    expect(firstNumber(decoded.value, 'printer-state')).toBe(5);
    expect(keywords(decoded.value, 'printer-state-reasons')).toEqual(['media-empty-error', 'toner-low-warning']);
  });

  it('a short or truncated answer is a value, never a throw', () => {
    expect(decodeIppAnswer(Buffer.from([1, 1, 0]))).toMatchObject({ ok: false, error: { kind: 'malformed-answer' } });
    const whole = encodeGetPrinterAttributes(URI, 1);
    expect(decodeIppAnswer(whole.subarray(0, 20))).toMatchObject({ ok: false });
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = decodeIppAnswer(Buffer.from(bytes));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
