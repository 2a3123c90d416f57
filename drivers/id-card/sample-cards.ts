import type { IdCardTextSource } from './id-card-text-encoder';

/**
 * Fake people for the simulator, tests and demos. Every ID number has a correct GB 11643 check
 * character; none belongs to a real person.
 *
 * `resident-rare-char` carries 𠮷 (U+20BB7, outside GBK and outside UCS-2). Real cards encode
 * such characters in ways that vary by issuing period (private-use code points); we store it as a
 * UTF-16 surrogate pair in the 30-byte name field, which the decoder reads back as the real
 * character, so everything downstream (screen, receipt printer fallback) meets a true non-BMP name.
 */
export interface SampleCard {
  readonly text: IdCardTextSource;
  /** Stand-in for the 1024 encrypted WLT bytes (deterministic noise). */
  readonly photo: Uint8Array;
  /** Fingerprint data returned by 30 10 (empty when the card has none). */
  readonly fingerprint: Uint8Array;
}

export const SAMPLE_CARD_NAMES = [
  'resident-long-term',
  'resident-rare-char',
  'resident-young',
  'foreigner-i',
  'permit-j',
  'unsupported-y',
] as const;
export type SampleCardName = (typeof SAMPLE_CARD_NAMES)[number];

export function isSampleCardName(name: string): name is SampleCardName {
  return (SAMPLE_CARD_NAMES as readonly string[]).includes(name);
}

/** Deterministic bytes (xorshift32) so photos are stable across runs and languages. */
export function noiseBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const TEXTS: Readonly<Record<SampleCardName, IdCardTextSource>> = {
  'resident-long-term': {
    cardType: 'resident',
    name: '王建国',
    genderCode: '1',
    nationCode: '01',
    birthDate: '19440315',
    address: '北京市朝阳区幸福村东街12号',
    idNumber: '110105194403150136',
    issuer: '北京市公安局朝阳分局',
    validFrom: '20100601',
    validUntil: '长期',
  },
  'resident-rare-char': {
    cardType: 'resident',
    name: '李𠮷',
    genderCode: '2',
    nationCode: '08',
    birthDate: '19900718',
    address: '浙江省杭州市西湖区龙井路88号',
    idNumber: '330106199007180245',
    issuer: '杭州市公安局西湖分局',
    validFrom: '20150720',
    validUntil: '20350720',
  },
  'resident-young': {
    cardType: 'resident',
    name: '陈小红',
    genderCode: '2',
    nationCode: '01',
    birthDate: '20010203',
    address: '广东省深圳市福田区莲花路1001号花园小区5栋302室',
    idNumber: '440303200102030467',
    issuer: '深圳市公安局福田分局',
    validFrom: '20190301',
    validUntil: '20290301',
  },
  'foreigner-i': {
    cardType: 'foreign-permanent',
    englishName: 'SMITH, JOHN ALEXANDER',
    genderCode: '1',
    cardNumber: 'USA110088061501',
    nationality: 'USA',
    chineseName: '史约翰',
    validFrom: '20200101',
    validUntil: '20300101',
    birthDate: '19880615',
    cardVersion: '02',
    authorityCode: '1500',
  },
  'permit-j': {
    cardType: 'hk-mo-tw-permit',
    name: '黄志明',
    genderCode: '1',
    birthDate: '19920410',
    address: '北京市海淀区中关村大街27号',
    idNumber: '810000199204100014',
    issuer: '北京市公安局海淀分局',
    validFrom: '20220101',
    validUntil: '20270101',
    passNumber: 'H12345678',
    issueCount: '01',
  },
  'unsupported-y': { cardType: 'other', typeChar: 'Y' },
};

export function sampleCard(name: SampleCardName): SampleCard {
  const seed = SAMPLE_CARD_NAMES.indexOf(name) + 1;
  return {
    text: TEXTS[name],
    photo: noiseBytes(seed * 7919, 1024),
    fingerprint: name === 'resident-young' ? noiseBytes(seed * 104729, 1024) : new Uint8Array(0),
  };
}
