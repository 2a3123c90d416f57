import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardTypeChar, decodeIdCardText } from './id-card-text';
import { encodeIdCardText, type ResidentTextSource } from './id-card-text-encoder';
import { NATIONS } from './nations';
import { sampleCard } from './sample-cards';
import { encodeCardReadData, parseCardReadData } from './sam-response';

const today = new Date(2026, 10, 24);
const ucs2 = (s: string, size: number) => {
  const out = new Uint8Array(size).fill(0);
  for (let i = 0; i < size / 2; i++) {
    const u = i < s.length ? s.charCodeAt(i) : 0x20;
    out[2 * i] = u & 0xff;
    out[2 * i + 1] = u >> 8;
  }
  return out;
};

/** A resident text block assembled field by field from the doc's table, without the encoder. */
function handMadeResident(validUntil: string, typeChar = ' '): Uint8Array {
  const parts: [string, number][] = [
    ['张三', 30],
    ['1', 2],
    ['03', 4],
    ['19491231', 16],
    ['北京市东城区某某胡同1号', 70],
    ['11010519491231002X', 36],
    ['北京市公安局东城分局', 30],
    ['20200101', 16],
    [validUntil, 16],
    ['', 28],
    [typeChar, 2],
    ['', 6],
  ];
  const out = new Uint8Array(256);
  let at = 0;
  for (const [s, n] of parts) {
    out.set(ucs2(s, n), at);
    at += n;
  }
  expect(at).toBe(256);
  return out;
}

describe('decodeIdCardText', () => {
  it('decodes a resident card laid out by hand', () => {
    expect(decodeIdCardText(handMadeResident('长期'), { today })).toEqual({
      ok: true,
      value: {
        cardType: 'resident',
        name: '张三',
        gender: 'male',
        nation: '回',
        nationCode: '03',
        birthDate: '1949-12-31',
        address: '北京市东城区某某胡同1号',
        idNumber: '11010519491231002X',
        idNumberValid: true,
        issuer: '北京市公安局东城分局',
        validFrom: '2020-01-01',
        validUntil: 'long-term',
      },
    });
    expect(decodeIdCardText(handMadeResident('20400101'), { today })).toMatchObject({
      ok: true,
      value: { validUntil: '2040-01-01' },
    });
  });

  it('reports other type characters as unsupported, never guessing', () => {
    expect(decodeIdCardText(handMadeResident('长期', 'Y'))).toEqual({
      ok: false,
      error: { kind: 'unsupported-card-type', typeChar: 'Y' },
    });
    expect(decodeIdCardText(encodeIdCardText(sampleCard('unsupported-y').text))).toEqual({
      ok: false,
      error: { kind: 'unsupported-card-type', typeChar: 'Y' },
    });
  });

  it('refuses malformed fields by name', () => {
    expect(decodeIdCardText(handMadeResident('2040013'))).toEqual({
      ok: false,
      error: { kind: 'malformed-text', field: 'validUntil' },
    });
    expect(decodeIdCardText(new Uint8Array(255))).toEqual({
      ok: false,
      error: { kind: 'malformed-text', field: 'length' },
    });
    const text = handMadeResident('长期');
    text.set(ucs2('5', 2), 30);
    expect(decodeIdCardText(text)).toEqual({ ok: false, error: { kind: 'malformed-text', field: 'gender' } });
  });

  it('decodes every gender code', () => {
    const base = sampleCard('resident-young').text as ResidentTextSource;
    for (const [code, gender] of [
      ['1', 'male'],
      ['2', 'female'],
      ['0', 'unknown'],
      ['9', 'unspecified'],
    ] as const) {
      expect(decodeIdCardText(encodeIdCardText({ ...base, genderCode: code }), { today })).toMatchObject({
        ok: true,
        value: { gender },
      });
    }
  });

  it('decodes the sample cards', () => {
    expect(decodeIdCardText(encodeIdCardText(sampleCard('resident-rare-char').text), { today })).toMatchObject({
      ok: true,
      value: { name: '李𠮷', nation: '壮', gender: 'female', idNumberValid: true, validUntil: '2035-07-20' },
    });
    expect(decodeIdCardText(encodeIdCardText(sampleCard('foreigner-i').text), { today })).toEqual({
      ok: true,
      value: {
        cardType: 'foreign-permanent',
        name: '史约翰',
        gender: 'male',
        nation: null,
        nationCode: null,
        birthDate: '1988-06-15',
        address: null,
        idNumber: 'USA110088061501',
        idNumberValid: true,
        issuer: '1500',
        validFrom: '2020-01-01',
        validUntil: '2030-01-01',
        englishName: 'SMITH, JOHN ALEXANDER',
        nationality: 'USA',
      },
    });
    expect(decodeIdCardText(encodeIdCardText(sampleCard('permit-j').text), { today })).toMatchObject({
      ok: true,
      value: {
        cardType: 'hk-mo-tw-permit',
        nation: null,
        idNumber: '810000199204100014',
        idNumberValid: true,
        passNumber: 'H12345678',
        issueCount: 1,
      },
    });
  });

  it('puts the type character at bytes 248–249', () => {
    expect(cardTypeChar(encodeIdCardText(sampleCard('permit-j').text))).toBe('J');
    expect([...encodeIdCardText(sampleCard('foreigner-i').text).subarray(248, 250)]).toEqual([0x49, 0x00]);
  });

  // Field text as it may appear on a card: CJK, Latin, digits and rare characters, never
  // starting or ending with the padding space.
  const cardChar = fc.constantFrom(...'张王李欧阳小明北京市区路号 ABCXYZ0123456789-·', '𠮷', '𪚥');
  const fieldText = (maxUnits: number) =>
    fc
      .array(cardChar, { maxLength: maxUnits })
      .map((cs) => cs.join('').trim())
      .filter((s) => s.length <= maxUnits);
  const ymd = fc
    .date({ min: new Date(1900, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('property: resident fields survive encode → decode', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fieldText(15),
          genderCode: fc.constantFrom('0', '1', '2', '9'),
          nationCode: fc.constantFrom(...Object.keys(NATIONS)),
          birth: ymd,
          address: fieldText(35),
          idNumber: fieldText(18),
          issuer: fieldText(15),
          from: ymd,
          until: fc.oneof(ymd, fc.constant('long-term')),
        }),
        (r) => {
          const compact = (d: string) => d.replaceAll('-', '');
          const decoded = decodeIdCardText(
            encodeIdCardText({
              cardType: 'resident',
              name: r.name,
              genderCode: r.genderCode,
              nationCode: r.nationCode,
              birthDate: compact(r.birth),
              address: r.address,
              idNumber: r.idNumber,
              issuer: r.issuer,
              validFrom: compact(r.from),
              validUntil: r.until === 'long-term' ? '长期' : compact(r.until),
            }),
            { today },
          );
          expect(decoded).toMatchObject({
            ok: true,
            value: {
              name: r.name,
              nationCode: r.nationCode,
              nation: NATIONS[r.nationCode],
              birthDate: r.birth,
              address: r.address,
              idNumber: r.idNumber,
              issuer: r.issuer,
              validFrom: r.from,
              validUntil: r.until,
            },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: decoding never throws on any 256 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (bytes) => {
        const r = decodeIdCardText(bytes);
        if (!r.ok) expect(['unsupported-card-type', 'malformed-text']).toContain(r.error.kind);
      }),
    );
  });
});

describe('card read data (30 01 / 30 10)', () => {
  const card = sampleCard('resident-young');
  const raw = { text: encodeIdCardText(card.text), photo: card.photo, fingerprint: card.fingerprint };

  it('30 01: lengths 01 00 / 04 00, text from data offset 4 (frame offset 14)', () => {
    const data = encodeCardReadData('text-photo', raw);
    expect(data.length).toBe(1284); // 1295 − preamble 5 − LEN 2 − SW 3 − CHK 1
    expect([...data.subarray(0, 4)]).toEqual([0x01, 0x00, 0x04, 0x00]);
    expect(parseCardReadData('text-photo', data)).toEqual({
      ok: true,
      value: { ...raw, fingerprint: new Uint8Array(0) },
    });
  });

  it('30 10: a fingerprint length follows, text from data offset 6 (frame offset 16)', () => {
    const data = encodeCardReadData('text-photo-fingerprint', raw);
    expect([...data.subarray(0, 6)]).toEqual([0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
    expect([...data.subarray(6, 8)]).toEqual([...raw.text.subarray(0, 2)]);
    expect(parseCardReadData('text-photo-fingerprint', data)).toEqual({ ok: true, value: raw });
  });

  it('refuses data whose lengths do not add up', () => {
    const data = encodeCardReadData('text-photo', raw);
    expect(parseCardReadData('text-photo', data.subarray(0, 1000))).toMatchObject({
      ok: false,
      error: { kind: 'malformed-card-data' },
    });
    expect(parseCardReadData('text-photo-fingerprint', data)).toMatchObject({ ok: false });
    expect(parseCardReadData('text-photo', new Uint8Array(2))).toMatchObject({ ok: false });
  });
});
