import type { CardType, Gender } from '../../foundation/id-card-vocabulary';
import { err, ok, type Result } from '../../foundation/result';
import { validateForeignPermanentNumber2017, validateIdNumber, isRealDate } from './id-number';
import { nationName } from './nations';
import { ID_CARD_TEXT_LENGTH } from './sam-response';

/**
 * Decodes the 256-byte text block of a card read (UCS-2 little-endian, fields padded with
 * spaces; docs/devices/id-card-reader.md). The card type is the character at bytes 248–249. Characters outside
 * the BMP (rare name characters such as 𠮷) are taken as UTF-16 surrogate pairs, which is what a
 * UTF-16LE decoder does with them; a lone surrogate becomes U+FFFD rather than failing the read.
 */

/**
 * Every card has every base key (the CLI's JSON and the UI rely on one shape); fields a card type
 * does not carry are null.
 */
interface IdCardBase {
  readonly name: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly idNumber: string;
  readonly idNumberValid: boolean;
  readonly issuer: string;
  readonly validFrom: string;
  /** YYYY-MM-DD, or 'long-term' for 长期. */
  readonly validUntil: string;
}

export interface ResidentIdCard extends IdCardBase {
  readonly cardType: 'resident';
  readonly nation: string;
  readonly nationCode: string;
  readonly address: string;
}

/** 2017 card (`I`). `name` is the Chinese name, or the English name when the card has none; `issuer` is the authority code. */
export interface ForeignPermanentCard extends IdCardBase {
  readonly cardType: 'foreign-permanent';
  readonly nation: null;
  readonly nationCode: null;
  readonly address: null;
  readonly englishName: string;
  /** ISO 3166 alpha-3. */
  readonly nationality: string;
}

export interface HkMoTwPermitCard extends IdCardBase {
  readonly cardType: 'hk-mo-tw-permit';
  readonly nation: null;
  readonly nationCode: null;
  readonly address: string;
  readonly passNumber: string;
  readonly issueCount: number;
}

export type IdCard = ResidentIdCard | ForeignPermanentCard | HkMoTwPermitCard;

export type IdCardTextError =
  | { readonly kind: 'unsupported-card-type'; readonly typeChar: string }
  /** `field` names the field (never its value, which may be personal). */
  | { readonly kind: 'malformed-text'; readonly field: string };

/** Field sizes in bytes, in card order (docs/devices/id-card-reader.md). Shared with the encoder. */
export const RESIDENT_LAYOUT = [
  ['name', 30],
  ['genderCode', 2],
  ['nationCode', 4],
  ['birthDate', 16],
  ['address', 70],
  ['idNumber', 36],
  ['issuer', 30],
  ['validFrom', 16],
  ['validUntil', 16],
  ['reserved', 36],
] as const;

export const FOREIGN_PERMANENT_LAYOUT = [
  ['englishName', 120],
  ['genderCode', 2],
  ['cardNumber', 30],
  ['nationality', 6],
  ['chineseName', 30],
  ['validFrom', 16],
  ['validUntil', 16],
  ['birthDate', 16],
  ['cardVersion', 4],
  ['authorityCode', 8],
  ['type', 2],
  ['reserved', 6],
] as const;

export const HK_MO_TW_PERMIT_LAYOUT = [
  ['name', 30],
  ['genderCode', 2],
  ['reserved1', 4],
  ['birthDate', 16],
  ['address', 70],
  ['idNumber', 36],
  ['issuer', 30],
  ['validFrom', 16],
  ['validUntil', 16],
  ['passNumber', 18],
  ['issueCount', 4],
  ['reserved2', 6],
  ['type', 2],
  ['reserved3', 6],
] as const;

type Layout = readonly (readonly [string, number])[];
export type LayoutFields<L extends Layout> = Record<L[number][0], string>;

export const CARD_TYPE_OFFSET = 248;
export const CARD_TYPE_CHARS: Readonly<Record<CardType, string>> = {
  resident: ' ',
  'foreign-permanent': 'I',
  'hk-mo-tw-permit': 'J',
};

const utf16 = new TextDecoder('utf-16le');

function splitFields<L extends Layout>(text: Uint8Array, layout: L): LayoutFields<L> {
  const fields: Record<string, string> = {};
  let offset = 0;
  for (const [name, size] of layout) {
    fields[name] = utf16.decode(text.subarray(offset, offset + size)).replace(/^[ \0]+|[ \0]+$/g, '');
    offset += size;
  }
  return fields as LayoutFields<L>;
}

const GENDERS: Readonly<Record<string, Gender>> = { '1': 'male', '2': 'female', '0': 'unknown', '9': 'unspecified' };

type Field<T> = Result<T, IdCardTextError>;
const malformed = (field: string): Field<never> => err({ kind: 'malformed-text', field });

function gender(code: string): Field<Gender> {
  const g = Object.hasOwn(GENDERS, code) ? GENDERS[code] : undefined;
  return g === undefined ? malformed('gender') : ok(g);
}

function date(value: string, field: string): Field<string> {
  if (!isRealDate(value)) return malformed(field);
  return ok(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`);
}

interface CommonFields {
  readonly gender: Gender;
  readonly birthDate: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

/** The fields every supported layout has, parsed the same way. */
function commonFields(f: {
  genderCode: string;
  birthDate: string;
  validFrom: string;
  validUntil: string;
}): Field<CommonFields> {
  const g = gender(f.genderCode);
  if (!g.ok) return g;
  const birth = date(f.birthDate, 'birthDate');
  if (!birth.ok) return birth;
  const from = date(f.validFrom, 'validFrom');
  if (!from.ok) return from;
  const until = f.validUntil === '长期' ? ok('long-term') : date(f.validUntil, 'validUntil');
  if (!until.ok) return until;
  return ok({ gender: g.value, birthDate: birth.value, validFrom: from.value, validUntil: until.value });
}

export interface DecodeOptions {
  /** For the "birth date not in the future" check of ID numbers. */
  readonly today?: Date;
}

/** The type character at bytes 248–249 (a space for resident cards). */
export function cardTypeChar(text: Uint8Array): string {
  return String.fromCharCode((text[CARD_TYPE_OFFSET] ?? 0) | ((text[CARD_TYPE_OFFSET + 1] ?? 0) << 8));
}

export function decodeIdCardText(text: Uint8Array, options: DecodeOptions = {}): Result<IdCard, IdCardTextError> {
  if (text.length !== ID_CARD_TEXT_LENGTH) return malformed('length');
  const today = options.today ?? new Date();
  const typeChar = cardTypeChar(text);
  switch (typeChar) {
    case ' ':
      return decodeResident(text, today);
    case 'I':
      return decodeForeignPermanent(text, today);
    case 'J':
      return decodeHkMoTwPermit(text, today);
    default:
      return err({ kind: 'unsupported-card-type', typeChar });
  }
}

function decodeResident(text: Uint8Array, today: Date): Result<ResidentIdCard, IdCardTextError> {
  const f = splitFields(text, RESIDENT_LAYOUT);
  const nation = nationName(f.nationCode);
  if (nation === undefined) return malformed('nation');
  const c = commonFields(f);
  if (!c.ok) return c;
  return ok({
    cardType: 'resident',
    name: f.name,
    gender: c.value.gender,
    nation,
    nationCode: f.nationCode,
    birthDate: c.value.birthDate,
    address: f.address,
    idNumber: f.idNumber,
    idNumberValid: validateIdNumber(f.idNumber, today).valid,
    issuer: f.issuer,
    validFrom: c.value.validFrom,
    validUntil: c.value.validUntil,
  });
}

function decodeForeignPermanent(text: Uint8Array, today: Date): Result<ForeignPermanentCard, IdCardTextError> {
  const f = splitFields(text, FOREIGN_PERMANENT_LAYOUT);
  const c = commonFields(f);
  if (!c.ok) return c;
  return ok({
    cardType: 'foreign-permanent',
    name: f.chineseName === '' ? f.englishName : f.chineseName,
    gender: c.value.gender,
    nation: null,
    nationCode: null,
    birthDate: c.value.birthDate,
    address: null,
    idNumber: f.cardNumber,
    // A 2017 card carries a 15-character number; an 18-character one follows GB 11643.
    idNumberValid: (f.cardNumber.length === 18
      ? validateIdNumber(f.cardNumber, today)
      : validateForeignPermanentNumber2017(f.cardNumber)
    ).valid,
    issuer: f.authorityCode,
    validFrom: c.value.validFrom,
    validUntil: c.value.validUntil,
    englishName: f.englishName,
    nationality: f.nationality,
  });
}

function decodeHkMoTwPermit(text: Uint8Array, today: Date): Result<HkMoTwPermitCard, IdCardTextError> {
  const f = splitFields(text, HK_MO_TW_PERMIT_LAYOUT);
  const c = commonFields(f);
  if (!c.ok) return c;
  if (!/^\d{1,2}$/.test(f.issueCount)) return malformed('issueCount');
  return ok({
    cardType: 'hk-mo-tw-permit',
    name: f.name,
    gender: c.value.gender,
    nation: null,
    nationCode: null,
    birthDate: c.value.birthDate,
    address: f.address,
    idNumber: f.idNumber,
    idNumberValid: validateIdNumber(f.idNumber, today).valid,
    issuer: f.issuer,
    validFrom: c.value.validFrom,
    validUntil: c.value.validUntil,
    passNumber: f.passNumber,
    issueCount: Number(f.issueCount),
  });
}
