import type { IdCard } from '../../../drivers/id-card/id-card-text';
import { maskIdNumber, maskName } from '../../../foundation/masking';
import type { CardFields } from '../../../platform/contract/api-schemas';
import type { CardView } from '../../api/journey-contract';

/** Whole years between a YYYY-MM-DD birth date and `today` (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (
    by === undefined ||
    bm === undefined ||
    bd === undefined ||
    ty === undefined ||
    tm === undefined ||
    td === undefined
  )
    return 0;
  return Math.max(0, ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0));
}

/** What the screen may show of a card: masked identifiers, the address whole (the resident may correct it). */
export function cardView(card: IdCard, today: string): CardView {
  return {
    cardType: card.cardType,
    nameMasked: maskName(card.name),
    gender: card.gender,
    birthDate: card.birthDate,
    age: ageOn(card.birthDate, today),
    nation: card.nation ?? '',
    address: card.address ?? '',
    idNumberMasked: maskIdNumber(card.idNumber),
    idNumberValid: card.idNumberValid,
    expired: card.validUntil !== 'long-term' && card.validUntil < today,
  };
}

/** The card as the application record and the platform keep it. */
export function cardFields(card: IdCard): CardFields {
  const base = {
    cardType: card.cardType,
    name: card.name,
    gender: card.gender,
    birthDate: card.birthDate.replace(/-/g, ''),
    idNumber: card.idNumber,
    issuingAuthority: card.issuer,
    validFrom: card.validFrom,
    validUntil: card.validUntil,
  };
  switch (card.cardType) {
    case 'resident':
      return { ...base, nation: card.nation, address: card.address };
    case 'foreign-permanent':
      return { ...base, englishName: card.englishName, nationality: card.nationality };
    case 'hk-mo-tw-permit':
      return { ...base, address: card.address, passNumber: card.passNumber };
  }
}

/** Values the card answers for prefilled questions that the resident cannot edit on screen. */
export function cardAnswer(card: IdCard, source: string, today: string): string | number | undefined {
  switch (source) {
    case 'card.name':
      return card.name;
    case 'card.gender':
      return card.gender;
    case 'card.birthDate':
      return card.birthDate;
    case 'card.age':
      return ageOn(card.birthDate, today);
    case 'card.idNumber':
      return card.idNumber;
    case 'card.nation':
      return card.nation ?? undefined;
    default:
      return undefined; // card.address is editable: the resident's answer stands
  }
}
